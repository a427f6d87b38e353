#!/usr/bin/env bash
# Runs web/tests/web.rs (wasm-bindgen-test) in headless Debian Chromium, inside a dedicated worker
# with a threaded module: wasm-bindgen-test-runner serves it with COOP/COEP itself. Then the
# engine's sweep-kernel tests (src/tree/gini_block.rs: the simd128 kernel against the scalar one)
# and sort tests (src/tree/sort.rs: wasm radix sorts smaller nodes) in Node, built like the
# single-threaded module (no atomics) in its target dir.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
export WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-300}
cargo test --target wasm32-unknown-unknown -Z build-std=panic_abort,std --package coresweep-web --test web "$@"
RUSTFLAGS="" cargo test --target wasm32-unknown-unknown --package coresweep --lib --features simd128 \
  --target-dir "${CARGO_TARGET_DIR:-target}/single" gini_block
# The sorts against the standard sort, with wasm's choice of sort by node size.
RUSTFLAGS="" cargo test --target wasm32-unknown-unknown --package coresweep --lib --features simd128 \
  --target-dir "${CARGO_TARGET_DIR:-target}/single" tree::sort
