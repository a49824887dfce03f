"""Which metric families a drafted contract requires: those a freshly started instance exposes.

A live instance that has run for a while exposes more than a fresh one: families a service
registers on a first request or a background job's first run (the Prometheus server adds some
about 5 s after its start), and those of its runtime and client library, which change with
their versions. The draft requires the service's own families seen in two scrapes a pause apart,
and lists the others commented out, each group under a comment saying why:

* the runtime's and the client library's (``LIBRARY_PREFIXES``);
* those that appeared late: absent from the first scrape, present in the second;
* those seen in the first scrape only (another instance answered, or the service dropped them).

Pure: two parsed scrapes in, the groups out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..model.contract import ExpectedMetric
from ..model.exposition import Family, Snapshot, contract_name

# Families a runtime or a client library exposes by itself, by name prefix, with who exposes
# them. They say nothing of the service's own work, and their set changes with the library's
# version, so the draft lists them commented out: a contract requiring them fails after an
# upgrade of the runtime, not of the service.
LIBRARY_PREFIXES: dict[str, str] = {
    "go_": "the Go runtime (client_golang's Go collector)",
    "process_": "the process collector (every client library)",
    "python_": "the Python runtime (client_python's platform and GC collectors)",
    "promhttp_": "client_golang's own metrics handler",
    "jvm_": "the JVM (client_java's hotspot collectors)",
    "nodejs_": "Node.js (prom-client's default metrics)",
    "dotnet_": ".NET (prometheus-net's default metrics)",
    "erlang_vm_": "the Erlang VM (prometheus.erl's collectors)",
    "net_conntrack_": "go-conntrack (the HTTP client and listeners of Prometheus' own servers)",
}
# The pause between init's two scrapes. A family a service registers a few seconds after its
# start shows up in the second scrape when init reads a freshly started instance (the
# Prometheus server's late ones come about 5 s after its start); init runs once, by hand, so
# 5 s is cheap. --rescrape-after changes it (0: one scrape), up to MAX_RESCRAPE_SECONDS.
RESCRAPE_SECONDS = 5.0
MAX_RESCRAPE_SECONDS = 60.0
# An instance up longer than this when read has had time to register what it registers late:
# the draft says so, since a fresh instance may lack some of what it requires.
WARM_SECONDS = 60.0
# The aggregate check may miss one family in ten (at least one): see ``least_present``.
MISSING_SHARE = 0.1


@dataclass(frozen=True)
class FamiliesSeen:
    """The families of one or two scrapes, grouped as the draft lists them."""

    required: tuple[ExpectedMetric, ...] = ()
    library: tuple[ExpectedMetric, ...] = ()
    late: tuple[ExpectedMetric, ...] = ()
    first_only: tuple[ExpectedMetric, ...] = ()
    # Seconds the instance had been up at the first scrape (from process_start_time_seconds).
    uptime: float | None = None
    # The two scrapes came from different instances (their fingerprints differ).
    two_instances: bool = False


def is_library(name: str) -> bool:
    """True for a family a runtime or a client library exposes by itself."""
    return name.startswith(tuple(LIBRARY_PREFIXES))


def families_seen(first: Snapshot, second: Snapshot | None = None) -> FamiliesSeen:
    """The families of ``first`` (and of ``second``, taken a pause later), grouped; each with
    the label names of its samples in either scrape."""
    later = second if second is not None else first
    names = sorted(set(first.families) | set(later.families))
    metrics = {name: _metric(name, first, later) for name in names}
    library = [metrics[name] for name in names if is_library(metrics[name].name)]
    own = [name for name in names if not is_library(metrics[name].name)]
    return FamiliesSeen(
        required=tuple(metrics[n] for n in own if n in first.families and n in later.families),
        library=tuple(library),
        late=tuple(metrics[n] for n in own if n not in first.families),
        first_only=tuple(metrics[n] for n in own if n not in later.families),
        uptime=uptime(first),
        two_instances=first.fingerprint != later.fingerprint,
    )


def _metric(name: str, first: Snapshot, later: Snapshot) -> ExpectedMetric:
    found = [f for f in (first.families.get(name), later.families.get(name)) if f is not None]
    family: Family = found[-1]
    labels = {key for f in found for sample in f.samples for key in sample.labels}
    kept = tuple(sorted(labels - {"le", "quantile"}))
    return ExpectedMetric(contract_name(name, family.type), family.type, kept)


def uptime(snapshot: Snapshot) -> float | None:
    """How long the instance had been up when scraped, from process_start_time_seconds (None
    without it, or when the clocks disagree)."""
    started = snapshot.value("process_start_time_seconds")
    if not started:
        return None
    up = snapshot.scraped_at - started
    return up if up >= 0 else None


def least_present(count: int) -> int:
    """``metrics.min_present`` for ``count`` required families: all but one in ten (at least
    one). Each missing family fails its own presence case; the aggregate then fails on many
    missing at once (a registry not wired, a broad rename), not again on the one family a fresh
    instance registers late."""
    if count <= 1:
        return count
    return count - max(1, math.ceil(count * MISSING_SHARE))


def duration(seconds: float) -> str:
    """``3 h 12 min``, ``4 min``, ``12 s``: an uptime as a person reads it."""
    if seconds >= 3600:
        return f"{int(seconds // 3600)} h {int(seconds % 3600 // 60)} min"
    if seconds >= 60:
        return f"{int(seconds // 60)} min"
    return f"{seconds:.0f} s"
