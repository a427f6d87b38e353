#!/usr/bin/env bash
# Benchmark, not a test: sklearn's RandomForestClassifier and `coresweep fit --data` side by
# side on real tables (tests/oracles/tables/), one thread each, alternating runs, medians.
# The issue asks coresweep for at most 0.25x sklearn's n_jobs=1 time.
#
#   BENCH_TABLES=digits,breast_cancer BENCH_N_ESTIMATORS=100 BENCH_JOBS=1 BENCH_REPEATS=5 bench/tables.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=sklearn-venv.sh
source "$root/bench/sklearn-venv.sh"
# shellcheck source=native-cli.sh
source "$root/bench/native-cli.sh"
exec "$python" "$root/bench/tables.py" --coresweep "$coresweep"
