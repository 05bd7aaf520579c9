#!/bin/sh
# Runs before `npm test` (the pretest script): the browser tests drive Debian's chromium at
# /usr/bin/chromium (playwright-core downloads no browser of its own). When it is missing, install it
# if this shell can (root, with apt-get); otherwise stop at once with the one command to run, rather
# than failing minutes later in the browser tests. CHROMIUM overrides the path (for this script's test).
set -eu
chromium="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$chromium" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "pretest: $chromium is missing; installing Debian's chromium (apt-get install chromium)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2 || true
  [ -x "$chromium" ] && exit 0
fi
echo "pretest: the browser tests need Debian's chromium at $chromium. Install it, then run npm test again:" >&2
echo "  sudo apt-get update && sudo apt-get install -y chromium" >&2
exit 1
