"""Logs checks: the startup lines are there; no request was answered 5xx (counted by Cloud
Monitoring when the logs hold more than the listing takes); errors are counted."""

from __future__ import annotations

import difflib
import re
from datetime import datetime

from ..model.contract import LogRules
from ..model.errors import LoggingApiError, MonitoringApiError
from ..model.gcloud import Command
from ..model.logs import Ingestion, Listing, LogRecord, ServerErrors, StartupScan
from ..model.monitoring import VISIBLE_WITHIN_SECONDS, RevisionTally
from ..model.verdict import Verdict, failed, inconclusive, passed
from .api import api_failure
from .figures import percent

MAX_LISTED = 20


def _cap_note(listing: Listing) -> list[str]:
    if not listing.capped:
        return []
    return [
        f"only the first {len(listing.records)} entries were read (logs.max_entries); "
        "there are more"
    ]


def judge_startup_line(
    *, scan: StartupScan | LoggingApiError, pattern: str, timeout: float
) -> Verdict:
    """The revision logged a line matching ``pattern`` since it was created."""
    if isinstance(scan, LoggingApiError):
        return api_failure(scan)
    record = scan.found.get(pattern)
    if record is not None:
        return passed(
            f"logged: {record.describe()}", figures={"found after (s)": f"{scan.waited:.1f}"}
        )
    if not scan.nearby:
        return inconclusive(
            f"no line of the revision was in Cloud Logging after {scan.waited:.1f} s, so "
            f"/{pattern}/ could not be looked for: the entries were not yet ingested "
            f"({scan.polls} queries; --logs-timeout {timeout:g} s)",
            advice="Cloud Logging shows entries seconds to minutes after they are written: raise "
            f"--logs-timeout (now {timeout:g} s), or run the logs checks again a little later.",
        )
    nearby = closest_lines(pattern, scan.nearby)
    listing = [f"  {line.describe()}" for line in nearby]
    return failed(
        f"no log line of the revision matches /{pattern}/ after {scan.waited:.1f} s "
        f"({scan.polls} queries; --logs-timeout {timeout:g} s)",
        evidence=["closest lines logged by the revision:", *listing],
        advice="the app did not log it at startup: is the feature switched on (see the metrics and "
        "env checks)? If the wording changed, update logs.startup_lines in the contract; if "
        "ingestion is slow, raise --logs-timeout.",
    )


def judge_server_errors(
    *, found: ServerErrors | tuple[Listing, Ingestion] | LoggingApiError, timeout: float
) -> Verdict:
    """No request of the revision was answered 5xx since it was created (the gate's included).

    The logs list the first ``logs.max_entries`` 5xx. When there were more, the count, and the
    rate among every request, are Cloud Monitoring's when it was read (``found.counted``), else
    the logs' lower bound and why; the first failed requests are listed from the logs either
    way, with the command that lists them all. (A bare ``(listing, ingestion)`` is taken too.)"""
    if isinstance(found, LoggingApiError):
        return api_failure(found)
    if isinstance(found, tuple):
        found = ServerErrors(*found)
    listing, ingestion = found.listing, found.ingestion
    notes = []
    if not ingestion.complete:
        notes.append(
            f"only {ingestion.seen} of the gate's {ingestion.expected} answered requests were in "
            f"the logs after {ingestion.waited:.1f} s: later errors may not be ingested yet"
        )
    figures = {
        "5xx requests": f"{len(listing.records)}{'+' if listing.capped else ''}",
        "log pages read": str(listing.pages),
        "gate requests seen in logs": f"{ingestion.seen}/{ingestion.expected}",
    }
    if not listing.records and not ingestion.complete:
        return inconclusive(
            f"no 5xx among the entries ingested so far, but only {ingestion.seen} of the gate's "
            f"{ingestion.expected} answered requests were in the logs after "
            f"{ingestion.waited:.1f} s: the entries were not yet ingested",
            advice="Cloud Logging shows entries seconds to minutes after the request: raise "
            f"--logs-timeout (now {timeout:g} s) so the gate waits for its own requests.",
            figures=figures,
        )
    if not listing.records:
        return passed("no request of the revision was answered 5xx", figures=figures)
    shown = [f"  {record.describe()}" for record in listing.records[:MAX_LISTED]]
    more = len(listing.records) - len(shown)
    summary = f"{figures['5xx requests']} request(s) of the revision were answered 5xx"
    counted: list[str] = []
    if listing.capped and found.counted is not None:
        summary, counted, said = _counted(found.counted, listing, summary)
        figures.update(said)
        counted.append(f"the first {len(shown)} failed requests, from the logs:")
    every = _every_one(found) if listing.capped or more else []
    return failed(
        summary,
        evidence=[
            *counted,
            *shown,
            *([f"  ... and {more} more"] if more else []),
            *_cap_note(listing),
            *every,
            *notes,
        ],
        advice="open the traces above in Cloud Trace, or read the revision's logs around those "
        f"times{' (the command above lists every one)' if every else ''}; a 5xx right after "
        "deploy usually means a missing env var, secret or dependency.",
        figures=figures,
    )


def _every_one(found: ServerErrors) -> list[str]:
    """The command that lists every 5xx of the revision, oldest first (the filter alone when
    the project is not known)."""
    text = found.listing.filter
    if not found.project:
        return [f"the filter that finds every one of them: {text}"]
    words = ("gcloud", "logging", "read", text, "--project", found.project, "--order", "asc")
    return [f"every one of them, oldest first: {Command(words)}"]


def _counted(
    counted: RevisionTally | MonitoringApiError, listing: Listing, said: str
) -> tuple[str, list[str], dict[str, str]]:
    """The summary, evidence and figures of a capped listing with Cloud Monitoring's counts:
    its count when it has more 5xx than the logs read, else the logs' lower bound, and why."""
    read = len(listing.records)
    lower = f"so {read}+ (the logs' first {read}) is a lower bound"
    if isinstance(counted, MonitoringApiError):
        advice = counted.advice.rstrip(".")
        return (
            said,
            [
                f"Cloud Monitoring was not read, {lower}: {counted.summary}. To count "
                f"every 5xx and request: {advice}."
            ],
            {"metrics covered": "not read"},
        )
    stretch = (
        f"run.googleapis.com/request_count, Cloud Run's one-minute samples that ended from "
        f"{_at(counted.start)} (the revision's start) to {_at(counted.end)} (when read), "
        f"{counted.counts.calls} call(s)"
    )
    if not counted.visible:
        return (
            said,
            [
                f"Cloud Monitoring had no sample of {counted.revision} yet ({stretch}; each shows "
                f"up to {VISIBLE_WITHIN_SECONDS} s after its minute ends), {lower}"
            ],
            {"metrics covered": "no point visible yet (Cloud Run's samples show up to 180 s late)"},
        )
    rate = _rate(counted.errors, counted.requests)
    line = (
        f"Cloud Monitoring counted {counted.errors} 5xx among {counted.requests} requests of "
        f"{counted.revision} ({rate}): {stretch}; a sample shows up to {VISIBLE_WITHIN_SECONDS} s "
        f"after its minute ends, so requests after about {_at(counted.missing_after)} may not "
        "be counted yet"
    )
    figures = {
        "requests (Cloud Monitoring)": str(counted.requests),
        "5xx (Cloud Monitoring)": f"{counted.errors} ({rate})",
        "metrics covered": f"{_at(counted.start)} to {_at(counted.end)} "
        f"({counted.counts.calls} call(s))",
    }
    if counted.errors <= read:
        behind = (
            f"the logs hold more 5xx than that: its newest samples are not visible yet, {lower}"
        )
        return said, [line, behind], figures
    figures["5xx requests"] = f"{counted.errors} (Cloud Monitoring)"
    return (
        f"{counted.errors} of the {counted.requests} requests to the revision since it started "
        f"were answered 5xx ({rate}; Cloud Monitoring's count: the logs hold more than the "
        f"{read} read)",
        [line],
        figures,
    )


def _at(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


def _rate(errors: int, requests: int) -> str:
    """The share of 5xx: "2.46%", "<0.01%" for a few in very many."""
    if not requests:
        return "no request counted"
    share = errors / requests
    return "<0.01%" if 0 < share < 0.0001 else percent(share)


def judge_identity(*, found: Ingestion | LoggingApiError, revision: str, timeout: float) -> Verdict:
    """The gate's own requests, found in the logs by their User-Agent, were answered by the
    revision under check: not by an older one the traffic is pinned to, not by another service."""
    if isinstance(found, LoggingApiError):
        return api_failure(found)
    others = [record for record in found.records if record.revision != revision]
    figures = {"gate requests seen in logs": f"{found.seen}/{found.expected}"}
    if others:
        served = sorted({record.revision or "(no revision)" for record in others})
        table = [
            f"  {record.describe()} <- {record.revision or '(no revision)'}"
            for record in others[:MAX_LISTED]
        ]
        more = len(others) - len(table)
        return failed(
            f"{len(others)} of the gate's {found.seen} requests in the logs were answered by "
            f"{', '.join(served)}, not by {revision}",
            evidence=["request <- revision that answered it:", *table]
            + ([f"  ... and {more} more"] if more else []),
            advice="the gate did not check the revision it names: the service URL's traffic goes "
            "to another revision (see test_revision_serves_expected_traffic), the tag points "
            "elsewhere, or the URL is another service's. Check --service-url and --tag, or check "
            "a no-traffic candidate through its tag URL (--tag).",
            figures=figures,
        )
    if not found.complete:
        return inconclusive(
            f"only {found.seen} of the gate's {found.expected} answered requests were in the logs "
            f"after {found.waited:.1f} s: which revision answered the others is not known yet",
            advice=f"Cloud Logging lags: raise --logs-timeout (now {timeout:g} s).",
            figures=figures,
        )
    return passed(
        f"all {found.seen} of the gate's requests were answered by {revision}", figures=figures
    )


def judge_error_entries(*, listing: Listing | LoggingApiError, rules: LogRules) -> Verdict:
    """Entries at ERROR or above: counted and listed; they fail only if the contract says so."""
    if isinstance(listing, LoggingApiError):
        return api_failure(listing)
    count = len(listing.records)
    figures = {"entries at ERROR or above": f"{count}{'+' if listing.capped else ''}"}
    shown = [f"  {record.describe()}" for record in listing.records[:MAX_LISTED]]
    entries = f"{count} {'entry' if count == 1 else 'entries'}"
    if count and rules.error_severity == "fail":
        return failed(
            f"{entries} of the revision {'is' if count == 1 else 'are'} at ERROR or above",
            evidence=[*shown, *_cap_note(listing)],
            advice="read them; set logs.error_severity: report in the contract to only report "
            "them.",
            figures=figures,
        )
    summary = (
        "no entry at ERROR or above"
        if not count
        else f"{entries} at ERROR or above (reported only)"
    )
    return passed(summary, figures=figures, evidence=[*shown, *_cap_note(listing)])


def closest_lines(pattern: str, records: tuple[LogRecord, ...], count: int = 3) -> list[LogRecord]:
    """The lines most like what ``pattern`` looks for, else the first few."""
    plain = re.sub(r"\\(.)", r"\1", pattern)
    texts = [record.text for record in records]
    close = difflib.get_close_matches(plain, texts, n=count, cutoff=0.4)
    return [records[texts.index(text)] for text in close] or list(records[:count])
