"""Counters read around an action, paired per instance, polled until they move."""

from __future__ import annotations

import itertools

import httpx

from cloudrun_acceptance.metrics.exposition import parse_exposition
from cloudrun_acceptance.model.contract import CounterRule, MetricsRules
from cloudrun_acceptance.probe.client import ServiceClient
from cloudrun_acceptance.probe.counters import observe_counters, readings
from cloudrun_acceptance.probe.scrape import scrape

RULE = CounterRule("jobs_total", {}, 1)


class Fleet:
    """Instances behind round-robin, each with its own counter and start time."""

    def __init__(
        self, instances: int, *, churn: bool = False, stuck: bool = False, failing: bool = False
    ) -> None:
        self.counts = [0] * instances
        self.turn = itertools.count()
        self.churn = churn
        self.stuck = stuck
        self.failing = failing
        self.created = itertools.count(100)

    def handle(self, request: httpx.Request) -> httpx.Response:
        index = next(self.turn) % len(self.counts)
        if request.method == "POST":
            if self.failing:
                return httpx.Response(500, json={"detail": "Internal Server Error"})
            if not self.stuck:
                self.counts[index] += 1
            return httpx.Response(200, json={"ok": True})
        start = next(self.created) if self.churn else 1000 + index
        body = f"# HELP jobs_total J.\n# TYPE jobs_total counter\njobs_total {self.counts[index]}\n# HELP process_start_time_seconds S.\n# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds {start}\n"
        return httpx.Response(200, text=body, headers={"Content-Type": "text/plain; version=0.0.4"})


def observe(fleet: Fleet, deadline: float = 0.3, *, seeded: bool = False):
    """The counters around one POST; ``seeded``: with a scrape of the caller's own just before."""
    client = ServiceClient("http://svc", transport=httpx.MockTransport(fleet.handle))
    first = scrape(client, MetricsRules()).snapshot if seeded else None
    assert first is not None or not seeded
    return observe_counters(
        client,
        metrics=MetricsRules(),
        rules=[RULE],
        act=lambda: [client.post("/work", json={})],
        deadline=deadline,
        first=first,
    ), client


def test_one_instance_moves_on_the_first_poll():
    run, client = observe(Fleet(1))
    assert run.outcome == "moved"
    assert (run.readings[0].before, run.readings[0].after) == (0, 1)
    assert client.sent == {"GET /metrics": 3, "POST /work": 1}


def test_round_robin_pairs_each_scrape_with_its_own_instance():
    run, _ = observe(Fleet(2))
    assert run.outcome == "moved"
    assert run.instances_seen == 2
    assert run.readings[0].delta == 1


def test_stuck_counter_fails_after_the_deadline():
    run, client = observe(Fleet(1, stuck=True), deadline=0.3)
    assert run.outcome == "stuck"
    assert run.readings[0].describe() == "jobs_total: before 0, after 0 (+0, expected at least +1)"
    # Polled after the action until the deadline, with a growing interval, not hammered.
    assert 3 < client.sent["GET /metrics"] < 12


def test_a_failed_action_is_not_polled_for_until_the_deadline():
    run, client = observe(Fleet(1, failing=True), deadline=5)
    assert run.actions[0].status == 500
    # Two baselines and one scrape after the action, which keeps the counters as evidence.
    assert client.sent["GET /metrics"] == 3
    assert run.readings[0].describe() == "jobs_total: before 0, after 0 (+0, expected at least +1)"


def test_every_scrape_on_a_new_instance_is_inconclusive():
    run, _ = observe(Fleet(1, churn=True), deadline=5)
    assert run.outcome == "inconclusive"
    assert run.notes[0].startswith(
        "all 5 scrapes after the action came from instances without a baseline"
    )


def test_unreadable_metrics_are_reported_not_compared():
    client = ServiceClient(
        "http://svc",
        transport=httpx.MockTransport(
            lambda r: httpx.Response(
                200, text="<html></html>", headers={"Content-Type": "text/html"}
            )
        ),
    )
    run = observe_counters(
        client,
        metrics=MetricsRules(fingerprint="x"),
        rules=[RULE],
        act=lambda: [],
        deadline=1,
    )
    assert run.outcome == "unreadable"
    assert run.actions == ()
    assert run.failed_scrape is not None and run.failed_scrape.problem == "content_type"


def test_a_scrape_just_taken_is_the_first_baseline():
    run, client = observe(Fleet(1), seeded=True)
    assert run.outcome == "moved"
    # The given scrape, one baseline scrape that repeats its instance, one poll: one less than
    # the two baselines and a poll after a scrape of the caller's own.
    assert client.sent == {"GET /metrics": 3, "POST /work": 1}
    assert run.scrapes == 2


def test_round_robin_with_a_first_baseline_still_scrapes_until_an_instance_repeats():
    run, _ = observe(Fleet(2), seeded=True)
    assert run.outcome == "moved"
    assert run.instances_seen == 2


def test_a_summarys_count_is_read_and_a_missing_name_gets_the_closest():
    """A Go service's exposition: the summary's _count is a counter; a labelled counter is
    exposed only from its first use (absent before the action, so counted from 0)."""
    head = "# TYPE rpc_seconds summary\n"
    before = parse_exposition(f"{head}rpc_seconds_sum 1\nrpc_seconds_count 4\n")
    after = parse_exposition(
        f"{head}rpc_seconds_sum 2\nrpc_seconds_count 5\n"
        '# TYPE jobs_total counter\njobs_total{kind="a"} 1\n'
    )
    rules = [
        CounterRule("rpc_seconds_count"),
        CounterRule("jobs_total", {"kind": "a"}),
        CounterRule("rpc_second_count"),
    ]
    count, jobs, typo = readings(rules, before, after)
    assert count.describe() == "rpc_seconds_count: before 4, after 5 (+1, expected at least +1)"
    assert jobs.describe() == 'jobs_total{kind="a"}: before 0, after 1 (+1, expected at least +1)'
    assert typo.describe() == (
        "rpc_second_count: not exposed (before absent, after absent); closest names exposed: "
        "rpc_seconds_count, rpc_seconds_sum, rpc_seconds"
    )
