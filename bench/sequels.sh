#!/usr/bin/env bash
# Benchmark, not a test: the tutorial's sequels (cross_val_score and GridSearchCV over
# max_features 1..5, RepeatedStratifiedKFold(10, 3)) in sklearn and coresweep side by side,
# alternating runs, the same data; coresweep at the outer (folds) and inner (trees) levels.
#
#   BENCH_JOBS=1,2 BENCH_REPEATS=3 BENCH_WORKLOADS=cross-val,grid-search bench/sequels.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=sklearn-venv.sh
source "$root/bench/sklearn-venv.sh"
# shellcheck source=native-cli.sh
source "$root/bench/native-cli.sh"
exec "$python" "$root/bench/sequels.py" --coresweep "$coresweep"
