"""9. The candidate against the stable revision (``compare:``): how often the sequential
comparison is wrong at the contract's defaults, how many exchanges and how long it takes to
decide, and whether the paired load keeps up with wrk; then a quicker sweep of ``max_count``
and concurrency.

The sandbox runs in a process of its own (``bench.serve --flow candidate``), as a deployed
service does: the stable revision at the service URL, the candidate at the tag URL. Each run
builds the request kinds from the shipped contract's ``compare:`` section as the gate's fixture
does (``plugin/fixtures_compare.py``: ``mix_of``, each kind's budget ``max_count`` pairs, the
session filled in, the comparison's own clients), sends the paired load as the fixture does
(``run_paired_load(..., undecided=lambda load: still_open(load, rules, names))``: pairs in
rounds until the judge has decided every kind and the errors, the budget is sent or the
deadline comes) and judges it with the gate's own functions (``compare_latency`` and
``judge_latency`` per kind, ``judge_errors``). Before the load, the contract's analysis request
is sent once to each URL, as the gate's forced analysis would have been (in the sandbox the
first cache call would analyse the session itself; the cache is shared by the revisions).

Three scenarios, the runs interleaved round-robin so that the machine's noise falls on all of
them alike, a fresh sandbox process per scenario every ``RUNS_PER_SANDBOX`` rounds (new ports,
a new seed for the candidate's errors):

- **A/A**: identical revisions. A run fails when any verdict is failed or inconclusive
  (inconclusive fails the gate by default). Target: at most 1 run in 40.
- **slow cache**: the candidate's cache hit 25% slower (``--candidate-cache-delay=0.005``:
  20 ms -> 25 ms, the stable revision's stays at 20 ms). Detected when the cached call's
  latency verdict is failed. Target: at least 38 of 40.
- **errors**: 2% of the candidate's health and cache-hit answers are 500, none of the stable
  one's. Detected when the errors verdict is failed. Target: at least 38 of 40.

In the two A/B scenarios every other verdict compares like with like (the health kind always;
the errors in the slow-cache runs; the latencies of the answers below 500 in the errors runs):
their false failures are counted too. Per scenario, reported: the exchanges each comparison
used per side (median and max) against its budget (``max_count`` pairs per kind), how its loads
ended (decided, budget, deadline), and its wall time (the load with the judge's looks, then the
verdicts); for A/A, each kind's latency ratio estimate at its decision and the pairs it took.
Per detection, what it took: the cached call's pairs at the deciding look, or the candidate's
exchanges when the errors' e-value first reached its threshold (replayed exchange by exchange
on the load, with the gate's own e-value and budget; the gate looks when a kind's pairs make
another block of 8, so it decides a little later).

Throughput: the paired load with no judge (``undecided=None``: the health kind sends its whole
``Kind.count`` of pairs, both "sides" the same stable URL, the contract's concurrency) against
``wrk -t1 -cN -d5s``, interleaved, against the same sandbox process, with the CPU each spends
per request. Target: at least 0.7 of wrk's rate.

The sweep: ``max_count`` 1000 and 5000 at concurrency 4 and 8 (5000 at 4 is the defaults,
measured above), all three scenarios, a few runs each, with the same figures and targets (a
few runs can show a miss, not a rate), and the fastest of those measured that met them.
"""

from __future__ import annotations

import importlib
import os
import re
import resource
import shutil
import statistics
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace

from bench.common import PYTHON, REPO, Figure
from cloudrun_acceptance.checks.budget import comparison_budget
from cloudrun_acceptance.checks.compare import (
    compare_latency,
    judge_errors,
    judge_latency,
    still_open,
)
from cloudrun_acceptance.config.contract import load_contract
from cloudrun_acceptance.model.compare import Endpoint, PairedLoad
from cloudrun_acceptance.model.contract import CompareRules, Contract
from cloudrun_acceptance.model.judge import LatencyEvidence
from cloudrun_acceptance.plugin.fixtures_compare import COMPARE_AGENT
from cloudrun_acceptance.probe.client import ServiceClient
from cloudrun_acceptance.probe.pairedload import Kind, mix_of, run_paired_load
from cloudrun_acceptance.sandbox.platform.deployment import PREVIOUS_REVISION, REVISION, SESSION_ID

