#!/usr/bin/env bash
# Builds the two wasm modules of the page, then the static site dist/:
# - www/pkg/         threaded (atomics, shared memory, std rebuilt, wasm-bindgen-rayon) with the
#                    sweep's simd128 kernel (cargo feature `simd128`), for cross-origin isolated
#                    pages in a browser that validates simd128 code (www/page.js);
# - www/pkg-single/  single-threaded (no atomics, no simd128, prebuilt std, cargo features off),
#                    for pages without SharedArrayBuffer (an iframe in a blog, a host without
#                    headers) or without simd128: the module every browser runs. A third build
#                    (simd128 without threads) is left out: another ~2.5 min cold.
# - www/vendor/      the QR code library the page loads when asked for a code (npm qrcode-generator)
# - dist/            index.html + www/ + _headers + coi-serviceworker.js: copy it to any static host.
# Each module: cargo (release) → wasm-bindgen --target web → npm binaryen's wasm-opt, skipped
# when nothing that goes into them changed since the last build. dist/ is assembled every time
# (a copy: a few milliseconds).
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=www/pkg/.source-hash
target_dir=${CARGO_TARGET_DIR:-target}
wasm_opt=node_modules/.bin/wasm-opt
wasm_dis=node_modules/.bin/wasm-dis
coi=node_modules/coi-serviceworker/coi-serviceworker.min.js
qrcode=node_modules/qrcode-generator/dist/qrcode.mjs

source_hash() {
  {
    find src web/src -type f -print0 | sort -z | xargs -0 sha256sum
    sha256sum Cargo.toml web/Cargo.toml Cargo.lock .cargo/config.toml rust-toolchain.toml scripts/build-wasm.sh
    wasm-bindgen --version
  } | sha256sum | cut -d' ' -f1
}

for tool in "$wasm_opt" "$coi" "$qrcode"; do
  if [ ! -e "$tool" ]; then
    echo "build-wasm: $tool is missing: run scripts/setup.sh (npm binaryen: Debian's wasm-opt breaks threaded modules; npm coi-serviceworker, qrcode-generator)" >&2
    exit 1
  fi
done

started=$SECONDS
staging=$(mktemp -d "${TMPDIR:-/tmp}/coresweep-pkg.XXXXXX")
trap 'rm -rf "$staging"' EXIT

# bindgen_opt WASM OUT [wasm-opt feature flags…]: wasm-bindgen into a fresh OUT (it never cleans
# --out-dir), then wasm-opt.
bindgen_opt() {
  local wasm=$1 out=$2
  shift 2
  # --out-name: the page imports pkg/coresweep.js whatever the package is called.
  wasm-bindgen --target web --out-name coresweep --out-dir "$out" "$wasm"
  "$wasm_opt" -O3 "$@" --enable-bulk-memory --enable-mutable-globals --enable-sign-ext \
    --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue \
    "$out/coresweep_bg.wasm" -o "$out/coresweep_bg.wasm"
  chmod 755 "$out"
}

