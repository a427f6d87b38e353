#!/usr/bin/env bash
# Runs web/tests/web.rs (wasm-bindgen-test) in headless Debian Chromium, inside a dedicated worker
# with a threaded module: wasm-bindgen-test-runner serves it with COOP/COEP itself.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
export WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-300}
cargo test --target wasm32-unknown-unknown -Z build-std=panic_abort,std --package coresweep-web --test web "$@"
