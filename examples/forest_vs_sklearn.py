"""Times sklearn's RandomForestClassifier and coresweep's forest side by side on the seed's workload.

    python examples/forest_vs_sklearn.py [--threads 1] [--repeats 3] [--n-estimators 500] [--quality]

Needs scikit-learn (the figures in the report are for 1.9.1) and a release build of
`examples/forest_bench.rs` (`cargo build --release --example forest_bench`; set CARGO_TARGET_DIR
if you use one). The two fits alternate, so a noisy machine slows both alike; the ratio of the
medians is printed. `--quality` adds OOB accuracy, 25 % hold-out accuracy and nodes per tree
for both (two more fits each, untimed).
"""

import argparse
import json
import os
import statistics
import subprocess
import time

from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--repeats", type=int, default=3)
parser.add_argument("--n-estimators", type=int, default=500)
parser.add_argument("--quality", action="store_true")
args = parser.parse_args()

target = os.environ.get("CARGO_TARGET_DIR", os.path.join(os.path.dirname(__file__), "..", "target"))
bench = os.path.join(target, "release", "examples", "forest_bench")

X, y = make_classification(
    n_samples=10000, n_features=70, n_informative=65, n_redundant=5, random_state=0
)


def sklearn_forest(**kw):
    return RandomForestClassifier(
        n_estimators=args.n_estimators, random_state=0, n_jobs=args.threads, **kw
    )


def ours(*extra):
    cmd = [bench, "--threads", str(args.threads), "--n-estimators", str(args.n_estimators), "--json", *extra]
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)


sk_times, our_times = [], []
for r in range(args.repeats):
    started = time.perf_counter()
    sklearn_forest().fit(X, y)
    sk_times.append(time.perf_counter() - started)
    our_times.append(ours()["fit_seconds"][0])
    print(f"repeat {r}: sklearn {sk_times[-1]:.2f} s, coresweep {our_times[-1]:.2f} s", flush=True)

sk, us = statistics.median(sk_times), statistics.median(our_times)
print(f"threads {args.threads}: sklearn median {sk:.2f} s, coresweep median {us:.2f} s, ratio {us / sk:.3f}")

if args.quality:
    rf = sklearn_forest(oob_score=True).fit(X, y)
    nodes = sum(e.tree_.node_count for e in rf.estimators_) / len(rf.estimators_)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
    holdout = sklearn_forest().fit(X_train, y_train).score(X_test, y_test)
    print(f"sklearn:   oob {rf.oob_score_:.4f}, hold-out {holdout:.4f}, nodes/tree {nodes:.1f}")
    q = ours("--quality")
    print(
        f"coresweep: oob {q['oob_accuracy']:.4f}, hold-out {q['holdout_accuracy']:.4f}, "
        f"nodes/tree {q['nodes_per_tree']:.1f}, peak RSS {q['peak_rss_mib']} MiB"
    )
