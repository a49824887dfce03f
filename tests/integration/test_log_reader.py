"""The LogReader with the real google-cloud-logging client, against the sandbox's Logging API."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cloudrun_acceptance.google.logs import LogReader
from cloudrun_acceptance.google.logscan import await_own_requests
from cloudrun_acceptance.model.service import ServiceRef


def reader(sandbox, max_entries=1000) -> LogReader:
    deployment = sandbox.deployment
    return LogReader(
        ServiceRef(deployment.project, deployment.region, deployment.service),
        deployment.revision,
        deployment.created_at - timedelta(seconds=1),
        endpoint=sandbox.logging_endpoint,
        max_entries=max_entries,
    )


def test_every_page_is_read_to_the_end(sandbox_with):
    paged = sandbox_with(logging_page_limit=10)
    for index in range(45):
        paged.log.output(f"line {index}")
    listing = reader(paged).list('textPayload=~"^line "')
    assert [record.text for record in listing.records] == [f"line {i}" for i in range(45)]
    assert listing.pages == 5  # pages of 10: the last one has no nextPageToken
    assert not listing.capped


def test_the_cap_stops_reading_and_says_so(sandbox_with):
    paged = sandbox_with(logging_page_limit=10)
    for index in range(45):
        paged.log.output(f"line {index}")
    listing = reader(paged, max_entries=12).list('textPayload=~"^line "')
    assert len(listing.records) == 12
    assert listing.capped
    assert listing.pages == 2


def test_newest_first(running_sandbox):
    running_sandbox.log.output("first")
    running_sandbox.log.output("second")
    listing = reader(running_sandbox).list('textPayload=~"first|second"', newest_first=True)
    assert [record.text for record in listing.records] == ["second", "first"]


@pytest.mark.timeout(60)  # a wait past the deadline would hang; this ends it
def test_waiting_for_own_requests_stops_at_the_deadline(running_sandbox):
    import time

    deadline = time.monotonic() + 0.6
    ingestion = await_own_requests(reader(running_sandbox), "nobody/1.0", 3, deadline)
    assert (ingestion.seen, ingestion.expected, ingestion.complete) == (0, 3, False)
    assert time.monotonic() >= deadline  # it kept looking until the deadline, not past it


def test_a_sample_of_the_log_is_read_the_same_way_twice(running_sandbox):
    for index in range(400):
        running_sandbox.log.output(f"line {index}")
    first = reader(running_sandbox).list('textPayload=~"^line " AND sample(insertId, 0.25)')
    again = reader(running_sandbox).list('textPayload=~"^line " AND sample(insertId, 0.25)')
    assert 50 < len(first.records) < 150  # 100 +- 5.8 standard deviations
    assert [r.text for r in again.records] == [r.text for r in first.records]


def test_the_real_client_is_refused_what_the_api_refuses(running_sandbox):
    import google.api_core.exceptions
    import google.auth.credentials
    import google.cloud.logging
    import pytest

    client = google.cloud.logging.Client(
        project=running_sandbox.deployment.project,
        credentials=google.auth.credentials.AnonymousCredentials(),
        _use_grpc=False,
        client_options={"api_endpoint": running_sandbox.logging_endpoint},
    )
    project = [f"projects/{running_sandbox.deployment.project}"]
    with pytest.raises(google.api_core.exceptions.BadRequest, match="page_size must be between"):
        list(client.list_entries(resource_names=project, page_size=1001, max_results=5))
    with pytest.raises(google.api_core.exceptions.BadRequest, match="the limit is 20000"):
        list(client.list_entries(resource_names=project, filter_="x" * 20_001, max_results=5))


def test_the_filters_regular_expressions_are_re2_through_the_real_client(running_sandbox):
    import pytest

    from cloudrun_acceptance.google.logs import quote
    from cloudrun_acceptance.model.errors import LoggingApiError

    running_sandbox.log.output("Démarré: 12 workers")
    running_sandbox.log.output("12 workers")

    def texts(pattern: str) -> list[str]:
        found = reader(running_sandbox).list("textPayload=~" + quote(pattern))
        return [record.text for record in found.records]

    assert texts(r"^[[:alpha:]]+: \pN+ workers\z") == []  # POSIX classes are ASCII, as in RE2
    assert texts(r"^\pL+: \pN+ workers\z") == ["Démarré: 12 workers"]
    with pytest.raises(LoggingApiError) as refused:
        texts(r"workers\Z")
    assert refused.value.status == 400
    assert "RE2 has no \\Z" in refused.value.summary + refused.value.advice
