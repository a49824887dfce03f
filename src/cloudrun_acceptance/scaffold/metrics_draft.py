"""The drafted contract's metrics section: the families a fresh instance exposes required, the
others listed commented out under a comment saying why, and ``min_present`` with its reason."""

from __future__ import annotations

import textwrap

from ..model.contract import ExpectedMetric
from ..model.errors import AdminApiError
from ..model.service import ServiceFacts
from .families import LIBRARY_PREFIXES, WARM_SECONDS, FamiliesSeen, duration, least_present
from .read import MetricsSeen
from .yamltext import c, q


def metrics_section(
    metrics: MetricsSeen | None, facts: ServiceFacts | AdminApiError | None
) -> list[str]:
    """The section's lines, for an exposition that was read (or a commented-out example)."""
    if metrics is None:
        return [
            c("# metrics:", "the Prometheus exposition (init --from-url reads it)"),
            "#   path: /metrics",
            c("#   enable_env: METRICS_ON", "the env var that switches the metrics on, if any"),
            '#   enable_value: "true"',
            "#   expected:",
            "#     - {name: requests_total, type: counter, labels: [route]}",
        ]
    families = metrics.families
    count = len(families.required)
    if metrics.rescraped_after is None:
        read = f"read from {metrics.url}"
    else:
        read = f"read from {metrics.url}, twice, {metrics.rescraped_after:g} s apart"
    lines = [c("metrics:", read), f"  path: {metrics.path}"]
    switch = _switch(facts)
    if switch:
        lines += [
            c(f"  enable_env: {switch[0]}", "from the revision's env: check it"),
            f"  enable_value: {q(switch[1])}",
        ]
    else:
        lines += [
            c("  # enable_env: METRICS_ON", "the env var that switches the metrics on, if any"),
            '  # enable_value: "true"',
        ]
    lines += _warm(families)
    lines.append(c("  expected:", "label names come from samples: a family with none lists none"))
    lines += [f"    - {_metric(metric)}" for metric in families.required]
    lines += _commented(metrics, families)
    least = least_present(count)
    if least < count:
        lines += _comment(
            f"The aggregate check: at least {least} of the {count} above. A missing family fails "
            f"its own case; this one fails when more than {count - least} are missing at once (a "
            "registry not wired, a broad rename), not again on one family a fresh instance "
            "registers late.",
            "  ",
        )
    lines.append(f"  min_present: {least}")
    return lines


def _warm(families: FamiliesSeen) -> list[str]:
    """A note when the instance read had run long enough to have registered late families."""
    if families.uptime is None or families.uptime < WARM_SECONDS:
        return []
    return _comment(
        f"The instance read had been up {duration(families.uptime)}: a family it registers after "
        "its start (on a first request, a first background run) is required below, and a fresh "
        "instance lacks it at first. pytest --sandbox starts the service afresh: comment out "
        "each family it reports as not exposed.",
        "  ",
    )


def _comment(text: str, indent: str) -> list[str]:
    """A YAML comment, wrapped."""
    return textwrap.wrap(text, 96, initial_indent=f"{indent}# ", subsequent_indent=f"{indent}# ")


def _commented(metrics: MetricsSeen, families: FamiliesSeen) -> list[str]:
    pause = f"{metrics.rescraped_after:g} s" if metrics.rescraped_after is not None else ""
    lines = []
    groups = []
    if families.late:
        why = (
            f"appeared late: absent from the first scrape, present {pause} later; a fresh "
            "instance lacks them at first (uncomment to require them):"
            if not families.two_instances
            else f"absent from the first scrape, present in the second, {pause} later, which "
            "came from another instance: an instance may lack them at first, or for good "
            "(uncomment to require them):"
        )
        groups.append((why, families.late))
    if families.first_only:
        other = "; the second came from another instance" if families.two_instances else ""
        why = (
            f"in the first scrape only, not in the second {pause} later{other} (uncomment to "
            "require them):"
        )
        groups.append((why, families.first_only))
    if families.library:
        prefixes = sorted({p for p in LIBRARY_PREFIXES for m in families.library if _has(m, p)})
        why = (
            f"the runtime's and the client library's own ({', '.join(p + '*' for p in prefixes)}):"
            " they change with its version, not with the service (uncomment to require them):"
        )
        groups.append((why, families.library))
    for why, metrics_of in groups:
        lines += _comment(why, "    ")
        lines += [f"    # - {_metric(metric)}" for metric in metrics_of]
    return lines


def _has(metric: ExpectedMetric, prefix: str) -> bool:
    return metric.name.startswith(prefix)


def _metric(metric: ExpectedMetric) -> str:
    labels = f", labels: [{', '.join(metric.labels)}]" if metric.labels else ""
    return f"{{name: {metric.name}, type: {metric.type}{labels}}}"


def _switch(facts: ServiceFacts | AdminApiError | None) -> tuple[str, str] | None:
    """An env var of the revision that looks like the metrics switch (its name says METRIC)."""
    if not isinstance(facts, ServiceFacts):
        return None
    for name, value in facts.revision.env.items():
        if "METRIC" in name.upper():
            return name, value
    return None
