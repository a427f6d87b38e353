"""The sequels' wall-clock times in sklearn and coresweep side by side (run through sequels.sh).

Every timed run is a fresh process that makes the sequels' data (make_classification(1000, 20,
n_informative=15, n_redundant=5, random_state=0)) and times exactly what the tutorial's time()
pair encloses: the whole cross_val_score, or the whole GridSearchCV.fit (refit included).
sklearn runs with n_jobs=k on the outer loop and RandomForestClassifier(n_jobs=1); coresweep
with --threads k at --parallel outer and inner. Runs alternate engine by engine and the order
flips every repeat, so machine noise hits all alike. Printed: medians, coresweep/sklearn
ratios and the 2-thread efficiency T1/(2*T2) of each.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

SKLEARN = """
import json, sys, time
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GridSearchCV, RepeatedStratifiedKFold, cross_val_score
workload, jobs = sys.argv[1], int(sys.argv[2])
X, y = make_classification(n_samples=1000, n_features=20, n_informative=15, n_redundant=5,
                           random_state=0)
model = RandomForestClassifier(n_estimators=100, n_jobs=1, random_state=0)
cv = RepeatedStratifiedKFold(n_splits=10, n_repeats=3, random_state=0)
start = time.time()
if workload == "cross-val":
    cross_val_score(model, X, y, scoring="accuracy", cv=cv, n_jobs=jobs)
else:
    GridSearchCV(model, {"max_features": [1, 2, 3, 4, 5]}, cv=cv, n_jobs=jobs).fit(X, y)
print(json.dumps({"fit_seconds": time.time() - start}))
"""


def run(command):
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out)["fit_seconds"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--coresweep", required=True)
    args = parser.parse_args()
    env = os.environ.get
    jobs = [int(j) for j in env("BENCH_JOBS", "1,2").split(",")]
    repeats = int(env("BENCH_REPEATS", "3"))
    workloads = env("BENCH_WORKLOADS", "cross-val,grid-search").split(",")
    for workload in workloads:
        engines = {"sklearn": lambda k: [sys.executable, "-c", SKLEARN, workload, str(k)]}
        for level in ["outer", "inner"]:
            engines[f"coresweep {level}"] = lambda k, level=level: [
                args.coresweep, workload, "--threads", str(k), "--parallel", level,
                "--random-state", "0", "--json", "--quiet"]
        times = {(name, k): [] for name in engines for k in jobs}
        for repeat in range(repeats):
            order = list(engines.items())
            if repeat % 2:
                order.reverse()
            for k in jobs:
                for name, command in order:
                    seconds = run(command(k))
                    times[(name, k)].append(seconds)
                    print(f"{workload} {name} k={k} repeat {repeat}: {seconds:.3f} s",
                          file=sys.stderr, flush=True)
        median = {key: statistics.median(values) for key, values in times.items()}
        print(f"\n{workload}: medians of {repeats} runs")
        print(f"{'engine':<18}" + "".join(f"{f'k={k} s':>10}{'ratio':>8}" for k in jobs)
              + (f"{'eff k=2':>9}" if 1 in jobs and 2 in jobs else ""))
        for name in engines:
            row = f"{name:<18}"
            for k in jobs:
                row += f"{median[(name, k)]:>10.3f}{median[(name, k)] / median[('sklearn', k)]:>8.3f}"
            if 1 in jobs and 2 in jobs:
                row += f"{median[(name, 1)] / (2 * median[(name, 2)]):>9.2f}"
            print(row, flush=True)


if __name__ == "__main__":
    main()
