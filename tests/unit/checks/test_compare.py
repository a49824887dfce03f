"""The comparison's judgements: a paired load built by hand (or two expositions, two revisions)
in, a verdict with its exact summary, evidence and figures out."""

from __future__ import annotations

from collections.abc import Sequence

from cloudrun_acceptance.checks.compare import (
    compare_latency,
    diff_config,
    judge_errors,
    judge_exposition,
    judge_latency,
)
from cloudrun_acceptance.metrics.exposition import OPENMETRICS_CONTENT_TYPE, parse_exposition
from cloudrun_acceptance.model.compare import Endpoint, PairedLoad, Sample, Side
from cloudrun_acceptance.model.contract import CompareRequest, CompareRules, RequestSpec
from cloudrun_acceptance.model.service import RevisionFacts, SecretMount

RULES = CompareRules(
    requests=(CompareRequest("cached call", RequestSpec("GET", "/api/c")),), min_samples=10
)
BASELINE = Endpoint("svc-00001-xyz", "https://svc.run.app", "the service URL (it serves 100%)")
CANDIDATE = Endpoint("svc-00002-abc", "https://candidate---svc.run.app", "tag 'candidate'")
# 19.5, 19.6, ... 20.5 ms: median 20.0 ms, so the 10% tolerance is 2.0 ms. With m = n = 11 the
# 95% interval's C is 31 (121/2 - 1.96 x sqrt(121 x 23/12), rounded); the differences of two
# such samples are 0.1 ms x (j - i), and the 31st smallest is -0.3 ms: a candidate that is
# this sample plus s has the interval s - 0.3 to s + 0.3 ms around the estimate s.
STEADY = [19.5 + 0.1 * k for k in range(11)]

Outcome = float | int | str  # ms answered 200, a status answered in 1 ms, an error


def sample(kind: str, side: Side, order: int, outcome: Outcome) -> Sample:
    url = (BASELINE if side == "baseline" else CANDIDATE).url + "/api/c"
    if isinstance(outcome, float):
        return Sample(kind, side, order, 200, outcome / 1000, url=url)
    if isinstance(outcome, int):
        return Sample(kind, side, order, outcome, 0.001, url=url)
    return Sample(kind, side, order, None, 0.0, error=outcome, url=url)


def paired(
    baseline: Sequence[Outcome], candidate: Sequence[Outcome], *, planned: int | None = None
) -> PairedLoad:
    """One exchange with each revision in turn, baseline first, all of the kind 'cached call'."""
    samples = []
    for b, c in zip(baseline, candidate, strict=True):
        samples.append(sample("cached call", "baseline", len(samples), b))
        samples.append(sample("cached call", "candidate", len(samples), c))
    return PairedLoad(
        BASELINE,
        CANDIDATE,
        tuple(samples),
        planned=planned or len(samples),
        elapsed=12.5,
        deadline_seconds=60.0,
        concurrency=8,
    )


def judged(load: PairedLoad):
    return judge_latency(compare_latency("cached call", load, RULES), RULES, load)


def test_a_slower_candidate_fails_with_both_sides_and_the_interval():
    verdict = judged(paired(STEADY, [x + 8.0 for x in STEADY]))
    assert verdict.status == "failed"
    assert verdict.summary == (
        "cached call: the candidate is 40% slower than the baseline (median 28.0 ms vs 20.0 ms; "
        "shift +8.0 ms, 95% interval +7.7 to +8.3 ms, beyond the 10% tolerance of 2.0 ms)"
    )
    assert verdict.evidence == (
        "baseline  svc-00001-xyz: n=11, p50 20.0 ms, p95 20.4 ms, p99 20.5 ms",
        "candidate svc-00002-abc: n=11, p50 28.0 ms, p95 28.4 ms, p99 28.5 ms",
        "Mann-Whitney U = 121, two-sided p = 8.15e-05",
    )
    assert verdict.advice == (
        "svc-00002-abc answers cached call slower than the revision it replaces, svc-00001-xyz: "
        "look at what changed on this request's path (the configuration diff lists CPU, memory, "
        "concurrency and env changes). If the slowdown is meant, raise compare.tolerance in the "
        "contract (now 0.1)."
    )
    assert dict(verdict.figures) == {
        "baseline n": "11",
        "baseline p50 (ms)": "20.0",
        "baseline p95 (ms)": "20.4",
        "baseline p99 (ms)": "20.5",
        "candidate n": "11",
        "candidate p50 (ms)": "28.0",
        "candidate p95 (ms)": "28.4",
        "candidate p99 (ms)": "28.5",
        "shift (ms)": "+8.0",
        "shift interval (ms)": "+7.7 to +8.3",
        "Mann-Whitney U": "121",
        "p-value": "8.15e-05",
        "median ratio": "1.400",
        "tolerance": "10% (2.0 ms)",
        "confidence": "0.95",
        "baseline statuses": "200 x11",
        "candidate statuses": "200 x11",
        # One set of bins for both sides (to the slower p95, the tail in the last): the chart.
        "histogram bins (ms)": "20.2 21.0 21.7 22.5 23.2 23.9 24.7 25.4 26.2 26.9 27.7 28.4",
        "histogram baseline": "8 3 0 0 0 0 0 0 0 0 0 0",
        "histogram candidate": "0 0 0 0 0 0 0 0 0 0 2 9",
    }