BENCH = "compare"
CONTRACT = REPO / "tests/acceptance/contract.yaml"
RUNS = 40  # per scenario, at the defaults
RUNS_PER_SANDBOX = 10  # a fresh sandbox process per scenario every this many rounds
MAX_FALSE_FAILURE_RATE = 1 / 40
MIN_DETECTION_RATE = 38 / 40
CACHE_DELAY = 0.005  # 20 ms -> 25 ms: 25% slower
ERROR_RATE = 0.02
ERRORS = "errors"  # the errors verdict's name beside the kinds'
# wrk's run, and the paired load beside it: pairs of the health kind, a fixed number.
WRK_SECONDS = 5
THROUGHPUT_PAIRS = 600
THROUGHPUT_ROUNDS = 3
MIN_THROUGHPUT_RATIO = 0.7
# The sweep: (max_count, concurrency) beside the defaults, each a few runs of every scenario.
SWEEP: tuple[tuple[int, int], ...] = ((1000, 4), (1000, 8), (5000, 8))
SWEEP_RUNS = 4
SWEEP_THROUGHPUT_ROUNDS = 1
# The judge's modules (numpy, scipy), imported before any timing: the gate's fixture overlaps
# their import with the load's warm-up.
STATS_MODULES = (
    "cloudrun_acceptance.checks.sequential",
    "cloudrun_acceptance.checks.counts",
    "cloudrun_acceptance.checks.blocks",
    "cloudrun_acceptance.checks.stats",
)


@dataclass(frozen=True)
class Scenario:
    """A candidate as ``bench.serve`` runs it, and the verdict it should fail (none for A/A)."""

    name: str
    args: tuple[str, ...]
    differs: str | None  # a kind's name, ERRORS, or None: every verdict should pass


@dataclass(frozen=True)
class Pair:
    """A running candidate-flow sandbox: the stable revision's URL, the candidate's, its pid."""

    stable: str
    candidate: str
    pid: int


@dataclass(frozen=True)
class Outcome:
    """One comparison: each verdict's status (the kinds', and ERRORS), each kind's latency
    evidence, the exchanges sent per side (the larger side's), how the load ended, the
    candidate's exchanges when the errors' e-value reached its threshold (None: never), and
    the time (the load with its looks; the whole comparison, verdicts included)."""

    statuses: dict[str, str]
    evidence: dict[str, LatencyEvidence | None]
    exchanges: int
    ended: str
    errors_at: int | None
    candidate_failed: int
    load_seconds: float
    seconds: float

    def false_failure(self, differs: str | None) -> bool:
        """A verdict comparing like with like (any but ``differs``) failed or was inconclusive."""
        return any(status != "passed" for name, status in self.statuses.items() if name != differs)

    def detected(self, differs: str) -> bool:
        """The verdict that should fail did."""
        return self.statuses[differs] == "failed"


def kinds_of(rules: CompareRules, test_session: str = SESSION_ID) -> list[Kind]:
    """The kinds as the gate's fixture builds them (``mix_of``), with the sandbox's session."""
    return mix_of(rules, test_session)[0]


def budget_per_side(rules: CompareRules) -> int:
    """The most exchanges with each side: every kind's budget of pairs."""
    return sum(kind.count for kind in kinds_of(rules))


def errors_detected_at(load: PairedLoad, rules: CompareRules) -> int | None:
    """The candidate's exchanges when the errors' e-value (the gate's own test, at its share
    of the comparison's budget) first reached its threshold, replaying the load's exchanges in
    order; None when it never did."""
    from cloudrun_acceptance.checks.counts import errors_e_value

    alpha = comparison_budget(rules, load.kinds).alpha
    failed = {"baseline": 0, "candidate": 0}
    sent = {"baseline": 0, "candidate": 0}
    for sample in load.samples:
        sent[sample.side] += 1
        failed[sample.side] += sample.failed
        if not failed["candidate"]:
            continue  # no evidence yet: an e-value of 1
        e_value = errors_e_value(
            failed["candidate"], sent["candidate"], failed["baseline"], sent["baseline"]
        )
        if e_value >= 1 / alpha:
            return sent["candidate"]
    return None


def client_factory(contract: Contract) -> Callable[[str], ServiceClient]:
    """The comparison's clients, as the fixture makes them (no credentials: the sandbox is
    public)."""

    def client_for(url: str) -> ServiceClient:
        return ServiceClient.for_contract(url, contract, user_agent=COMPARE_AGENT)

    return client_for


