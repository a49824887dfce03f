"""9. The candidate against the stable revision (``compare:``): how often the comparison is wrong
at the contract's defaults, what one comparison costs, and whether the paired load keeps up
with wrk; then a quicker sweep of alternative defaults.

The sandbox runs in a process of its own (``bench.serve --flow candidate``), as a deployed
service does: the stable revision at the service URL, the candidate at the tag URL. Each run
builds the request kinds from the shipped contract's ``compare:`` section as the gate's fixture
does (``plugin/fixtures_compare.py``: the count shared by weight, the session filled in, the
comparison's own clients), sends the paired load (``run_paired_load``) and judges it with the
gate's own functions (``compare_latency``/``judge_latency`` per kind, ``judge_errors``). Before
the load, the contract's analysis request is sent once to each URL, as the gate's forced
analysis would have been (in the sandbox the first cache call would analyse the session
itself; the cache is shared by the revisions).

Three scenarios, the runs interleaved round-robin so that the machine's noise falls on all of
them alike, a fresh sandbox process per scenario every ``RUNS_PER_SANDBOX`` rounds (new ports,
a new seed for the candidate's errors):

- **A/A**: identical revisions. A run fails when any verdict is failed or inconclusive
  (inconclusive fails the gate by default). Target: at most 1 run in 40.
- **slow cache**: the candidate's cache hit 25% slower (20 ms -> 25 ms). Detected when the
  cached call's latency verdict is failed. Target: at least 38 of 40.
- **errors**: 2% of the candidate's health and cache-hit answers are 500, none of the stable
  one's. Detected when the errors verdict is failed. Target: at least 38 of 40.

In the two A/B scenarios every other verdict compares like with like (the health kind always;
the errors in the slow-cache runs; the latencies of the answers below 500 in the errors runs):
their false failures are counted too. The errors test's exact power (Fisher's threshold, by the
gate's own ``errors_test``, then the binomial chance of reaching it) is computed beside each
measured detection rate: 40 runs cannot tell 90% from 97%, the exact figure can.

Throughput: the paired load (health kind only, both "sides" the same stable URL, the
contract's concurrency) against ``wrk -t1 -cN -d5s``, interleaved, against the same sandbox
process, with the CPU each spends per request.

The sweep: alternatives to the defaults, fewer runs each (the A/B scenarios only: their
like-with-like verdicts give the false failures), with the exact power and the wall time.
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
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace

from bench.common import PYTHON, REPO, Figure
from cloudrun_acceptance.checks.compare import compare_latency, judge_errors, judge_latency
from cloudrun_acceptance.config.contract import load_contract
from cloudrun_acceptance.model.compare import Endpoint, ErrorCounts
from cloudrun_acceptance.model.contract import CompareRules, Contract
from cloudrun_acceptance.plugin.fixtures_compare import COMPARE_AGENT
from cloudrun_acceptance.probe.client import ServiceClient
from cloudrun_acceptance.probe.pairedload import Kind, mix_of, run_paired_load
from cloudrun_acceptance.sandbox.deployment import PREVIOUS_REVISION, REVISION, SESSION_ID

BENCH = "compare"
CONTRACT = REPO / "tests/acceptance/contract.yaml"
RUNS = 40  # per scenario, at the defaults
RUNS_PER_SANDBOX = 10  # a fresh sandbox process per scenario every this many rounds
MAX_FALSE_FAILURE_RATE = 1 / 40
MIN_DETECTION_RATE = 38 / 40
CACHE_DELAY = 0.005  # 20 ms -> 25 ms: 25% slower
ERROR_RATE = 0.02
ERRORS = "errors"  # the errors verdict's name beside the kinds'
# wrk's run, and the paired load beside it: per side, about as long as wrk's 5 s at loopback.
WRK_SECONDS = 5
THROUGHPUT_COUNT = 600
THROUGHPUT_ROUNDS = 3
MIN_THROUGHPUT_RATIO = 0.7
# The sweep: (count, concurrency, tolerance), each a few runs of the A/B scenarios.
SWEEP: tuple[tuple[int, int, float], ...] = ((600, 4, 0.10), (600, 8, 0.10))
SWEEP_RUNS = 3
SWEEP_THROUGHPUT_ROUNDS = 1
# The counts whose exact power of the errors test is computed, beside the sweep's.
POWER_COUNTS = (500, 800)


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
    """One comparison: each verdict's status (the kinds', and ERRORS), each kind's shift
    interval as a share of the allowed slowdown, the candidate's failed exchanges, the time."""

    statuses: dict[str, str]
    interval: dict[str, tuple[float, float]]
    candidate_failed: int
    candidate_sent: int
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
    """One comparison as the gate makes it: the paired load, then each judgement."""
    kinds = kinds_of(rules)
    started = time.perf_counter()
    load = run_paired_load(
        Endpoint(PREVIOUS_REVISION, pair.stable, "the service URL (it serves 100%)"),
        Endpoint(REVISION, pair.candidate, "tag 'candidate'"),
        kinds,
        rules.concurrency,
        rules.deadline_seconds,
        client_factory(contract),
    )
    statuses: dict[str, str] = {}
    interval: dict[str, tuple[float, float]] = {}
    for kind in kinds:
        comparison = compare_latency(kind.name, load, rules)
        statuses[kind.name] = judge_latency(comparison, rules, load).status
        shift, allowed = comparison.shift, comparison.allowed_seconds
        if shift is not None and allowed:
            interval[kind.name] = (shift.low / allowed, shift.high / allowed)
    statuses[ERRORS] = judge_errors(load, rules.confidence).status
    seconds = time.perf_counter() - started
    candidate = load.of("candidate")
    return Outcome(statuses, interval, sum(s.failed for s in candidate), len(candidate), seconds)


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


