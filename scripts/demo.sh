#!/usr/bin/env bash
# Offline demo: serves the sample site kept in tests/data on localhost and
# crawls it end to end through the spider's mirror mode.
set -euo pipefail
bin=${1:-.venv/bin}
port=${2:-8765}
site=tests/data/site-snapshot
out=output/demo-articles.jsonl
log=$(mktemp)

"$bin/python" -m replica --site "$site" --port "$port" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 50); do grep -q "^serving" "$log" && break; sleep 0.1; done
grep -q "^serving" "$log" || { cat "$log"; echo "demo: replica server did not start" >&2; exit 1; }

"$bin/scrapy" crawl sulselsatu -a base_url="http://127.0.0.1:$port" -O "$out" \
  -s AUTOTHROTTLE_ENABLED=0 -s DOWNLOAD_DELAY=0 -s LOG_LEVEL=INFO

echo
echo "demo: $(wc -l <"$out") articles of $(wc -l <"$site/expected.jsonl") written to $out"
echo "demo: report ${out%.jsonl}.report.html, coverage ${out%.jsonl}.coverage.json, dataset card $(dirname "$out")/README.md"
