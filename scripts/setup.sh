#!/usr/bin/env bash
# Installs what building and testing coresweep needs, each step only when it is missing:
# the pinned nightly with its rust-src and wasm32 target, the wasm-bindgen CLI matching the crate,
# Debian's Chromium, chromedriver, Firefox ESR, WebKitWebDriver, Xvfb and zbar-tools (the browser tests never
# download a browser), npm packages.
# Silent when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Rust: the nightly pinned by rust-toolchain.toml, with std sources (for -Z build-std), wasm32,
# rustfmt and clippy.
toolchain=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
if ! rustup toolchain list | grep -q "^${toolchain}-"; then
  say "installing the $toolchain toolchain"
  rustup toolchain install "$toolchain" --profile minimal
fi
installed_components=$(rustup component list --installed --toolchain "$toolchain")
for component in rust-src rustfmt clippy; do
  if ! grep -q "^${component}" <<<"$installed_components"; then
    say "adding $component"
    rustup component add "$component" --toolchain "$toolchain"
  fi
done
if ! rustup target list --installed --toolchain "$toolchain" | grep -qx 'wasm32-unknown-unknown'; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown --toolchain "$toolchain"
fi

# wasm-bindgen CLI: must be exactly the version of the wasm-bindgen crate in Cargo.lock.
if [ ! -f Cargo.lock ]; then
  cargo generate-lockfile --quiet
fi
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$bindgen_version" ]; then
  echo "setup: no wasm-bindgen in Cargo.lock" >&2
  exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $bindgen_version" ]; then
  say "installing wasm-bindgen-cli $bindgen_version (a few minutes, once)"
  # --locked first; the registry mirror may lack a crate version its lock file names,
  # then a fresh resolution of the same CLI version is the fallback.
  if ! cargo install wasm-bindgen-cli --version "$bindgen_version" --locked; then
    say "the locked install failed; resolving wasm-bindgen-cli's dependencies afresh"
    cargo install wasm-bindgen-cli --version "$bindgen_version" --force
  fi
fi

# Browsers, each only when missing: Debian's Chromium and its chromedriver, Firefox ESR
# (puppeteer-core drives it), WebKitGTK's WebKitWebDriver + MiniBrowser and Xvfb for it.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
[ -x /usr/lib/firefox-esr/firefox-esr ] || missing+=(firefox-esr)
[ -x /usr/bin/WebKitWebDriver ] || missing+=(webkit2gtk-driver)
[ -x /usr/bin/xvfb-run ] || missing+=(xvfb)
# zbarimg reads the page's QR code from a screenshot (tests/browser/devices.test.mjs).
[ -x /usr/bin/zbarimg ] || missing+=(zbar-tools)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

# npm: serve-handler, binaryen (wasm-opt), playwright-core, axe-core (the page tests' accessibility
# checks), puppeteer-core (never its browser download), selenium-webdriver, eslint, typescript and
# @types/ of selenium-webdriver and serve-handler (the lint step's JavaScript checks) — reinstalled
# when package-lock.json changed.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi
