"""The local Logging API's filter language: what the gate sends must mean what it means in Google's."""

from __future__ import annotations

import pytest

from cloudrun_acceptance.google.logs import quote, revision_filter
from cloudrun_acceptance.model.service import ServiceRef
from cloudrun_acceptance.sandbox.logging.filter import FilterError, parse_filter

REQUEST = {
    "resource": {
        "type": "cloud_run_revision",
        "labels": {"service_name": "svc", "revision_name": "svc-2"},
    },
    "timestamp": "2026-11-25T10:00:05.000001Z",
    "severity": "ERROR",
    "httpRequest": {"status": 503, "userAgent": 'cloudrun-acceptance/0.1.0 (run "x")'},
    "logName": "projects/p/logs/run.googleapis.com%2Frequests",
}
LINE = {
    **{k: v for k, v in REQUEST.items() if k != "httpRequest"},
    "severity": "INFO",
    "textPayload": "[Metrics] 13 metrics registered",
}


def matches(text: str, entry: dict) -> bool:
    return parse_filter(text)(entry)


def test_the_gates_revision_filter_selects_by_service_revision_and_time():
    from datetime import UTC, datetime

    base = revision_filter(
        ServiceRef("p", "r", "svc"), "svc-2", datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    )
    assert matches(base, REQUEST)
    assert not matches(base.replace("svc-2", "svc-1"), REQUEST)
    later = revision_filter(
        ServiceRef("p", "r", "svc"), "svc-2", datetime(2026, 11, 25, 10, 1, tzinfo=UTC)
    )
    assert not matches(later, REQUEST)


