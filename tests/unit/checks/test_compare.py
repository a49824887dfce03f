"""The comparison's judgements: a paired load built by hand (or two expositions, two revisions)
in, a verdict with its exact summary, evidence and figures out."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from cloudrun_acceptance.checks.compare import (
    compare_latency,
    diff_config,
    judge_exposition,
    judge_latency,
    still_open,
)
from cloudrun_acceptance.checks.histogram import HISTOGRAM_KEYS
from cloudrun_acceptance.metrics.exposition import OPENMETRICS_CONTENT_TYPE, parse_exposition
from cloudrun_acceptance.model.compare import Endpoint, PairedLoad, Sample, Side
from cloudrun_acceptance.model.contract import CompareRequest, CompareRules, RequestSpec
from cloudrun_acceptance.model.service import RevisionFacts, SecretMount

RULES = CompareRules(
    requests=(CompareRequest("cached call", RequestSpec("GET", "/api/c")),), min_samples=16
)
BASELINE = Endpoint("svc-00001-xyz", "https://svc.run.app", "the service URL (it serves 100%)")
CANDIDATE = Endpoint("svc-00002-abc", "https://candidate---svc.run.app", "tag 'candidate'")
# 19.5, 19.6, ... 20.5 ms, over and over: median 20.0 ms.
STEADY = [19.5 + 0.1 * (k % 11) for k in range(200)]

Outcome = float | int | str  # ms answered 200, a status answered in 1 ms, an error


def sample(kind: str, side: Side, order: int, outcome: Outcome, pair: int) -> Sample:
    url = (BASELINE if side == "baseline" else CANDIDATE).url + "/api/c"
    if isinstance(outcome, float):
        return Sample(kind, side, order, 200, outcome / 1000, url=url, pair=pair)
    if isinstance(outcome, int):
        return Sample(kind, side, order, outcome, 0.001, url=url, pair=pair)
    return Sample(kind, side, order, None, 0.0, error=outcome, url=url, pair=pair)


def paired(
    baseline: Sequence[Outcome], candidate: Sequence[Outcome], *, ended: str = "decided"
) -> PairedLoad:
    """One pair after another, baseline first, all of the kind 'cached call'."""
    samples = []
    for pair, (b, c) in enumerate(zip(baseline, candidate, strict=True)):
        samples.append(sample("cached call", "baseline", len(samples), b, pair))
        samples.append(sample("cached call", "candidate", len(samples), c, pair))
    return PairedLoad(
        BASELINE,
        CANDIDATE,
        tuple(samples),
        planned=2 * RULES.max_count,
        elapsed=12.5,
        deadline_seconds=60.0,
        concurrency=8,
        ended=ended,  # type: ignore[arg-type]
    )


def judged(load: PairedLoad):
    return judge_latency(
        comparison=compare_latency(kind="cached call", load=load, rules=RULES),
        rules=RULES,
        load=load,
    )


def test_a_slower_candidate_fails_with_both_sides_and_the_interval():
    verdict = judged(paired(STEADY, [x * 1.4 for x in STEADY]))
    assert verdict.status == "failed"
    assert verdict.summary.startswith(
        "cached call: the candidate is slower than the baseline beyond the 10% tolerance: "
        "+40.0% (anytime interval "
    )
    assert verdict.summary.endswith("; median 28.0 ms vs 20.0 ms")
    assert verdict.evidence[:2] == (
        "baseline  svc-00001-xyz: n=200, p50 20.0 ms, p95 20.5 ms, p99 20.5 ms",
        "candidate svc-00002-abc: n=200, p50 28.0 ms, p95 28.7 ms, p99 28.7 ms",
    )
    assert verdict.evidence[2].startswith(
        "error budget: 2.5% of 5% (one of 2 tests: 1 request kind and the errors); decided by a "
        "look after each block of 8 pairs"
    )
    assert verdict.advice == (
        "svc-00002-abc answers cached call slower than the revision it replaces, svc-00001-xyz: "
        "look at what changed on this request's path (the configuration diff lists CPU, memory, "
        "concurrency and env changes). If the slowdown is meant, raise compare.tolerance in the "
        "contract (now 0.1)."
    )
    figures = dict(verdict.figures)
    assert figures["shift (%)"] == "+40.0%"
    low, _, high = figures["shift interval (%)"].partition(" to ")
    assert 10 < float(low.rstrip("%")) < 40 < float(high.rstrip("%"))
    assert figures["tolerance"] == "10% slower"
    assert re.fullmatch(r"failed after \d+ pairs \(look \d+\)", figures["decided"])
    assert figures["error budget"] == ("2.5% of 5% (one of 2 tests: 1 request kind and the errors)")
    # The chart's figures (tests/unit/checks/test_histogram.py).
    assert set(HISTOGRAM_KEYS) <= set(figures)


def test_the_decision_is_taken_at_the_first_look_that_shows_it():
    verdict = judged(paired(STEADY, [x * 1.4 for x in STEADY]))
    pairs, look = map(int, re.findall(r"\d+", verdict.figures["decided"]))
    assert pairs < 200  # well before the last pair
    assert pairs == 8 * (look + 1)  # a look after every block, from min_samples (16) on
    assert f"after {pairs} pairs;" in verdict.summary


def test_a_candidate_within_the_tolerance_passes():
    verdict = judged(paired(STEADY, [x * 1.02 for x in STEADY]))
    assert verdict.status == "passed"
    assert verdict.summary.startswith(
        "cached call: the candidate is within the 10% tolerance of the baseline (2% slower than "
        "it at the median): +2.0% (anytime interval "
    )
    faster = judged(paired(STEADY, [x * 0.9 for x in STEADY]))
    assert faster.status == "passed"
    assert "(10% faster than it at the median)" in faster.summary


def test_an_interval_across_the_tolerance_is_inconclusive_and_asks_for_more_pairs():
    verdict = judged(paired(STEADY, [x * 1.1 for x in STEADY], ended="budget"))
    assert verdict.status == "inconclusive"
    assert verdict.summary.startswith(
        "cached call: cannot tell whether the candidate is within the 10% tolerance: its "
        "interval straddles +10% at the end of its budget of 200 pairs (compare.max_count): "
        "+10.0% (anytime interval "
    )
    assert verdict.advice == (
        "a noisier service needs more pairs (the interval narrows about as 1/sqrt(pairs): 4x the "
        "pairs halve it): raise compare.max_count (now 8000), and compare.deadline_seconds (now "
        "180 s) with it so the load still fits."
    )


def test_too_few_pairs_at_the_deadline_is_inconclusive_and_says_so():
    verdict = judged(paired(STEADY[:5], STEADY[:5], ended="deadline"))
    assert verdict.status == "inconclusive"
    assert verdict.summary == (
        "cached call: too few pairs to compare: 5 pairs answered below 500 by both revisions, "
        "16 needed (compare.min_samples)"
    )
    assert verdict.evidence[2:] == (
        "answers below 500 of those sent: baseline 5 of 5, candidate 5 of 5",
        "the load stopped at its 60 s deadline after 10 exchanges, with a request kind still "
        "undecided",
    )
    assert verdict.advice == (
        "the revisions answered too slowly for the load to get far: raise "
        "compare.deadline_seconds (now 180 s)."
    )
    assert "shift (%)" not in verdict.figures
    assert verdict.figures["pairs"] == "5"


def test_too_small_a_budget_asks_for_a_larger_one():
    rules = replace(RULES, max_count=10)
    load = paired(STEADY[:10], STEADY[:10], ended="budget")
    verdict = judge_latency(
        comparison=compare_latency(kind="cached call", load=load, rules=rules),
        rules=rules,
        load=load,
    )
    assert verdict.advice == (
        "this request's budget (10 pairs) is below compare.min_samples: raise compare.max_count "
        "(now 10)."
    )


def test_too_few_pairs_because_the_candidate_failed_points_at_the_errors():
    candidate: list[Outcome] = [*STEADY[:10], 503, 503, 503, 503, "ReadTimeout", "ReadTimeout"]
    verdict = judged(paired(STEADY[:16], candidate, ended="budget"))
    assert verdict.status == "inconclusive"
    assert verdict.summary.startswith("cached call: too few pairs to compare: 10 pairs")
    assert verdict.evidence[2] == (
        "answers below 500 of those sent: baseline 16 of 16, candidate 10 of 16"
    )
    assert verdict.advice.startswith(
        "check why the answers did not come: the errors comparison lists the exchanges that "
        "failed (5xx, refused or cut)"
    )


def test_the_load_goes_on_for_the_kinds_still_undecided():
    steady = STEADY * 10
    decided = paired(steady, [x * 1.4 for x in steady])
    assert still_open(decided, RULES, ["cached call"]) == set()
    short = paired(STEADY[:20], STEADY[:20])
    assert still_open(short, RULES, ["cached call"]) == {"cached call"}
    # The latency is decided after 200 pairs, but not yet that no failure is 1% of them.
    errors_open = paired(STEADY, [x * 1.4 for x in STEADY])
    assert still_open(errors_open, RULES, ["cached call"]) == {"cached call"}


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
    verdict = judge_exposition(baseline=STABLE_METRICS, candidate=candidate)
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
    verdict = judge_exposition(baseline=STABLE_METRICS, candidate=candidate)
    assert verdict.status == "passed"
    assert verdict.summary == (
        "the candidate exposes all 4 metric families of the baseline, with the same types; "
        "1 new: recall_total"
    )
    assert verdict.evidence == ("new in the candidate: recall_total",)
    same = judge_exposition(baseline=STABLE_METRICS, candidate=STABLE_METRICS)
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
    verdict = diff_config(baseline=STABLE, candidate=candidate, env_file=ENV_YAML)
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
    verdict = diff_config(baseline=STABLE, candidate=candidate, env_file=ENV_YAML)
    shown = verdict.message + repr(verdict.figures)
    for value in ("s3cr3t-value", "n3w-s3cr3t", "old-s3cr3t", "s3cr3t-2"):
        assert value not in shown
    assert "env EXTRA added (not shown: not in env.yaml)" in verdict.evidence


def test_no_change_is_said_in_one_line():
    verdict = diff_config(baseline=STABLE, candidate=STABLE, env_file=ENV_YAML)
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
