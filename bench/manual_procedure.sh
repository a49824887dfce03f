#!/usr/bin/env bash
# The runbook's validation of a new revision, by hand, as an operator types it after deploy:
# curl health, curl the metrics and grep the TYPE lines, POST a forced analysis, wait the
# runbook's 2 s, grep the counters, POST again (cached), grep the cache hits.
#   bench/manual_procedure.sh SERVICE_URL SESSION_ID
set -euo pipefail
url=$1
session=$2

curl -fsS "$url/api/health" > /dev/null
curl -fsS "$url/api/metrics" | grep '^# TYPE' | grep -c 'memory_analysis\|concept_recall' > /dev/null
curl -fsS -X POST "$url/api/memory/analyze" -H 'Content-Type: application/json' \
  -d "{\"session_id\": \"$session\", \"force\": true}" -o /dev/null -w 'analysis %{time_total}s\n'
sleep 2
curl -fsS "$url/api/metrics" | grep -E '^memory_analysis_(success|cache_misses)_total' > /dev/null
curl -fsS -X POST "$url/api/memory/analyze" -H 'Content-Type: application/json' \
  -d "{\"session_id\": \"$session\", \"force\": false}" -o /dev/null -w 'cache %{time_total}s\n'
curl -fsS "$url/api/metrics" | grep -E '^memory_analysis_cache_hits_total' > /dev/null
