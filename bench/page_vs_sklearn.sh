#!/usr/bin/env bash
# Benchmark, not a test: the page in Chromium against sklearn on the blog's workload (see
# bench/page_vs_sklearn.mjs). Makes the sklearn venv and builds the page when needed, then runs
# the comparison; arguments go to the script.
#   bench/page_vs_sklearn.sh                          # 500 trees, threads 1,2, 3 repeats
#   bench/page_vs_sklearn.sh --trees 50 --repeats 1   # a quick run
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=sklearn-venv.sh
source "$root/bench/sklearn-venv.sh"
(cd "$root" && npm run -s build)
exec node "$root/bench/page_vs_sklearn.mjs" --python "$python" "$@"