def _serve(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [PYTHON, "-m", "bench.serve", "--flow", "candidate", *args],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def _ready(process: subprocess.Popen[str], contract: Contract) -> Pair:
    """The sandbox's URLs once it prints them, the session analysed on both."""
    assert process.stdout is not None
    pair = Pair(process.stdout.readline().strip(), process.stdout.readline().strip(), process.pid)
    if not pair.candidate:
        raise RuntimeError("bench.serve printed no tag URL")
    analysis = contract.analysis
    assert analysis is not None
    for url in (pair.stable, pair.candidate):
        client = client_factory(contract)(url)
        done = client.send(analysis.request.filled(SESSION_ID), timeout=analysis.timeout_seconds)
        client.close()
        if done.status != 200:
            raise RuntimeError(f"the analysis before the load: {done!r}")
    return pair


@contextmanager
def candidate_sandboxes(contract: Contract, *argss: tuple[str, ...]) -> Iterator[list[Pair]]:
    """Candidate-flow sandboxes, a process each (started together), the session analysed on
    both URLs of each, as the gate's forced analysis would have done."""
    processes = [_serve(*args) for args in argss]
    try:
        yield [_ready(process, contract) for process in processes]
    finally:
        for process in processes:
            assert process.stdin is not None
            process.stdin.close()
        for process in processes:
            process.wait(timeout=10)


def compare_once(pair: Pair, contract: Contract, rules: CompareRules) -> Outcome:
    """One comparison as the gate makes it: the sequential paired load, then each verdict."""
    kinds = kinds_of(rules)
    names = [kind.name for kind in kinds]
    started = time.perf_counter()
    load = run_paired_load(
        Endpoint(PREVIOUS_REVISION, pair.stable, "the service URL (it serves 100%)"),
        Endpoint(REVISION, pair.candidate, "tag 'candidate'"),
        kinds,
        rules.concurrency,
        rules.deadline_seconds,
        client_factory(contract),
        undecided=lambda load: still_open(load, rules, names),
    )
    loaded = time.perf_counter()
    statuses: dict[str, str] = {}
    evidence: dict[str, LatencyEvidence | None] = {}
    for kind in kinds:
        comparison = compare_latency(kind=kind.name, load=load, rules=rules)
        statuses[kind.name] = judge_latency(comparison=comparison, rules=rules, load=load).status
        evidence[kind.name] = comparison.evidence
    statuses[ERRORS] = judge_errors(load=load, rules=rules).status
    seconds = time.perf_counter() - started
    return Outcome(
        statuses=statuses,
        evidence=evidence,
        exchanges=max(len(load.of("baseline")), len(load.of("candidate"))),
        ended=load.ended,
        errors_at=errors_detected_at(load, rules),
        candidate_failed=sum(s.failed for s in load.of("candidate")),
        load_seconds=loaded - started,
        seconds=seconds,
    )


def run_scenarios(
    contract: Contract,
    scenarios: Sequence[Scenario],
    rules: Sequence[CompareRules],
    runs: int,
) -> dict[tuple[str, int], list[Outcome]]:
    """``runs`` comparisons of each scenario under each rules, interleaved round-robin; a
    fresh sandbox per scenario every RUNS_PER_SANDBOX rounds. Keyed by (scenario, rules index)."""
    outcomes: dict[tuple[str, int], list[Outcome]] = {
        (s.name, i): [] for s in scenarios for i in range(len(rules))
    }
    done = 0
    while done < runs:
        block = min(RUNS_PER_SANDBOX, runs - done)
        with candidate_sandboxes(contract, *(s.args for s in scenarios)) as started:
            pairs = {s.name: pair for s, pair in zip(scenarios, started, strict=True)}
            for _ in range(block):
                for index, each in enumerate(rules):
                    for s in scenarios:
                        outcomes[s.name, index].append(compare_once(pairs[s.name], contract, each))
        done += block
    return outcomes


def wrk_rate(url: str, concurrency: int) -> tuple[float, float, str]:
    """wrk's requests per second, its CPU per request (ms), and a note (non-2xx answers)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        ["wrk", "-t1", f"-c{concurrency}", f"-d{WRK_SECONDS}s", url],
        capture_output=True,
        text=True,
        check=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
    total = re.search(r"(\d+) requests in", done.stdout)
    if rate is None or total is None:
        raise RuntimeError(f"wrk said:\n{done.stdout}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", done.stdout)
    return float(rate[1]), 1000 * cpu / int(total[1]), f"{bad[1]} non-2xx" if bad else ""


def process_cpu(pid: int) -> float:
    """A process's CPU seconds so far (user and system), from /proc."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def throughput(
    contract: Contract, rules: CompareRules, concurrency: int, rounds: int
) -> list[Figure]:
    """The paired load's rate, THROUGHPUT_PAIRS pairs of the health kind and no judge, both
    sides the stable URL, against wrk's at the same concurrency, interleaved against one
    sandbox process."""
    label = f"requests per second, paired load / wrk, concurrency {concurrency}"
    if shutil.which("wrk") is None:
        return [Figure(BENCH, label, "wrk not found (apt-get install wrk)", "-", None)]
    health = next(k for k in kinds_of(rules) if k.request.path == contract.health_path)
    kind = Kind(health.name, health.request, THROUGHPUT_PAIRS)
    client_for = client_factory(contract)
    rates: dict[str, list[float]] = {"paired": [], "wrk": []}
    cpu: dict[str, list[float]] = {"paired": [], "wrk": [], "sandbox paired": [], "sandbox wrk": []}
    notes = set()
    with candidate_sandboxes(contract, ()) as (pair,):
        endpoint = Endpoint(PREVIOUS_REVISION, pair.stable)
        for _ in range(rounds):
            served = process_cpu(pair.pid)
            rate, own, note = wrk_rate(f"{pair.stable}{contract.health_path}", concurrency)
            served = process_cpu(pair.pid) - served
            rates["wrk"].append(rate)
            cpu["wrk"].append(own)
            cpu["sandbox wrk"].append(1000 * served / (rate * WRK_SECONDS))
            notes |= {note} - {""}
            served, mine = process_cpu(pair.pid), time.process_time()
            load = run_paired_load(
                endpoint,
                endpoint,
                [kind],
                concurrency,
                rules.deadline_seconds,
                client_for,
                undecided=None,
            )
            served, mine = process_cpu(pair.pid) - served, time.process_time() - mine
            rates["paired"].append(len(load.samples) / load.elapsed)
            cpu["paired"].append(1000 * mine / len(load.samples))
            cpu["sandbox paired"].append(1000 * served / len(load.samples))
            if failed := sum(s.failed for s in load.samples):
                notes.add(f"paired load: {failed} failed")
            if load.ended != "budget":
                notes.add(f"paired load ended at its {load.ended}")
    paired, wrk = (statistics.median(rates[name]) for name in ("paired", "wrk"))
    ratio = paired / wrk
    cpus = {name: statistics.median(values) for name, values in cpu.items()}
    of = f"median of {rounds} interleaved" if rounds > 1 else "one round"
    said = "".join(f"; {note}" for note in sorted(notes))
    return [
        Figure(
            BENCH,
            label,
            f"{ratio:.2f} ({paired:.0f} req/s vs wrk's {wrk:.0f}; {THROUGHPUT_PAIRS} pairs; "
            f"{of}{said})",
            f">= {MIN_THROUGHPUT_RATIO:g}",
            ratio >= MIN_THROUGHPUT_RATIO,
        ),
        Figure(
            BENCH,
            f"CPU per request, concurrency {concurrency}: load generator; sandbox",
            f"paired load {cpus['paired']:.2f} ms, wrk {cpus['wrk']:.3f} ms; sandbox "
            f"{cpus['sandbox paired']:.2f} ms under the paired load, "
            f"{cpus['sandbox wrk']:.2f} ms under wrk ({os.cpu_count()} cores for both)",
            "reported",
            None,
        ),
    ]