@pytest.mark.parametrize(
    ("text", "request_matches", "line_matches"),
    [
        ("httpRequest.status>=500", True, False),
        ("severity>=ERROR", True, False),
        ("severity<WARNING", False, True),
        ("textPayload=~" + quote(r"\[Metrics\] \d+ metrics"), False, True),
        ('textPayload=~"nope" OR jsonPayload.message=~"nope"', False, False),
        ('NOT httpRequest.status>=500 AND logName:"run.googleapis.com%2F"', False, True),
        ('(severity=ERROR OR severity=INFO) resource.type="cloud_run_revision"', True, True),
        ("httpRequest.userAgent=" + quote(REQUEST["httpRequest"]["userAgent"]), True, False),
        ("", True, True),
    ],
)
def test_filter_terms(text, request_matches, line_matches):
    assert matches(text, REQUEST) is request_matches
    assert matches(text, LINE) is line_matches


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("severity>=LOUD", "Invalid severity 'LOUD'"),
        ('textPayload=~"(?=x)y"', "RE2 has no lookahead"),
        ("timestamp>=yesterday", "Invalid timestamp 'yesterday'"),
        ("(severity=ERROR", "missing )"),
        ("severity ERROR", "expected an operator after severity"),
        ("severity>=ERROR )", "unexpected ')'"),
    ],
)
def test_unparseable_filters_are_errors(text, message):
    with pytest.raises(FilterError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_filter(text)(REQUEST)


# The rules of Google's Logging query language reference
# (cloud.google.com/logging/docs/view/logging-query-language) that the sandbox honours, a row each:
# (the rule, a filter, whether REQUEST matches it, whether LINE matches it).
RULES = [
    # "NOT has the highest precedence, followed by OR and AND in that order."
    # Each of these would match one entry if AND bound tighter.
    (
        "OR binds tighter than AND",
        'severity=INFO AND textPayload:"nope" OR httpRequest.status=503',
        False,
        False,
    ),
    (
        "OR binds tighter than juxtaposition (an implicit AND)",
        'severity=ERROR textPayload:"nope" OR textPayload:"metrics"',
        False,
        False,
    ),
    (
        "the reference's own example: a OR NOT b AND NOT c OR d",
        "severity=ERROR OR NOT severity=INFO AND NOT severity=ERROR OR severity=INFO",
        False,
        False,
    ),
    (
        "gcloud --freshness: its timestamp clause AND a filter with OR still filters by time",
        'timestamp>="2026-11-25T11:00:00Z" AND severity=ERROR OR severity=INFO',
        False,
        False,
    ),
    ("NOT binds tighter than OR", "NOT severity=ERROR OR httpRequest.status=503", True, True),
    # "You can also use - (minus) as NOT."
    ("a leading minus is NOT", "-severity>=ERROR", False, True),
    ("a minus before a parenthesis is NOT", "-(severity=ERROR OR severity=INFO)", False, False),
    ("a minus inside a value is text", "resource.labels.revision_name=svc-2", True, True),
    # "The Logging query language is case-insensitive, with the exception of regular expressions
    # and logical operators"; "String comparisons aren't case sensitive."
    ("= ignores case", 'resource.type="CLOUD_RUN_REVISION"', True, True),
    ("!= ignores case", 'resource.labels.service_name!="SVC"', False, False),
    ("the has operator : ignores case", 'textPayload:"[metrics] 13 METRICS"', False, True),
    (
        "a regular expression does not ignore case",
        "textPayload=~" + quote(r"\[metrics\]"),
        False,
        False,
    ),
    (
        "a regular expression that matches the case",
        "textPayload=~" + quote(r"\[Metrics\]"),
        False,
        True,
    ),
]


@pytest.mark.parametrize(
    ("rule", "text", "request_matches", "line_matches"), RULES, ids=[row[0] for row in RULES]
)
def test_the_query_languages_rules(rule, text, request_matches, line_matches):
    assert (matches(text, REQUEST), matches(text, LINE)) == (request_matches, line_matches), rule


def test_logical_operators_must_be_capitals():
    with pytest.raises(FilterError):
        parse_filter("severity=ERROR or severity=INFO")


def test_a_sample_selects_about_its_fraction_the_same_entries_each_time():
    entries = [{**REQUEST, "insertId": f"entry{index:06d}"} for index in range(20_000)]
    quarter = parse_filter("sample(insertId, 0.25)")
    chosen = [entry["insertId"] for entry in entries if quarter(entry)]
    assert 4_700 < len(chosen) < 5_300  # 5,000 +- 4.3 standard deviations
    again = parse_filter("httpRequest.status>0 AND sample(insertId,0.25)")
    assert [entry["insertId"] for entry in entries if again(entry)] == chosen
    assert not any(map(parse_filter("sample(insertId, 0)"), entries))
    assert all(map(parse_filter("sample(insertId, 1)"), entries))
    assert not matches("sample(insertId, 1)", REQUEST)  # no insertId: never selected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sample(insertId, 1.5)", "the fraction must be a number from 0 to 1, not '1.5'"),
        ("sample(insertId, half)", "not 'half'"),
        ("sample(insertId)", "sample() takes a field and a fraction"),
        ("sample(insertId, 0.5", "missing ) after sample("),
        ("sampled(insertId, 0.5)", "unknown function sampled()"),
    ],
)
def test_a_sample_that_cannot_be_taken_is_an_error(text, message):
    with pytest.raises(FilterError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_filter(text)


def test_an_entry_without_a_severity_is_default():
    plain = {k: v for k, v in LINE.items() if k != "severity"}
    assert matches("severity>=DEFAULT", plain)
    assert matches("severity=DEFAULT", plain)
    assert not matches("severity>=INFO", plain)
    assert matches("severity<INFO", plain)


def test_regular_expressions_follow_re2_both_ways():
    assert matches(r'textPayload=~"^\\[Metrics\\] \\d+ metrics registered\\z"', LINE)
    assert matches('textPayload=~"^[[:punct:]][[:alpha:]]+"', LINE)
    assert matches('textPayload=~"\\\\pL+ registered"', LINE)
    with pytest.raises(FilterError, match=r"RE2 has no \\Z"):
        parse_filter(r'textPayload=~"registered\\Z"')
