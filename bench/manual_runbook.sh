#!/usr/bin/env bash
# The whole runbook by hand: its curl half (bench/manual_procedure.sh), then its gcloud half, as
# an operator types it: the revisions, the revision's env, and the logs for startup lines and
# 500s. gcloud runs under the configuration the caller exports (the sandbox's, in the bench).
#   bench/manual_runbook.sh SERVICE_URL SESSION_ID PROJECT REGION SERVICE
set -euo pipefail
url=$1 session=$2 project=$3 region=$4 service=$5
where=(--region "$region" --project "$project")

bash "$(dirname "$0")/manual_procedure.sh" "$url" "$session"
gcloud run revisions list --service "$service" "${where[@]}" > /dev/null
revision=$(gcloud run services describe "$service" "${where[@]}" \
  --format='value(status.latestReadyRevisionName)')
gcloud run revisions describe "$revision" "${where[@]}" \
  --format='value(spec.containers[0].env)' | grep -q CONCEPT_RECALL_METRICS_ENABLED
gcloud logging read "resource.type=\"cloud_run_revision\" AND resource.labels.revision_name=\"$revision\" AND (textPayload:\"[Metrics]\" OR httpRequest.status>=500)" \
  --project "$project" --freshness=1h --limit=50 > /dev/null
