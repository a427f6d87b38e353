#!/usr/bin/env bash
# The house rules as a test step: rustfmt, and clippy with warnings as errors on every build the
# project ships: native (lib, CLI, tests, examples), the threaded wasm and the single-threaded wasm
# (src/web.rs's code for each build compiles only for its own target and features).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo fmt --check
cargo clippy --quiet --all-targets -- -D warnings
cargo clippy --quiet --lib --target wasm32-unknown-unknown -Z build-std=panic_abort,std -- -D warnings
# As build-wasm.sh builds it: RUSTFLAGS (even empty) drops .cargo/config.toml's atomics flags.
RUSTFLAGS="" cargo clippy --quiet --lib --target wasm32-unknown-unknown --no-default-features -- -D warnings
