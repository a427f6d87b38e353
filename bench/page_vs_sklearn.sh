#!/usr/bin/env bash
# Benchmark, not a test: the page in Chromium, Firefox and WebKitGTK against the native CLI (and
# sklearn with --sklearn) on the blog's workload (see bench/page_vs_sklearn.mjs). Builds the page
# and the CLI, makes the sklearn venv when asked, then runs the comparison; the other arguments
# go to the script.
#   bench/page_vs_sklearn.sh                                  # 500 trees, threads 1,2, 3 repeats
#   bench/page_vs_sklearn.sh --sklearn                        # and sklearn
#   bench/page_vs_sklearn.sh --trees 50 --repeats 1 --engines chromium   # a quick run
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
args=()
for arg in "$@"; do
  if [ "$arg" = "--sklearn" ]; then
    # shellcheck source=sklearn-venv.sh
    source "$root/bench/sklearn-venv.sh"
    args+=(--python "$python")
  else
    args+=("$arg")
  fi
done
(cd "$root" && npm run -s build)
# shellcheck source=native-cli.sh
source "$root/bench/native-cli.sh"
exec node "$root/bench/page_vs_sklearn.mjs" --coresweep "$coresweep" "${args[@]}"
