"""sklearn and coresweep fit times side by side on real tables (run through tables.sh).

The tables are the CSV files of tests/oracles/tables/ (load_digits, load_breast_cancer, ...).
Every timed run is a fresh process: a Python one that reads the CSV as
tests/oracles/generate.py reads it back (np.loadtxt) and times
`RandomForestClassifier(n_estimators, random_state, n_jobs).fit(X, y)` alone, or
`coresweep fit --data FILE.csv --threads N --json`, whose `fit_seconds` is the fit alone too.
Runs alternate between the two and their order flips every repeat; the medians are compared.
The node counts of both forests are printed as a check that they fitted the same trees.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time


def settings():
    env = os.environ.get
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return {
        "tables": [os.path.join(root, "tests", "oracles", "tables", f"{name}.csv")
                   for name in env("BENCH_TABLES", "digits,breast_cancer").split(",")],
        "n_estimators": int(env("BENCH_N_ESTIMATORS", "100")),
        "random_state": int(env("BENCH_RANDOM_STATE", "0")),
        "jobs": int(env("BENCH_JOBS", "1")),
        "repeats": int(env("BENCH_REPEATS", "5")),
    }


def sklearn_worker(args):
    """One sklearn fit of the table in this process; prints a report like `coresweep fit --json`."""
    import io
    import numpy as np
    from sklearn.ensemble import RandomForestClassifier

    s = json.loads(args.settings)
    with open(args.table) as f:
        text = f.read()
    n_columns = len(text.split("\n", 1)[0].split(","))
    x = np.loadtxt(io.StringIO(text), delimiter=",", skiprows=1,
                   usecols=range(n_columns - 1), dtype=np.float64)
    labels = np.loadtxt(io.StringIO(text), delimiter=",", skiprows=1, usecols=[n_columns - 1],
                        dtype=str)
    try:
        y = labels.astype(np.float64)
    except ValueError:
        y = labels
    clf = RandomForestClassifier(n_estimators=s["n_estimators"], random_state=s["random_state"],
                                 n_jobs=s["jobs"])
    start = time.perf_counter()
    clf.fit(x, y)
    seconds = time.perf_counter() - start
    nodes = int(sum(t.tree_.node_count for t in clf.estimators_))
    print(json.dumps({"fit_seconds": seconds, "total_nodes": nodes}))


def run(command):
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", nargs="?", default="compare")
    parser.add_argument("--coresweep")
    parser.add_argument("--table")
    parser.add_argument("--settings")
    args = parser.parse_args()
    if args.mode == "sklearn-worker":
        return sklearn_worker(args)

    s = settings()
    print(f"RandomForestClassifier(n_estimators={s['n_estimators']}, "
          f"random_state={s['random_state']}), n_jobs={s['jobs']} vs --threads {s['jobs']}; "
          f"{s['repeats']} alternating repeats", flush=True)
    rows = []
    for table in s["tables"]:
        commands = {
            "sklearn": [sys.executable, __file__, "sklearn-worker", "--table", table,
                        "--settings", json.dumps(s)],
            "coresweep": [args.coresweep, "fit", "--data", table, "--json", "--quiet",
                          "--threads", str(s["jobs"]), "--n-estimators", str(s["n_estimators"]),
                          "--random-state", str(s["random_state"])],
        }
        times = {"sklearn": [], "coresweep": []}
        nodes = {}
        for repeat in range(s["repeats"]):
            order = ["sklearn", "coresweep"] if repeat % 2 == 0 else ["coresweep", "sklearn"]
            for engine in order:
                report = run(commands[engine])
                times[engine].append(report["fit_seconds"])
                nodes[engine] = report["total_nodes"]
                print(f"  {os.path.basename(table)} repeat {repeat + 1} {engine:9s} "
                      f"{report['fit_seconds']:8.4f} s", flush=True)
        rows.append((os.path.basename(table), statistics.median(times["sklearn"]),
                     statistics.median(times["coresweep"]), nodes))

    print()
    print("table                sklearn median s  coresweep median s  coresweep/sklearn  nodes equal")
    for name, a, b, nodes in rows:
        print(f"{name:20s} {a:16.4f}  {b:18.4f}  {b / a:16.3f}x  "
              f"{nodes['sklearn'] == nodes['coresweep']} ({nodes['coresweep']})")


if __name__ == "__main__":
    main()
