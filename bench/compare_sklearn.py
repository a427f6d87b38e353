"""sklearn and coresweep fit times side by side (run through compare_sklearn.sh).

Every timed run is a fresh process (a Python one for sklearn, the coresweep CLI for coresweep)
that builds the dataset, then times `fit` on all rows alone, as the seed's script does. Runs
alternate between the two and their order flips every repeat. Peak memory is each process's
maximum resident set size (os.wait4). Quality is measured once per engine, outside the timed
runs: a forest fitted on the training part of train_test_split(test_size, random_state) gives
the hold-out accuracy and the out-of-bag accuracy on its training rows.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def settings():
    env = os.environ.get
    return {
        "n_samples": int(env("BENCH_N_SAMPLES", "10000")),
        "n_features": int(env("BENCH_N_FEATURES", "70")),
        "n_informative": int(env("BENCH_N_INFORMATIVE", "65")),
        "n_redundant": int(env("BENCH_N_REDUNDANT", "5")),
        "n_estimators": int(env("BENCH_N_ESTIMATORS", "500")),
        "random_state": int(env("BENCH_RANDOM_STATE", "0")),
        "jobs": [int(j) for j in env("BENCH_JOBS", "1,2").split(",")],
        "repeats": int(env("BENCH_REPEATS", "3")),
        "test_size": float(env("BENCH_TEST_SIZE", "0.25")),
    }


DATASET_KEYS = ("n_samples", "n_features", "n_informative", "n_redundant", "random_state")


def sklearn_worker(args):
    """One sklearn fit in this process; prints a JSON report like `coresweep fit --json`."""
    from sklearn.datasets import make_classification
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.model_selection import train_test_split

    s = json.loads(args.settings)
    X, y = make_classification(**{k: s[k] for k in DATASET_KEYS})
    report = {}
    if s["test_size"] > 0:
        X, X_test, y, y_test = train_test_split(
            X, y, test_size=s["test_size"], random_state=s["random_state"]
        )
    clf = RandomForestClassifier(
        n_estimators=s["n_estimators"],
        random_state=s["random_state"],
        n_jobs=args.jobs,
        oob_score=s["test_size"] > 0,
    )
    start = time.perf_counter()
    clf.fit(X, y)
    report["fit_seconds"] = time.perf_counter() - start
    if s["test_size"] > 0:
        report["holdout_accuracy"] = clf.score(X_test, y_test)
        report["oob_accuracy"] = clf.oob_score_
    report["total_nodes"] = int(sum(t.tree_.node_count for t in clf.estimators_))
    print(json.dumps(report))


def run(command):
    """Runs `command`; returns its JSON report and its peak RSS in MiB.

    GNU time measures the RSS when it is there: a child forked from this Python process would
    otherwise carry the parent's pages into its high-water mark until exec.
    """
    gnu_time = "/usr/bin/time"
    with tempfile.NamedTemporaryFile("r") as rss_file:
        if os.path.exists(gnu_time):
            command = [gnu_time, "-f", "%M", "-o", rss_file.name] + command
        proc = subprocess.Popen(command, stdout=subprocess.PIPE)
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            sys.exit(f"failed ({proc.returncode}): {' '.join(command)}")
        measured = rss_file.read().strip()
        kib = int(measured.splitlines()[-1]) if measured else usage.ru_maxrss
    return json.loads(out), kib / 1024


def commands(coresweep, s, jobs, test_size):
    local = dict(s, test_size=test_size)
    sklearn = [sys.executable, __file__, "sklearn-worker", "--jobs", str(jobs),
               "--settings", json.dumps(local)]
    flags = []
    for key in DATASET_KEYS + ("n_estimators",):
        flags += ["--" + key.replace("_", "-"), str(s[key])]
    ours = [coresweep, "fit", "--json", "--quiet", "--threads", str(jobs),
            "--test-size", str(test_size)] + flags
    return {"sklearn": sklearn, "coresweep": ours}


def same_data_worker(args):
    """Prints the largest |difference| between sklearn's X and coresweep's, and whether y agree."""
    import numpy as np
    from sklearn.datasets import make_classification

    s = json.loads(args.settings)
    X, y = make_classification(**{k: s[k] for k in DATASET_KEYS})
    flags = []
    for key in DATASET_KEYS:
        flags += ["--" + key.replace("_", "-"), str(s[key])]
    csv = subprocess.run([args.coresweep, "make-classification", *flags], check=True,
                         capture_output=True, text=True).stdout
    ours = np.loadtxt(csv.splitlines()[1:], delimiter=",")
    print(json.dumps({"max_dx": float(np.max(np.abs(ours[:, :-1] - X))),
                      "y_equal": bool((ours[:, -1] == y).all())}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", nargs="?", default="compare")
    parser.add_argument("--coresweep")
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--settings")
    args = parser.parse_args()
    if args.mode == "sklearn-worker":
        return sklearn_worker(args)
    if args.mode == "same-data":
        return same_data_worker(args)

    s = settings()
    print("workload: make_classification(" + ", ".join(f"{k}={s[k]}" for k in DATASET_KEYS)
          + f"), RandomForestClassifier(n_estimators={s['n_estimators']}, "
          f"random_state={s['random_state']}); {s['repeats']} alternating repeats", flush=True)
    same, _ = run([sys.executable, __file__, "same-data", "--coresweep", args.coresweep,
                   "--settings", json.dumps(s)])
    print(f"same data: max |X_sklearn - X_coresweep| = {same['max_dx']:.3g}, "
          f"y equal: {same['y_equal']}", flush=True)

    times = {(engine, j): [] for engine in ("sklearn", "coresweep") for j in s["jobs"]}
    peak = {"sklearn": 0.0, "coresweep": 0.0}
    for repeat in range(s["repeats"]):
        for jobs in s["jobs"]:
            order = ["sklearn", "coresweep"] if repeat % 2 == 0 else ["coresweep", "sklearn"]
            runs = commands(args.coresweep, s, jobs, 0.0)
            for engine in order:
                report, rss = run(runs[engine])
                times[(engine, jobs)].append(report["fit_seconds"])
                peak[engine] = max(peak[engine], rss)
                print(f"  repeat {repeat + 1} jobs {jobs} {engine:9s} "
                      f"{report['fit_seconds']:8.3f} s  {rss:7.1f} MiB", flush=True)

    print()
    print("n_jobs/threads  sklearn median s  coresweep median s  sklearn/coresweep")
    median = {key: statistics.median(v) for key, v in times.items()}
    for jobs in s["jobs"]:
        a, b = median[("sklearn", jobs)], median[("coresweep", jobs)]
        print(f"{jobs:14d}  {a:16.3f}  {b:18.3f}  {a / b:16.2f}x")
    first = s["jobs"][0]
    for jobs in s["jobs"][1:]:
        print(f"speed-up {first}->{jobs}: sklearn "
              f"{median[('sklearn', first)] / median[('sklearn', jobs)]:.2f}x, coresweep "
              f"{median[('coresweep', first)] / median[('coresweep', jobs)]:.2f}x")
    print(f"peak RSS: sklearn {peak['sklearn']:.0f} MiB, coresweep {peak['coresweep']:.0f} MiB")

    if s["test_size"] > 0:
        runs = commands(args.coresweep, s, max(s["jobs"]), s["test_size"])
        quality = {engine: run(command)[0] for engine, command in runs.items()}
        print(f"quality (train_test_split test_size={s['test_size']}, "
              f"random_state={s['random_state']}, same split):")
        for engine, q in quality.items():
            print(f"  {engine:9s} hold-out accuracy {q['holdout_accuracy']:.4f}  "
                  f"OOB accuracy {q['oob_accuracy']:.4f}  nodes {q['total_nodes']}")


if __name__ == "__main__":
    main()
