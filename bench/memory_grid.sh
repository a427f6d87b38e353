#!/usr/bin/env bash
# Peak memory of a grid of experiment shapes against budget::estimate (examples/memory_peak.rs:
# a counting allocator's peak of live heap bytes per phase, and peak RSS). A benchmark, never a
# test. MEMORY_GRID=quick runs the small shapes only; extra arguments are passed to every run
# (e.g. threads=2).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release --example memory_peak
run=target/release/examples/memory_peak

blog="n_features=70 n_informative=65 n_redundant=5"
narrow="n_features=20 n_informative=15 n_redundant=5"
shapes=()
sizes=(1000 10000 40000)
[ "${MEMORY_GRID:-}" = quick ] || sizes+=(100000 200000)
for n in "${sizes[@]}"; do
  for data in "$blog" "$narrow"; do
    for classes in 2 5; do
      shapes+=("n_samples=$n $data n_classes=$classes n_estimators=10")
    done
  done
done
for trees in 10 100 500; do
  shapes+=("n_samples=10000 $blog n_estimators=$trees")
done
for extra in "max_depth=8" "min_samples_leaf=5" "max_samples=0.3" "bootstrap=false" \
  "flip_y=1.0" "flip_y=1.0 n_classes=5 max_features=1"; do
  shapes+=("n_samples=10000 $blog n_estimators=100 $extra")
done

printf "%-90s %12s %12s %12s %12s %6s %6s %8s %8s\n" shape peak_MiB fit_MiB rss_MiB estimate_MiB ratio fit_r fit_s est_s
for shape in "${shapes[@]}"; do
  # shellcheck disable=SC2086
  $run $shape "$@" | python3 -c '
import json, sys
shape = sys.argv[1]
d = json.loads(sys.stdin.read())
mib = lambda b: b / 2**20
fit = max(d["fit_bytes"], d["oob_bytes"])
print("%-90s %12.2f %12.2f %12.2f %12.2f %6.2f %6.2f %8.2f %8.2f" % (
    shape, mib(d["peak_bytes"]), mib(fit), mib(d["rss_bytes"]), mib(d["estimate_bytes"]),
    d["estimate_bytes"] / d["peak_bytes"], d["estimate_fit_bytes"] / fit,
    d["fit_seconds"], d["estimate_seconds"]))' "$shape $*"
done
