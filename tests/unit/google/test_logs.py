"""The Logging filter of a revision, and string literals of the filter language."""

from __future__ import annotations

from datetime import UTC, datetime

from cloudrun_acceptance.google.logs import quote, revision_filter
from cloudrun_acceptance.model.service import ServiceRef


def test_quotes_and_backslashes_are_escaped():
    assert quote('say "hi" \\o/') == '"say \\"hi\\" \\\\o/"'


def test_the_filter_names_the_revision_and_a_time_bound():
    since = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    text = revision_filter(ServiceRef("p", "r", "svc"), "svc-00002-abc", since)
    assert text == (
        'resource.type="cloud_run_revision" AND resource.labels.service_name="svc" AND '
        'resource.labels.revision_name="svc-00002-abc" AND timestamp>="2026-11-26T09:00:00Z"'
    )
