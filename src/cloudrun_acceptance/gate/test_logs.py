"""What did the revision log? (`gcloud logging read ... textPayload=~"metrics"`, and no 500s)

Read from Cloud Logging for the checked revision since it was created; polls up to
--logs-timeout, because ingestion lags.
"""

from __future__ import annotations

import pytest

from cloudrun_acceptance.judges import (
    judge_error_entries,
    judge_identity,
    judge_server_errors,
    judge_startup_line,
)

pytestmark = pytest.mark.gate_stage(50)


def test_startup_line_is_logged(gate, startup_scan, startup_line, gate_settings):
    gate.expect(
        judge_startup_line(
            scan=startup_scan, pattern=startup_line, timeout=gate_settings.logs_timeout
        )
    )


def test_gate_requests_were_answered_by_the_revision(gate, own_requests, deployment, gate_settings):
    gate.expect(
        judge_identity(
            found=own_requests,
            revision=deployment.revision.name,
            timeout=gate_settings.logs_timeout,
        )
    )


def test_no_server_errors_since_revision_start(gate, server_errors, gate_settings):
    gate.expect(judge_server_errors(found=server_errors, timeout=gate_settings.logs_timeout))


def test_error_severity_entries(gate, error_entries, contract):
    gate.expect(judge_error_entries(listing=error_entries, rules=contract.logs))