def test_a_candidate_within_the_tolerance_passes():
    verdict = judged(paired(STEADY, [x + 1.0 for x in STEADY]))
    assert verdict.status == "passed"
    assert verdict.summary == (
        "cached call: the candidate is 5% slower than the baseline (median 21.0 ms vs 20.0 ms; "
        "shift +1.0 ms, 95% interval +0.7 to +1.3 ms, within the 10% tolerance of 2.0 ms)"
    )
    faster = judged(paired(STEADY, [x - 1.0 for x in STEADY]))
    assert faster.status == "passed"
    assert faster.summary.startswith("cached call: the candidate is 5% faster than the baseline")


def test_an_interval_across_the_tolerance_is_inconclusive_and_asks_for_more_samples():
    verdict = judged(paired(STEADY, [x + 2.0 for x in STEADY]))
    assert verdict.status == "inconclusive"
    assert verdict.summary == (
        "cached call: cannot tell whether the candidate is within the 10% tolerance of 2.0 ms: "
        "the 95% interval +1.7 to +2.3 ms of the shift straddles it (median 22.0 ms vs 20.0 ms; "
        "shift +2.0 ms)"
    )
    assert verdict.advice == (
        "more exchanges narrow the interval (about as 1/sqrt(count): 4x the count halves it): "
        "raise compare.count (now 600), and compare.deadline_seconds (now 60 s) with it so the "
        "load still fits."
    )


def test_too_few_answers_at_the_deadline_is_inconclusive_and_says_so():
    verdict = judged(paired(STEADY[:5], STEADY[:5], planned=40))
    assert verdict.status == "inconclusive"
    assert verdict.summary == (
        "cached call: too few answers to compare: 5 from the candidate and 5 from the baseline, "
        "10 needed from each"
    )
    assert verdict.evidence[2:] == (
        "answers below 500 of those sent: baseline 5 of 5, candidate 5 of 5",
        "the load stopped at its 60 s deadline after 10 of the 40 planned exchanges",
    )
    assert verdict.advice == (
        "the revisions answered too slowly for the load to finish: raise "
        "compare.deadline_seconds (now 60 s)."
    )
    assert "shift (ms)" not in verdict.figures
    assert verdict.figures["candidate n"] == "5"


def test_too_few_sent_asks_for_a_larger_count():
    verdict = judged(paired(STEADY[:5], STEADY[:5]))
    assert verdict.advice == (
        "this request's share of compare.count is too small: raise compare.count (now 600) or "
        "this request's weight."
    )


def test_too_few_answers_because_the_candidate_failed_points_at_the_errors():
    candidate: list[Outcome] = [*STEADY[:5], 503, 503, 503, 503, "ReadTimeout", "ReadTimeout"]
    verdict = judged(paired(STEADY, candidate))
    assert verdict.status == "inconclusive"
    assert verdict.summary == (
        "cached call: too few answers to compare: 5 from the candidate and 11 from the baseline, "
        "10 needed from each"
    )
    assert verdict.evidence[2] == (
        "answers below 500 of those sent: baseline 11 of 11, candidate 5 of 11"
    )
    assert verdict.advice == (
        "check why the answers did not come: the errors comparison lists the exchanges that "
        "failed (5xx, refused or cut)."
    )


def test_a_candidate_that_fails_more_often_fails_and_lists_its_failures():
    candidate: list[Outcome] = [*STEADY[:5], 503, 503, 503, 503, "ReadTimeout: timed out", 500]
    verdict = judge_errors(paired(STEADY, candidate), 0.95)
    assert verdict.status == "failed"
    # Fisher by hand: all 6 failures on the candidate, C(11, 6) / C(22, 6) = 462 / 74613.
    assert verdict.summary == (
        "the candidate failed 6 of 11 exchanges (54.55%), the baseline 0 of 11 (0%): the "
        "candidate fails more often (one-sided exact test, p = 0.0062, below 0.05)"
    )
    assert verdict.evidence == (
        "the candidate's failed exchanges (5xx, refused or cut):",
        "  cached call: GET https://candidate---svc.run.app/api/c -> 503 (x4)",
        "  cached call: GET https://candidate---svc.run.app/api/c -> no answer "
        "(ReadTimeout: timed out)",
        "  cached call: GET https://candidate---svc.run.app/api/c -> 500",
    )
    assert verdict.advice.startswith(
        "read the candidate's logs for those requests: the filter "
        'resource.labels.revision_name="svc-00002-abc" AND httpRequest.status>=500 lists its 5xx'
    )
    assert dict(verdict.figures) == {
        "baseline failed": "0/11 (0%)",
        "candidate failed": "6/11 (54.55%)",
        "p-value": "0.00619",
        "confidence": "0.95",
    }