build_modules() {
  cargo build --package coresweep-web --lib --release --target wasm32-unknown-unknown -Z build-std=panic_abort,std
  bindgen_opt "$target_dir/wasm32-unknown-unknown/release/coresweep_web.wasm" "$staging/pkg" --enable-threads \
    --enable-simd
  # wasm-bindgen-rayon's pool threads call init(module, memory) positionally, which the glue of
  # this wasm-bindgen reports as deprecated on every thread's console: pass an object instead.
  local helpers
  helpers=$(find "$staging/pkg/snippets" -name workerHelpers.no-bundler.js)
  sed -i 's/pkg\.default(data\.module, data\.memory)/pkg.default({ module_or_path: data.module, memory: data.memory })/' \
    "$helpers"
  if ! grep -q 'module_or_path: data.module' "$helpers"; then
    echo "build-wasm: could not make $helpers call init with an object" >&2
    exit 1
  fi

  # Without the shared-memory link arguments the build succeeds and the page fails later in
  # initThreadPool (DataCloneError): refuse such a module here.
  if ! "$wasm_dis" "$staging/pkg/coresweep_bg.wasm" | grep -Eq '^ *\(import "[^"]+" "memory" \(memory .*shared'; then
    echo "build-wasm: coresweep_bg.wasm does not import a shared memory; check .cargo/config.toml's link args" >&2
    exit 1
  fi

  # The single-threaded module: RUSTFLAGS (even empty) replaces .cargo/config.toml's atomics and
  # shared-memory flags; its own target dir keeps the two builds from invalidating each other.
  RUSTFLAGS="" cargo build --package coresweep-web --lib --release --target wasm32-unknown-unknown \
    --no-default-features --target-dir "$target_dir/single"
  bindgen_opt "$target_dir/single/wasm32-unknown-unknown/release/coresweep_web.wasm" "$staging/pkg-single"
  # The fallback for browsers without WebAssembly SIMD must hold no simd128 code (wasm-opt lets it
  # through: it enables what the module's target_features section declares).
  if "$wasm_dis" "$staging/pkg-single/coresweep_bg.wasm" | grep -Eq '\bv128\b|\b[if](8x16|16x8|32x4|64x2)\.'; then
    echo "build-wasm: pkg-single/coresweep_bg.wasm holds simd128 code; it must run where simd128 does not" >&2
    exit 1
  fi

  echo "$hash" >"$staging/pkg/.source-hash"
  rm -rf www/pkg www/pkg-single
  cp -r "$staging/pkg" www/pkg
  cp -r "$staging/pkg-single" www/pkg-single
  for module in www/pkg www/pkg-single; do
    wasm_bytes=$(stat -c %s "$module/coresweep_bg.wasm")
    gzip_bytes=$(gzip -9 -c "$module/coresweep_bg.wasm" | wc -c)
    echo "build-wasm: $module/coresweep_bg.wasm: $wasm_bytes bytes, $gzip_bytes gzipped, built in $((SECONDS - started)) s" >&2
  done
}

hash=$(source_hash)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$hash" ] || [ ! -f www/pkg/coresweep_bg.wasm ] ||
  [ ! -f www/pkg-single/coresweep_bg.wasm ]; then
  build_modules
fi

# The form's defaults and the registry's help for the page's first paint, from the engine itself
# (the page shows them while the wasm is still on its way).
[ www/pkg/page-defaults.json -nt www/pkg-single/coresweep_bg.wasm ] || node scripts/page-defaults.mjs

# The QR code library the page loads when asked for a code (www/devices.js), served like the
# page's own modules.
mkdir -p www/vendor
cp "$qrcode" www/vendor/qrcode.mjs

# The static site: what the page loads, the headers for hosts that read _headers (Netlify,
# Cloudflare Pages), and coi-serviceworker for hosts that send no headers at all (GitHub Pages).
mkdir -p "$staging/dist/www"
cp index.html "$staging/dist/"
cp www/*.js www/*.css "$staging/dist/www/"
cp -r www/pkg "$staging/dist/www/pkg"
cp -r www/pkg-single "$staging/dist/www/pkg-single"
cp -r www/vendor "$staging/dist/www/vendor"
cp "$coi" "$staging/dist/coi-serviceworker.js"
# The service worker only where it can help: never inside an embedding frame (it would reload
# the frame and still not be isolated), and not where the headers already isolate the page
# (www/boot.js, which runs first, sets window.coi.shouldRegister: no inline script, for the CSP).
sed -i 's|<link rel="modulepreload" href="www/app.js">|<script src="coi-serviceworker.js"></script>\n  &|' \
  "$staging/dist/index.html"
grep -q 'coi-serviceworker.js' "$staging/dist/index.html" || {
  echo "build-wasm: could not add coi-serviceworker.js to dist/index.html" >&2
  exit 1
}
# _headers is written from serve.json, so npm start and the static hosts send the same headers,
# the Content-Security-Policy included (one source: see index.html for why its meta copy differs
# by frame-ancestors). Cache-Control stays out: no-cache is for development, where the wasm changes.
node -e '
  const { headers } = JSON.parse(require("fs").readFileSync("serve.json", "utf8"));
  const all = headers.find((rule) => rule.source === "**").headers;
  const lines = all.filter(({ key }) => key !== "Cache-Control").map(({ key, value }) => `  ${key}: ${value}`);
  const note = [
    "# The headers of every file (written from serve.json by scripts/build-wasm.sh). Compression is up",
    "# to the host: Netlify, Cloudflare Pages and GitHub Pages send www/pkg/coresweep_bg.wasm with",
    "# Content-Encoding br or gzip on their own; check with curl -sI -H \"Accept-Encoding: br, gzip\".",
  ];
  process.stdout.write([...note, "/*", ...lines, ""].join("\n"));
' >"$staging/dist/_headers"

rm -rf dist
cp -r "$staging/dist" dist