def spread(values: Sequence[float], unit: str = "") -> str:
    """The values' median and max ("median 412, max 1020"; two decimals in seconds)."""
    ordered = sorted(values)
    if not ordered:
        return "-"
    shown = "{:.2f}" if unit == " s" else "{:g}"
    median = shown.format(statistics.median(ordered))
    return f"median {median}{unit}, max {shown.format(ordered[-1])}{unit}"


def _share(count: int, runs: int) -> str:
    return f"{count}/{runs}"


def _describe(rules: CompareRules) -> str:
    return (
        f"max_count {rules.max_count}, concurrency {rules.concurrency}, tolerance "
        f"{rules.tolerance:g}, confidence {rules.confidence:g}, min_samples {rules.min_samples}"
    )


def _false_failures(outcomes: Sequence[Outcome], differs: str | None) -> tuple[int, str]:
    """Runs with a false failure, and which verdicts were wrong (status x count)."""
    wrong: Counter[str] = Counter()
    for outcome in outcomes:
        for name, status in outcome.statuses.items():
            if name != differs and status != "passed":
                wrong[f"{name} {status}"] += 1
    count = sum(o.false_failure(differs) for o in outcomes)
    said = ", ".join(f"{name} x{n}" for name, n in sorted(wrong.items()))
    return count, said