def test_the_listing_stops_at_ten_kinds_of_failure():
    statuses: list[Outcome] = list(range(500, 512)) + [503] * 2
    verdict = judge_errors(paired([20.0] * 14, statuses), 0.95)
    assert len(verdict.evidence) == 12
    assert verdict.evidence[1].endswith("-> 503 (x3)")
    assert verdict.evidence[-1] == "  ... and 2 more"


def test_a_failure_or_two_that_the_baseline_also_has_passes():
    verdict = judge_errors(paired([20.0] * 39 + [503], [20.0] * 38 + [502, 503]), 0.95)
    assert verdict.status == "passed"
    assert verdict.summary == (
        "the candidate failed 2 of 40 exchanges (5%), the baseline 1 of 40 (2.5%): not more "
        "often at 95% confidence (p = 0.5)"
    )
    assert verdict.evidence == (
        "the candidate's failed exchanges:",
        "  cached call: GET https://candidate---svc.run.app/api/c -> 502",
        "  cached call: GET https://candidate---svc.run.app/api/c -> 503",
    )
    clean = judge_errors(paired([20.0] * 40, [20.0] * 40), 0.95)
    assert (clean.status, clean.summary) == (
        "passed",
        "neither revision failed an exchange (40 to the candidate, 40 to the baseline)",
    )
    assert clean.figures["p-value"] == "1"


def test_a_side_with_no_exchange_is_inconclusive():
    load = PairedLoad(
        BASELINE, CANDIDATE, (), planned=40, elapsed=60.0, deadline_seconds=60.0, concurrency=8
    )
    verdict = judge_errors(load, 0.95)
    assert verdict.status == "inconclusive"
    assert verdict.summary == (
        "no exchange was made with the baseline or the candidate: the error rates cannot be "
        "compared"
    )
    assert verdict.evidence == (
        "the load stopped at its 60 s deadline after 0 of the 40 planned exchanges",
    )


STABLE_METRICS = parse_exposition(
    "# TYPE jobs_total counter\njobs_total 4\njobs_created 1.7e9\n"
    "# TYPE queue gauge\nqueue 2\n"
    "# TYPE cache_hits_total counter\ncache_hits_total 3\n"
    '# TYPE latency_seconds histogram\nlatency_seconds_bucket{le="+Inf"} 1\n'
    "latency_seconds_count 1\nlatency_seconds_sum 0.1\n"
)


def test_a_lost_family_or_a_changed_type_fails():
    candidate = parse_exposition(
        "# TYPE jobs_total counter\njobs_total 1\n"
        "# TYPE queue summary\nqueue_count 1\nqueue_sum 2\n"
        '# TYPE latency_seconds histogram\nlatency_seconds_bucket{le="+Inf"} 1\n'
        "latency_seconds_count 1\nlatency_seconds_sum 0.1\n"
        "# TYPE recall_total counter\nrecall_total 0\n"
    )
    verdict = judge_exposition(STABLE_METRICS, candidate)
    assert verdict.status == "failed"
    assert verdict.summary == (
        "the candidate lost 1 metric family the baseline exposes and changed the type of 1 "
        "metric family"
    )
    assert verdict.evidence == (
        "lost (the baseline exposes them, the candidate does not):",
        "  cache_hits_total (counter)",
        "type changed (baseline -> candidate):",
        "  queue: gauge -> summary",
        "new in the candidate: recall_total",
    )
    assert verdict.advice.startswith("a dashboard or alert reading them breaks")
    assert verdict.figures["lost"] == verdict.figures["type changed"] == "1"


def test_new_families_are_reported_and_spelling_is_not_a_change():
    # The candidate answers OpenMetrics: its counter is declared `jobs`, the baseline's
    # `jobs_total`; the same counter. jobs_created is bookkeeping in both.
    candidate = parse_exposition(
        "# TYPE jobs counter\njobs_total 4\njobs_created 1.7e9\n"
        "# TYPE queue gauge\nqueue 2\n"
        "# TYPE cache_hits counter\ncache_hits_total 3\n"
        '# TYPE latency_seconds histogram\nlatency_seconds_bucket{le="+Inf"} 1\n'
        "latency_seconds_count 1\nlatency_seconds_sum 0.1\n"
        "# TYPE recall counter\nrecall_total 0\n# EOF\n",
        OPENMETRICS_CONTENT_TYPE,
    )
    verdict = judge_exposition(STABLE_METRICS, candidate)
    assert verdict.status == "passed"
    assert verdict.summary == (
        "the candidate exposes all 4 metric families of the baseline, with the same types; "
        "1 new: recall_total"
    )
    assert verdict.evidence == ("new in the candidate: recall_total",)
    same = judge_exposition(STABLE_METRICS, STABLE_METRICS)
    assert same.summary == (
        "the candidate exposes all 4 metric families of the baseline, with the same types"
    )