def errors_power(count: int, confidence: float) -> tuple[int, float]:
    """The failed exchanges of ``count`` the candidate needs for the errors verdict to fail
    against a baseline without any (the gate's own test), and the chance that a candidate
    failing ERROR_RATE of its answers reaches them."""
    from scipy.stats import binom

    from cloudrun_acceptance.checks.stats import errors_test

    none = ErrorCounts(0, count)
    need = next(
        k for k in range(1, count + 1) if errors_test(ErrorCounts(k, count), none) < 1 - confidence
    )
    return need, float(binom.sf(need - 1, count, ERROR_RATE))


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
    """The paired load's rate, health kind only, both sides the stable URL, against wrk's at the
    same concurrency, interleaved against one sandbox process."""
    label = f"requests per second, paired load / wrk, concurrency {concurrency}"
    if shutil.which("wrk") is None:
        return [Figure(BENCH, label, "wrk not installed (apt-get install wrk)", "-", None)]
    health = next(k for k in kinds_of(rules) if k.request.path == contract.health_path)
    kind = Kind(health.name, health.request, THROUGHPUT_COUNT)
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
                endpoint, endpoint, [kind], concurrency, rules.deadline_seconds, client_for
            )
            served, mine = process_cpu(pair.pid) - served, time.process_time() - mine
            rates["paired"].append(len(load.samples) / load.elapsed)
            cpu["paired"].append(1000 * mine / len(load.samples))
            cpu["sandbox paired"].append(1000 * served / len(load.samples))
            if failed := sum(s.failed for s in load.samples):
                notes.add(f"paired load: {failed} failed")
    paired, wrk = (statistics.median(rates[name]) for name in ("paired", "wrk"))
    ratio = paired / wrk
    cpus = {name: statistics.median(values) for name, values in cpu.items()}
    of = f"median of {rounds} interleaved" if rounds > 1 else "one round"
    said = "".join(f"; {note}" for note in sorted(notes))
    return [
        Figure(
            BENCH,
            label,
            f"{ratio:.2f} ({paired:.0f} req/s vs wrk's {wrk:.0f}; {of}{said})",
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


def _share(count: int, runs: int) -> str:
    return f"{count}/{runs}"


def _describe(rules: CompareRules) -> str:
    return (
        f"count {rules.count}, concurrency {rules.concurrency}, tolerance {rules.tolerance:g}, "
        f"confidence {rules.confidence:g}, min_samples {rules.min_samples}"
    )


def _wall(outcomes: Sequence[Outcome]) -> str:
    seconds = sorted(o.seconds for o in outcomes)
    return (
        f"{statistics.median(seconds):.2f} s (min {seconds[0]:.2f}, max {seconds[-1]:.2f}; "
        f"{len(seconds)} runs)"
    )


def _margins(outcomes: Sequence[Outcome], kinds: Sequence[str]) -> str:
    """Each kind's widest reach of the interval towards the tolerance (its high end over the
    allowed slowdown: past 1 is inconclusive or failed)."""
    parts = []
    for kind in kinds:
        highs = [o.interval[kind][1] for o in outcomes if kind in o.interval]
        if highs:
            parts.append(f"{kind} {max(highs):.2f}")
    return ", ".join(parts) or "-"


def _false_failures(outcomes: Sequence[Outcome], differs: str | None) -> tuple[int, str]:
    """Runs with a false failure, and which verdicts were wrong (status x count)."""
    wrong: dict[str, int] = {}
    for outcome in outcomes:
        for name, status in outcome.statuses.items():
            if name != differs and status != "passed":
                wrong[f"{name} {status}"] = wrong.get(f"{name} {status}", 0) + 1
    count = sum(o.false_failure(differs) for o in outcomes)
    said = ", ".join(f"{name} x{n}" for name, n in sorted(wrong.items()))
    return count, said


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
    by_name = {s.name: s for s in scenarios}
    if "A/A" in by_name:
        runs = outcomes["A/A"]
        wrong, said = _false_failures(runs, None)
        ok = wrong / len(runs) <= MAX_FALSE_FAILURE_RATE
        met &= ok
        figures.append(
            Figure(
                BENCH,
                f"{prefix}A/A false failures (any verdict failed or inconclusive)",
                f"{_share(wrong, len(runs))} runs" + (f" ({said})" if said else ""),
                "<= 1/40 of runs",
                ok,
            )
        )
        figures.append(
            Figure(
                BENCH,
                f"{prefix}A/A widest interval high end / allowed slowdown",
                _margins(runs, kinds) + " (past 1: inconclusive)",
                "reported",
                None,
            )
        )
    like = [(s, o) for s in scenarios if s.differs for o in outcomes[s.name]]
    wrong = sum(o.false_failure(s.differs) for s, o in like)
    saids = [_false_failures(outcomes[s.name], s.differs)[1] for s in scenarios if s.differs]
    said = "; ".join(s for s in saids if s)
    ok = wrong / len(like) <= MAX_FALSE_FAILURE_RATE
    only_like = "A/A" not in by_name
    met &= ok if only_like else True
    figures.append(
        Figure(
            BENCH,
            f"{prefix}A/B runs' like-with-like verdicts failed or inconclusive",
            f"{_share(wrong, len(like))} runs" + (f" ({said})" if said else ""),
            "<= 1/40 of runs" if only_like else "reported",
            ok if only_like else None,
        )
    )
    for s in scenarios:
        if s.differs is None:
            continue
        runs = outcomes[s.name]
        hits = sum(o.detected(s.differs) for o in runs)
        ok = hits / len(runs) >= MIN_DETECTION_RATE
        met &= ok
        if s.differs == ERRORS:
            failed = sorted(o.candidate_failed for o in runs)
            sent = runs[0].candidate_sent
            need, power = errors_power(sent, rules.confidence)
            detail = (
                f"candidate failed {failed[0]} to {failed[-1]} of {sent}, median "
                f"{statistics.median(failed):g}; exact power {power:.3f}: {need}+ failed needed"
            )
        else:
            lows = [o.interval[s.differs][0] for o in runs if s.differs in o.interval]
            low = f"{min(lows):.2f}" if lows else "-"
            detail = f"interval low end / allowed slowdown: min {low} (above 1: failed)"
        figures.append(
            Figure(
                BENCH,
                f"{prefix}A/B detections, {s.name} ({s.differs} verdict failed)",
                f"{_share(hits, len(runs))} runs ({detail})",
                ">= 38/40 of runs",
                ok,
            )
        )
    return figures, met


def run() -> list[Figure]:
    # scipy's import, before any timing: the gate's fixture overlaps it with the load.
    importlib.import_module("cloudrun_acceptance.checks.stats")

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
    figures.append(
        Figure(
            BENCH,
            f"wall time of one comparison, defaults ({_describe(defaults)})",
            _wall(headline["A/A"]) + "; the load and the judgements",
            "reported",
            None,
        )
    )
    speed = throughput(contract, defaults, defaults.concurrency, THROUGHPUT_ROUNDS)
    figures += speed
    rates: dict[int, Figure] = {defaults.concurrency: speed[0]}
    # Each set of rules measured: its wall time, and whether it met the comparison's targets
    # (the measured ones and the errors test's exact power); throughput is the load generator's.
    tried: list[tuple[float, CompareRules, bool]] = [
        (
            statistics.median(o.seconds for o in headline["A/A"]),
            defaults,
            met and _power(defaults) >= MIN_DETECTION_RATE,
        )
    ]
    headline_seconds = time.monotonic() - started

    started = time.monotonic()
    ab = scenarios[1:]
    points = [
        replace(defaults, count=count, concurrency=concurrency, tolerance=tolerance)
        for count, concurrency, tolerance in SWEEP
    ]
    swept = run_scenarios(contract, ab, points, SWEEP_RUNS)
    for index, rules in enumerate(points):
        if rules.concurrency not in rates:
            more = throughput(contract, rules, rules.concurrency, SWEEP_THROUGHPUT_ROUNDS)
            rates[rules.concurrency] = more[0]
            figures += [replace(f, name=f"sweep: {f.name}") for f in more]
        prefix = f"sweep count {rules.count}, c{rules.concurrency}, tol {rules.tolerance:g}: "
        outcomes = {s.name: swept[s.name, index] for s in ab}
        these, met = scenario_figures(outcomes, ab, rules, prefix)
        every = [o for runs in outcomes.values() for o in runs]
        wall = Figure(BENCH, f"{prefix}wall time of one comparison", _wall(every), "reported", None)
        figures += [*these, wall]
        seconds = statistics.median(o.seconds for o in every)
        tried.append((seconds, rules, met and _power(rules) >= MIN_DETECTION_RATE))
    for count in sorted({defaults.count, *(p.count for p in points), *POWER_COUNTS}):
        rules = replace(defaults, count=count)
        sent = _sent(rules)
        need, power = errors_power(sent, rules.confidence)
        figures.append(
            Figure(
                BENCH,
                f"sweep: errors test's exact power, count {count}, confidence "
                f"{rules.confidence:g}, {ERROR_RATE:.0%} errors",
                f"{power:.3f} ({need}+ of {sent} failed needed; chance of >= 38/40 runs "
                f"{_at_least(38, 40, power):.2f})",
                ">= 0.95",
                power >= MIN_DETECTION_RATE,
            )
        )
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
                f"{_describe(best)}: {seconds:.2f} s a comparison (throughput / wrk's at "
                f"concurrency {best.concurrency}: {ratio})"
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


def _sent(rules: CompareRules) -> int:
    """Exchanges with each side: the kinds' counts."""
    return sum(kind.count for kind in kinds_of(rules))


def _power(rules: CompareRules) -> float:
    return errors_power(_sent(rules), rules.confidence)[1]


def _at_least(hits: int, runs: int, power: float) -> float:
    """The chance of at least ``hits`` detections in ``runs`` at ``power``."""
    from scipy.stats import binom

    return float(binom.sf(hits - 1, runs, power))
