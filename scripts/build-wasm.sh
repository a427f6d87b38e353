#!/usr/bin/env bash
# Builds the threaded wasm module into www/pkg/ (coresweep.js + coresweep_bg.wasm + snippets/).
# cargo (release, std rebuilt with atomics) → wasm-bindgen --target web → npm binaryen's wasm-opt.
# Skipped when nothing that goes into the module changed since the last build.
set -euo pipefail
cd "$(dirname "$0")/.."

out=www/pkg
stamp="$out/.source-hash"
target_dir=${CARGO_TARGET_DIR:-target}
wasm_opt=node_modules/.bin/wasm-opt
wasm_dis=node_modules/.bin/wasm-dis

source_hash() {
  {
    find src -type f -print0 | sort -z | xargs -0 sha256sum
    sha256sum Cargo.toml Cargo.lock .cargo/config.toml rust-toolchain.toml scripts/build-wasm.sh
    wasm-bindgen --version
  } | sha256sum | cut -d' ' -f1
}

hash=$(source_hash)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ] && [ -f "$out/coresweep_bg.wasm" ]; then
  exit 0
fi

if [ ! -x "$wasm_opt" ]; then
  echo "build-wasm: $wasm_opt is missing: run scripts/setup.sh (npm binaryen; Debian's wasm-opt breaks threaded modules)" >&2
  exit 1
fi

started=$SECONDS
cargo build --lib --release --target wasm32-unknown-unknown -Z build-std=panic_abort,std

staging=$(mktemp -d "${TMPDIR:-/tmp}/coresweep-pkg.XXXXXX")
trap 'rm -rf "$staging"' EXIT
# --out-dir is never cleaned by wasm-bindgen: always a fresh directory.
wasm-bindgen --target web --out-dir "$staging" "$target_dir/wasm32-unknown-unknown/release/coresweep.wasm"
"$wasm_opt" -O3 \
  --enable-threads --enable-bulk-memory --enable-mutable-globals --enable-sign-ext \
  --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue \
  "$staging/coresweep_bg.wasm" -o "$staging/coresweep_bg.wasm"

# Without the shared-memory link arguments the build succeeds and the page fails later in
# initThreadPool (DataCloneError): refuse such a module here.
if ! "$wasm_dis" "$staging/coresweep_bg.wasm" | grep -Eq '^ *\(import "[^"]+" "memory" \(memory .*shared'; then
  echo "build-wasm: coresweep_bg.wasm does not import a shared memory; check .cargo/config.toml's link args" >&2
  exit 1
fi

chmod 755 "$staging"
echo "$hash" >"$staging/.source-hash"
rm -rf "$out"
mkdir -p "$(dirname "$out")"
cp -r "$staging" "$out"
wasm_bytes=$(stat -c %s "$out/coresweep_bg.wasm")
gzip_bytes=$(gzip -9 -c "$out/coresweep_bg.wasm" | wc -c)
echo "build-wasm: $out/coresweep_bg.wasm: $wasm_bytes bytes, $gzip_bytes gzipped, built in $((SECONDS - started)) s" >&2
