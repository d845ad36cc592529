#!/usr/bin/env bash
# Installs the operating-system packages the project needs, when they are
# missing and the machine can install them (Debian's apt, as root).
#   build: a CJK font, so chart images show Traditional Chinese glyphs
#   test:  the above, plus Chromium for the browser tests and Java for the
#          HTML checker
#   bench: the build's, plus Chromium and Node.js for Lighthouse (make bench)
# Set CHROMIUM to use another browser binary; it is then not installed.
set -euo pipefail
mode=${1:-build}

missing=()
have_cjk_font() {
  command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list ':lang=zh-tw' family 2>/dev/null | head -n 1)" ]
}
have_cjk_font || missing+=(fonts-noto-cjk fontconfig)
if [ "$mode" = test ]; then
  if [ -z "${CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then missing+=(chromium); fi
  command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
fi
if [ "$mode" = bench ]; then
  if [ -z "${CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then missing+=(chromium); fi
  command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup-system: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi
echo "setup-system: missing ${missing[*]}; install them with your package manager" >&2
exit 1
