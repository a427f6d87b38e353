#!/usr/bin/env bash
# Serves the page with the headers threads need (serve.json: COOP/COEP, Document-Isolation-Policy,
# CORP, the CSP) on every response, 304s included (scripts/server.mjs), on PORT (default 8080).
set -euo pipefail
cd "$(dirname "$0")/.."

exec node scripts/server.mjs
