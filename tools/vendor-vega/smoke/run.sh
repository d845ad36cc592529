#!/usr/bin/env bash
# Headless-Chromium smoke test of theme/static/vendor/vega/chart-runtime.min.js
# under `script-src 'self'` (no 'unsafe-eval'), served from 127.0.0.1 only.
#   PYTHON=/path/to/python tools/vendor-vega/smoke/run.sh
# PYTHON must have altair and vl-convert-python (to compile charts to Vega);
# CHROMIUM defaults to /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")"
PYTHON="${PYTHON:-python3}"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
PORT="${PORT:-8765}"
"$PYTHON" make_page.py
profile="$(mktemp -d)"
"$PYTHON" -m http.server "$PORT" --bind 127.0.0.1 --directory out >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$profile"' EXIT
sleep 1
flags=(--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$profile"
       --window-size=900,1200 --virtual-time-budget=8000)
"$CHROMIUM" "${flags[@]}" --dump-dom "http://127.0.0.1:$PORT/index.html" > out/dom.html 2> out/chromium.log
"$CHROMIUM" "${flags[@]}" --screenshot=out/screenshot.png "http://127.0.0.1:$PORT/index.html" >/dev/null 2>>out/chromium.log || true
"$PYTHON" - <<'PY'
import html, json, re, sys
dom = open("out/dom.html").read()
m = re.search(r'<pre id="result">(.*?)</pre>', dom, re.S)
report = json.loads(html.unescape(m.group(1))) if m and m.group(1).strip().startswith("{") else {"ok": False, "raw": m and m.group(1)}
print(json.dumps(report, indent=1))
print("smoke:", "1 passed, 0 failed" if report.get("ok") else "0 passed, 1 failed")
sys.exit(0 if report.get("ok") else 1)
PY
