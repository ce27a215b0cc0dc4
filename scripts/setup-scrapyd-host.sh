#!/usr/bin/env bash
# Prepares the Python environment that Scrapyd runs in: Scrapyd itself, every
# dependency of the project (read from pyproject.toml), and a Chromium for
# scrapy-playwright. Run it again after the dependencies change.
#
#   scripts/setup-scrapyd-host.sh [VENV]      (default: /opt/scrapyd/venv)
#
# The project itself is not installed there: it arrives as an egg
# (make deploy). Scrapyd puts an egg behind everything already installed, so
# an installed copy of sulsel_crawler would run instead of the deployed one.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${1:-/opt/scrapyd/venv}
python=${PYTHON:-python3}

[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/pip" install -q -U pip

mapfile -t requirements < <("$venv/bin/python" - <<'EOF'
import tomllib

with open("pyproject.toml", "rb") as file:
    project = tomllib.load(file)["project"]
print(*project["dependencies"], *project["optional-dependencies"]["scrapyd"], sep="\n")
EOF
)
"$venv/bin/pip" install -q "${requirements[@]}"
"$venv/bin/pip" check

if (cd / && "$venv/bin/python" -c "import sulsel_crawler" 2>/dev/null); then
  echo "setup-scrapyd-host: sulsel_crawler is installed in $venv and would shadow deployed eggs;" \
       "remove it: $venv/bin/pip uninstall sulsel_crawler" >&2
  exit 1
fi

scripts/install-browser.sh "$venv/bin"
echo "setup-scrapyd-host: ready; start Scrapyd with $venv/bin/scrapyd and SCRAPYD_USERNAME," \
     "SCRAPYD_PASSWORD in its environment (see deploy/scrapyd.service)"
