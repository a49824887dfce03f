"""3. Parse + lookup of the contract's metrics + lint, against bare prometheus_client parsing.

The exposition is like a busy real service's: about 100 families, labelled counters and gauges,
and labelled histograms, scaled to 5k, 50k and 200k lines. Target: at most 1.5x the bare parser
at 50k lines, and a cost per line that grows no faster than the bare parser's (linear). The bare
parser's own cost per line varies with the size (memory, the garbage collector) by up to a third
between runs here, so the gate's growth is judged against it, measured in the same run.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from bench.common import Figure, side_by_side
from cloudrun_acceptance.metrics.exposition import parse_exposition
from cloudrun_acceptance.metrics.lint import lint

TARGET = 1.5
LINEAR_SLACK = 1.15
SIZES = (5_000, 50_000, 200_000)
RUNS = 5


def exposition(lines: int) -> tuple[str, list[str]]:
    """About ``lines`` lines over 100 families; and 13 of their names, as a contract lists them."""
    registry = CollectorRegistry()
    # Series per family so that 40 counters, 30 gauges and 30 histograms reach ``lines``:
    # a counter or gauge series is 1 line (+1 _created for counters), a histogram series ~16.
    per_family = max(1, lines // (40 * 2 + 30 + 30 * 16))
    names = []
    for index in range(40):
        counter = Counter(
            f"app_requests_{index}_total", "Requests.", ["route", "status"], registry=registry
        )
        for series in range(per_family):
            counter.labels(f"/r{series}", "200").inc(series)
        names.append(f"app_requests_{index}_total")
    for index in range(30):
        gauge = Gauge(f"app_queue_{index}", "Queue depth.", ["shard"], registry=registry)
        for series in range(per_family):
            gauge.labels(str(series)).set(series)
        names.append(f"app_queue_{index}")
    for index in range(30):
        histogram = Histogram(
            f"app_latency_{index}_seconds", "Latency.", ["route"], registry=registry
        )
        for series in range(per_family):
            histogram.labels(f"/r{series}").observe(0.01 * series)
        names.append(f"app_latency_{index}_seconds")
    text = generate_latest(registry).decode()
    contract = names[:5] + names[40:44] + names[70:74]
    return text, contract


def gate_path(text: str, contract: list[str]) -> None:
    snapshot = parse_exposition(text)
    for name in contract:
        assert snapshot.family(name) is not None
        snapshot.value(name)
    lint(snapshot)


def bare(text: str) -> None:
    for _ in text_string_to_metric_families(text):
        pass


def run() -> list[Figure]:
    figures = []
    per_line: dict[str, dict[int, float]] = {"gate": {}, "bare": {}}
    for size in SIZES:
        text, contract = exposition(size)
        count = text.count("\n")
        times = side_by_side(
            {"gate": lambda t=text, c=contract: gate_path(t, c), "bare": lambda t=text: bare(t)},
            RUNS,
        )
        for side, cost in per_line.items():
            cost[size] = times[side] / count
        ratio = times["gate"] / times["bare"]
        figures.append(
            Figure(
                "parsing",
                f"parse+lookup+lint / bare parse, {count:,} lines",
                f"{ratio:.2f} ({times['gate'] * 1000:.0f} ms / {times['bare'] * 1000:.0f} ms)",
                f"<= {TARGET}" if size == 50_000 else "reported",
                ratio <= TARGET if size == 50_000 else None,
            )
        )
    growth = {side: cost[SIZES[-1]] / cost[SIZES[0]] for side, cost in per_line.items()}
    gate = per_line["gate"]
    figures.append(
        Figure(
            "parsing",
            f"cost per line, {SIZES[-1] // 1000}k vs {SIZES[0] // 1000}k lines",
            f"{growth['gate']:.2f}x ({gate[SIZES[0]] * 1e6:.1f} -> {gate[SIZES[-1]] * 1e6:.1f} "
            f"us/line); bare parser {growth['bare']:.2f}x",
            f"<= {LINEAR_SLACK}x the bare parser's growth (linear)",
            growth["gate"] <= LINEAR_SLACK * growth["bare"],
        )
    )
    return figures
