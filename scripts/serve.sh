#!/usr/bin/env bash
# Serves the page with the headers threads need (serve.json: COOP/COEP, Document-Isolation-Policy,
# CORP) on PORT (default 8080).
set -euo pipefail
cd "$(dirname "$0")/.."

port=${PORT:-8080}
echo "coresweep: http://localhost:${port}/"
exec node_modules/.bin/serve --no-clipboard --config serve.json --listen "tcp://0.0.0.0:${port}"
