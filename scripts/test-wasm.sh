#!/usr/bin/env bash
# Runs web/tests/web.rs (wasm-bindgen-test) in headless Debian Chromium, inside a dedicated worker
# with a threaded module: wasm-bindgen-test-runner serves it with COOP/COEP itself. Then the
# engine's vector-kernel tests in Node (src/tree/gini_block.rs: the simd128 sweep kernel against
# the scalar one; src/numeric/openblas.rs: the simd128 emulated FMA chains against f64::mul_add;
# src/tree/gather.rs: the simd128 key gather against the plain definition), and its sorts
# (src/tree/sort.rs: wasm radix sorts smaller nodes), built like the single-threaded module (no
# atomics) in its target dir.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
export WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-300}
cargo test --target wasm32-unknown-unknown -Z build-std=panic_abort,std --package coresweep-web --test web "$@"
# The test runner takes one filter: one run per module.
# A module whose tests are not marked for wasm-bindgen-test runs none there and passes: refused.
for module in gini_block numeric::openblas tree::sort tree::gather; do
  out=$(RUSTFLAGS="" cargo test --target wasm32-unknown-unknown --package coresweep --lib --features simd128 \
    --target-dir "${CARGO_TARGET_DIR:-target}/single" "$module" 2>&1) || { echo "$out"; exit 1; }
  echo "$out"
  if ! grep -Eq '^test result: ok\. [1-9]' <<<"$out"; then
    echo "test-wasm: no test of $module ran in wasm (mark it wasm_bindgen_test)" >&2
    exit 1
  fi
done
