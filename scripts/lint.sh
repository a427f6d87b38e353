#!/usr/bin/env bash
# The house rules as a test step: rustfmt, and clippy with warnings as errors on every build the
# project ships: natively every crate of the workspace (engine, CLI, tests, examples), then the
# web face as the threaded and the single-threaded wasm (its code compiles only for wasm32, some
# of it only for one of the two builds). The engine is checked for wasm32 as part of the web face.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo fmt --all --check
cargo clippy --quiet --workspace --all-targets -- -D warnings
cargo clippy --quiet --package coresweep-web --all-targets --target wasm32-unknown-unknown \
  -Z build-std=panic_abort,std -- -D warnings
# As build-wasm.sh builds it: RUSTFLAGS (even empty) drops .cargo/config.toml's atomics flags.
RUSTFLAGS="" cargo clippy --quiet --package coresweep-web --lib --target wasm32-unknown-unknown \
  --no-default-features --target-dir "${CARGO_TARGET_DIR:-target}/single" -- -D warnings
