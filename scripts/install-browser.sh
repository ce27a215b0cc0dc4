#!/usr/bin/env bash
# Makes a Chromium available to scrapy-playwright: the system's Chromium when
# there is one (Debian's package, installed here when running as root),
# otherwise Playwright's own download (needs internet access).
set -euo pipefail
bin=${1:-.venv/bin}

for candidate in /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
  if [ -x "$candidate" ]; then
    echo "browser: $candidate"
    exit 0
  fi
done

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q && apt-get install -y -q chromium
  echo "browser: /usr/bin/chromium (installed)"
  exit 0
fi

"$bin/playwright" install chromium
echo "browser: Playwright's Chromium"
