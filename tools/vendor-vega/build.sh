#!/usr/bin/env bash
# Rebuild theme/static/vendor/vega/ from the versions pinned in package-lock.json.
#   tools/vendor-vega/build.sh           # npm ci + build + checks
# npm ci installs exactly what the lock says and verifies each tarball against
# the lock's integrity hash. build.mjs then bundles, checks versions, size and
# the absence of eval, and writes chart-runtime.min.js, LICENSES.txt, MANIFEST.json.
set -euo pipefail
cd "$(dirname "$0")"
command -v node >/dev/null || { echo "vendor-vega: node (>= 18) is required" >&2; exit 1; }
npm ci --no-audit --no-fund --loglevel=error
node build.mjs