def _estimates(outcomes: Sequence[Outcome], kinds: Sequence[str]) -> str:
    """Each kind's ratio estimates at its deciding look, as changes (lowest to highest), and
    its pairs to the decision. (The interval's upper end of a passed kind is at the tolerance
    or below by construction: the estimate says how far from it the revisions were.)"""
    parts = []
    for kind in kinds:
        found = [e for o in outcomes if (e := o.evidence.get(kind)) is not None]
        estimates = sorted(e.estimate for e in found if e.estimate is not None)
        if not estimates:
            continue
        parts.append(
            f"{kind} {100 * (estimates[0] - 1):+.1f}% to {100 * (estimates[-1] - 1):+.1f}% "
            f"(pairs {spread([e.candidate for e in found])})"
        )
    return "; ".join(parts) or "-"


def _detection_detail(runs: Sequence[Outcome], differs: str) -> str:
    """What the detections took: the errors' candidate exchanges to the threshold, or the
    cached call's pairs at the deciding look and its ratio estimate."""
    if differs == ERRORS:
        at = [o.errors_at for o in runs if o.errors_at is not None]
        failed = sorted(o.candidate_failed for o in runs)
        return (
            f"candidate exchanges to the e-value's threshold {spread(at)}; the candidate failed "
            f"{failed[0]} to {failed[-1]} exchanges of its load"
        )
    found = [
        e for o in runs if (e := o.evidence.get(differs)) is not None and e.decision == "failed"
    ]
    estimates = [e.estimate for e in found if e.estimate is not None]
    estimate = f", ratio estimate median {statistics.median(estimates):.3f}" if estimates else ""
    return f"pairs to detection {spread([e.candidate for e in found])}{estimate}"


def scenario_figures(
    outcomes: dict[str, list[Outcome]],
    scenarios: Sequence[Scenario],
    rules: CompareRules,
    prefix: str,
) -> tuple[list[Figure], bool]:
    """The figures of one set of rules, and whether each measured target was met."""
    figures = []
    kinds = [kind.name for kind in kinds_of(rules)]
    met = True
    if any(s.differs is None for s in scenarios):
        runs = outcomes["A/A"]
        wrong, said = _false_failures(runs, None)
        ok = wrong / len(runs) <= MAX_FALSE_FAILURE_RATE
        met &= ok
        figures += [
            Figure(
                BENCH,
                f"{prefix}A/A false failures (any verdict failed or inconclusive)",
                f"{_share(wrong, len(runs))} runs" + (f" ({said})" if said else ""),
                "<= 1/40 of runs",
                ok,
            ),
            Figure(
                BENCH,
                f"{prefix}A/A latency ratio estimates at the decision; pairs to it",
                _estimates(runs, kinds),
                "reported",
                None,
            ),
        ]
    like = [(s, o) for s in scenarios if s.differs for o in outcomes[s.name]]
    if like:
        wrong = sum(o.false_failure(s.differs) for s, o in like)
        saids = [_false_failures(outcomes[s.name], s.differs)[1] for s in scenarios if s.differs]
        said = "; ".join(s for s in saids if s)
        figures.append(
            Figure(
                BENCH,
                f"{prefix}A/B runs' like-with-like verdicts failed or inconclusive",
                f"{_share(wrong, len(like))} runs" + (f" ({said})" if said else ""),
                "reported",
                None,
            )
        )
    for s in scenarios:
        if s.differs is None:
            continue
        runs = outcomes[s.name]
        hits = sum(o.detected(s.differs) for o in runs)
        ok = hits / len(runs) >= MIN_DETECTION_RATE
        met &= ok
        figures.append(
            Figure(
                BENCH,
                f"{prefix}A/B detections, {s.name} ({s.differs} verdict failed)",
                f"{_share(hits, len(runs))} runs ({_detection_detail(runs, s.differs)})",
                ">= 38/40 of runs",
                ok,
            )
        )
    budget = budget_per_side(rules)
    for s in scenarios:
        runs = outcomes[s.name]
        ended = Counter(o.ended for o in runs)
        endings = ", ".join(f"{name} x{n}" for name, n in sorted(ended.items()))
        figures.append(
            Figure(
                BENCH,
                f"{prefix}{s.name}: exchanges per side; wall time of one comparison",
                f"{spread([o.exchanges for o in runs])} of the budget {budget} (ended: "
                f"{endings}); {spread([o.seconds for o in runs], ' s')} (the load "
                f"{spread([o.load_seconds for o in runs], ' s')}; {len(runs)} runs)",
                "reported",
                None,
            )
        )
    return figures, met


