"""The logs stage reads Cloud Monitoring for the 5xx check only when the 5xx listing was capped,
from the revision's start to now, and hands a refusal on as the check's observation; the
Monitoring client is not imported on the way."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from cloudrun_acceptance.engine.log_stage import LogsStage
from cloudrun_acceptance.google.monitoring import MetricsReader, alignment_seconds
from cloudrun_acceptance.model.errors import MonitoringApiError
from cloudrun_acceptance.model.logs import Ingestion, Listing
from cloudrun_acceptance.model.monitoring import MetricCounts, RevisionCounts, RevisionTally
from cloudrun_acceptance.model.service import ServiceRef

STARTED = datetime(2026, 11, 26, 9, 0, 12, tzinfo=UTC)
REF = ServiceRef("p", "r", "svc")


class Metrics:
    """A Monitoring reader that notes what it was asked, and answers or refuses."""

    def __init__(self, refuse: bool = False) -> None:
        self.refuse = refuse
        self.asked: list[tuple[str, datetime, datetime]] = []

    def revision_counts(self, revision: str, start: datetime, end: datetime) -> RevisionTally:
        self.asked.append((revision, start, end))
        if self.refuse:
            raise MonitoringApiError("denied", "grant roles/monitoring.viewer.", 403)
        counts = MetricCounts((RevisionCounts(revision, 10, 3),), start, end, 1)
        return RevisionTally(revision, start, end, counts)


def stage(metrics: Metrics | None) -> LogsStage:
    reader = SimpleNamespace(ref=REF)
    return LogsStage(
        reader,  # type: ignore[arg-type]
        time.monotonic() + 5,
        (),
        metrics=metrics,  # type: ignore[arg-type]
        revision="svc-00002-abc",
        since=STARTED,
    )


def listing(*, capped: bool) -> Listing:
    return Listing((), 1, capped, "f")


def test_a_capped_listing_is_counted_from_the_revisions_start_to_now():
    metrics = Metrics()
    before = datetime.now(UTC)
    found = stage(metrics).server_errors(listing(capped=True), Ingestion(6, 6, 0.5))
    ((revision, start, end),) = metrics.asked
    assert (revision, start) == ("svc-00002-abc", STARTED)
    assert before <= end <= datetime.now(UTC)
    assert isinstance(found.counted, RevisionTally)
    assert (found.counted.requests, found.counted.errors) == (10, 3)
    assert found.project == "p"


def test_a_listing_that_took_every_5xx_reads_no_monitoring():
    metrics = Metrics()
    found = stage(metrics).server_errors(listing(capped=False), Ingestion(6, 6, 0.5))
    assert metrics.asked == []
    assert found.counted is None


def test_a_refusal_is_the_observation_not_an_exception():
    found = stage(Metrics(refuse=True)).server_errors(listing(capped=True), Ingestion(6, 6, 0.5))
    assert isinstance(found.counted, MonitoringApiError)
    assert found.counted.status == 403


def test_without_a_monitoring_reader_nothing_is_counted():
    assert stage(None).server_errors(listing(capped=True), Ingestion(6, 6, 0.5)).counted is None


def test_the_counts_since_start_are_whole_minutes_and_a_day_of_points_at_most():
    day = timedelta(days=1)
    assert alignment_seconds(STARTED, STARTED + timedelta(seconds=30)) == 60
    assert alignment_seconds(STARTED, STARTED + day) == 60
    assert alignment_seconds(STARTED, STARTED + day + timedelta(minutes=1)) == 120
    assert alignment_seconds(STARTED, STARTED + 30 * day) == 1800


def test_the_revisions_counts_ask_for_that_alignment():
    asked: list[tuple[tuple[str, ...], str]] = []

    class Reader(MetricsReader):
        def request_counts(self, revisions, start, end, *, alignment="60s"):
            asked.append((revisions, alignment))
            return MetricCounts((RevisionCounts(revisions[0], 7, 1),), start, end, 1)

    end = STARTED + timedelta(days=3)
    counted = Reader(REF, endpoint=None).revision_counts("svc-00002-abc", STARTED, end)
    assert asked == [(("svc-00002-abc",), "180s")]
    assert (counted.start, counted.end, counted.requests, counted.errors) == (STARTED, end, 7, 1)
    assert counted.missing_after == end - timedelta(minutes=4)


def test_the_logs_stage_loads_no_monitoring_client():
    code = (
        "import sys, cloudrun_acceptance.engine.log_stage; "
        "print(sorted(m for m in sys.modules if m.startswith(('googleapiclient', 'httplib2'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