STABLE = RevisionFacts(
    "svc-00001-xyz",
    image="europe-docker.pkg.dev/p/app/app:1",
    env={"A": "true", "LEVEL": "info", "TOKENISH": "s3cr3t-value", "GONE": "old-s3cr3t"},
    secrets={"KEY": SecretMount("KEY", "5"), "OLD": SecretMount("OLD", "1")},
    resources={"cpu": "2", "memory": "4Gi", "max_instances": "10"},
    service_account="runner@p.iam.gserviceaccount.com",
)
ENV_YAML = {"A": "true", "LEVEL": "info", "MODE": "fast"}


def test_the_configuration_diff_names_every_change_and_shows_env_yaml_values_only():
    candidate = RevisionFacts(
        "svc-00002-abc",
        image="europe-docker.pkg.dev/p/app/app:2",
        env={"A": "false", "LEVEL": "info", "MODE": "fast", "TOKENISH": "n3w-s3cr3t", "NEW": "x1"},
        secrets={"KEY": SecretMount("KEY", "6"), "NEWKEY": SecretMount("NEWKEY", "latest")},
        resources={"cpu": "2000m", "memory": "2Gi", "max_instances": "10", "min_instances": "1"},
        service_account="runner2@p.iam.gserviceaccount.com",
        concurrency=10,
    )
    verdict = diff_config(STABLE, candidate, ENV_YAML)
    assert verdict.status == "passed"
    assert verdict.summary == (
        "13 configuration changes from svc-00001-xyz to svc-00002-abc: image, service account, "
        "concurrency, memory, min_instances, env vars (5), secrets (3)"
    )
    assert verdict.evidence == (
        "image: europe-docker.pkg.dev/p/app/app:1 -> europe-docker.pkg.dev/p/app/app:2",
        "service account: runner@p.iam.gserviceaccount.com -> runner2@p.iam.gserviceaccount.com",
        "concurrency: (default) -> 10",
        "memory: 4Gi -> 2Gi",
        "min_instances added: 1",
        "env A: 'true' -> 'false'",
        "env GONE removed",
        "env MODE added: 'fast'",
        "env NEW added (not shown: not in env.yaml)",
        "env TOKENISH: value changed (not shown: not in env.yaml)",
        "secret KEY: KEY:5 -> KEY:6",
        "secret NEWKEY added: NEWKEY:latest",
        "secret OLD removed (was OLD:1)",
    )
    assert verdict.figures == {"configuration changes": "13"}


def test_values_of_env_vars_outside_env_yaml_never_show():
    candidate = RevisionFacts(
        "svc-00002-abc", env={"A": "true", "TOKENISH": "n3w-s3cr3t", "EXTRA": "s3cr3t-2"}
    )
    verdict = diff_config(STABLE, candidate, ENV_YAML)
    shown = verdict.message + repr(verdict.figures)
    for value in ("s3cr3t-value", "n3w-s3cr3t", "old-s3cr3t", "s3cr3t-2"):
        assert value not in shown
    assert "env EXTRA added (not shown: not in env.yaml)" in verdict.evidence


def test_no_change_is_said_in_one_line():
    verdict = diff_config(STABLE, STABLE, ENV_YAML)
    assert (verdict.status, verdict.summary, verdict.evidence) == (
        "passed",
        "no configuration change from svc-00001-xyz to svc-00001-xyz",
        (),
    )


def test_each_side_s_statuses_are_counted_with_the_answers_that_never_came():
    from cloudrun_acceptance.checks.compare import statuses
    from cloudrun_acceptance.model.compare import Endpoint, Sample

    samples = (
        Sample("cached call", "baseline", 0, 200, 0.02),
        Sample("cached call", "candidate", 1, 500, 0.02),
        Sample("cached call", "candidate", 2, None, 0.0, error="connection refused"),
        Sample("cached call", "candidate", 3, 200, 0.02),
        Sample("health", "candidate", 4, 200, 0.01),
    )
    load = PairedLoad(Endpoint("a", "u"), Endpoint("b", "v"), samples, 5, 1.0, 60.0, 4)
    assert statuses(load, "cached call") == {
        "baseline statuses": "200 x1",
        "candidate statuses": "200 x1, 500 x1, no answer x1",
    }
