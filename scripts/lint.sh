#!/usr/bin/env bash
# The house rules as a test step: rustfmt, and clippy with warnings as errors on every build the
# project ships: natively every crate of the workspace (engine, CLI, tests, examples), then the
# web face as the threaded and the single-threaded wasm (its code compiles only for wasm32, some
# of it only for one of the two builds). The engine is checked for wasm32 as part of the web face.
# Then the JavaScript: ESLint's recommended rules (eslint.config.js) and TypeScript's strict
# checker over the JSDoc types (tsconfig.json; it reads the engine's types from the build's
# www/pkg/coresweep.d.ts, so it runs after `npm run build`).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo fmt --all --check
cargo clippy --quiet --workspace --all-targets -- -D warnings
cargo clippy --quiet --package coresweep-web --all-targets --target wasm32-unknown-unknown \
  -Z build-std=panic_abort,std -- -D warnings
# As build-wasm.sh builds it: RUSTFLAGS (even empty) drops .cargo/config.toml's atomics flags.
RUSTFLAGS="" cargo clippy --quiet --package coresweep-web --lib --target wasm32-unknown-unknown \
  --no-default-features --target-dir "${CARGO_TARGET_DIR:-target}/single" -- -D warnings

npx --no-install eslint --max-warnings 0 .
if [ ! -f www/pkg/coresweep.d.ts ]; then
  echo "lint: www/pkg/coresweep.d.ts is missing: run npm run build first (tsc reads the engine's types)" >&2
  exit 1
fi
npx --no-install tsc -p tsconfig.json
npx --no-install tsc -p tsconfig.workers.json
npx --no-install tsc -p tests/browser/tsconfig.json
