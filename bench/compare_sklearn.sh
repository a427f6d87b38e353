#!/usr/bin/env bash
# Benchmark, not a test: sklearn's RandomForestClassifier and coresweep side by side on the
# seed's workload, alternating runs so machine noise hits both alike.
#
# Sizes and repeats come from the environment (defaults = the seed's experiment):
#   BENCH_N_SAMPLES=10000 BENCH_N_FEATURES=70 BENCH_N_INFORMATIVE=65 BENCH_N_REDUNDANT=5
#   BENCH_N_ESTIMATORS=500 BENCH_RANDOM_STATE=0 BENCH_JOBS=1,2 BENCH_REPEATS=3 BENCH_TEST_SIZE=0.25
# Quick run: BENCH_N_SAMPLES=2000 BENCH_N_ESTIMATORS=50 BENCH_REPEATS=2 bench/compare_sklearn.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=sklearn-venv.sh
source "$root/bench/sklearn-venv.sh"
# shellcheck source=native-cli.sh
source "$root/bench/native-cli.sh"
exec "$python" "$root/bench/compare_sklearn.py" --coresweep "$coresweep"