def run() -> list[Figure]:
    for module in STATS_MODULES:
        importlib.import_module(module)

    contract = load_contract(CONTRACT)
    defaults, cache = contract.compare, contract.cache
    assert defaults is not None
    assert cache is not None
    cached = next(k.name for k in defaults.requests if k.request == cache.request)
    scenarios = (
        Scenario("A/A", (), None),
        Scenario("slow cache", (f"--candidate-cache-delay={CACHE_DELAY}",), cached),
        Scenario(ERRORS, (f"--candidate-error-rate={ERROR_RATE}",), ERRORS),
    )
    started = time.monotonic()
    measured = run_scenarios(contract, scenarios, [defaults], RUNS)
    headline = {name: runs for (name, _), runs in measured.items()}
    figures, met = scenario_figures(headline, scenarios, defaults, "")
    every = [o for runs in headline.values() for o in runs]
    figures.append(
        Figure(
            BENCH,
            f"wall time of one comparison, defaults ({_describe(defaults)}), every scenario",
            f"{spread([o.seconds for o in every], ' s')}; deadline {defaults.deadline_seconds:g} s",
            "reported",
            None,
        )
    )
    speed = throughput(contract, defaults, defaults.concurrency, THROUGHPUT_ROUNDS)
    figures += speed
    rates: dict[int, Figure] = {defaults.concurrency: speed[0]}
    # Each set of rules measured: its median wall time over every scenario, and whether it met
    # the comparison's targets; throughput is the load generator's, apart.
    tried = [(statistics.median(o.seconds for o in every), defaults, met)]
    headline_seconds = time.monotonic() - started

    started = time.monotonic()
    points = [
        replace(defaults, max_count=max_count, count=None, concurrency=concurrency)
        for max_count, concurrency in SWEEP
    ]
    swept = run_scenarios(contract, scenarios, points, SWEEP_RUNS)
    for index, rules in enumerate(points):
        if rules.concurrency not in rates:
            more = throughput(contract, rules, rules.concurrency, SWEEP_THROUGHPUT_ROUNDS)
            rates[rules.concurrency] = more[0]
            figures += [replace(f, name=f"sweep: {f.name}") for f in more]
        prefix = f"sweep max_count {rules.max_count}, c{rules.concurrency}: "
        outcomes = {s.name: swept[s.name, index] for s in scenarios}
        these, met = scenario_figures(outcomes, scenarios, rules, prefix)
        figures += these
        seconds = statistics.median(o.seconds for runs in outcomes.values() for o in runs)
        tried.append((seconds, rules, met))
    swept_seconds = time.monotonic() - started
    for label, also in (
        ("every target", lambda rules: rates[rules.concurrency].met is not False),
        ("the comparison's targets, throughput aside", lambda rules: True),
    ):
        meeting = [(seconds, rules) for seconds, rules, ok in tried if ok and also(rules)]
        if meeting:
            seconds, best = min(meeting, key=lambda each: each[0])
            ratio = rates[best.concurrency].value.split(" ", 1)[0]
            chosen = (
                f"{_describe(best)}: {seconds:.2f} s a comparison, median of every scenario "
                f"(throughput / wrk's at concurrency {best.concurrency}: {ratio})"
            )
        else:
            chosen = "none of those measured"
        figures.append(
            Figure(
                BENCH,
                f"the fastest defaults meeting {label}",
                f"{chosen}; this bench: headline {headline_seconds:.0f} s, sweep "
                f"{swept_seconds:.0f} s",
                "reported",
                None,
            )
        )
    return figures
