"""How the judgements of latency write their figures: milliseconds, shares, ratios as changes,
and the sequential judge's evidence."""

from __future__ import annotations

from ..model.judge import ErrorBudget, ErrorEvidence, LatencyEvidence


def ms(seconds: float | None, sign: str = "") -> str:
    """Milliseconds, one decimal (two below 0.1 ms); ``sign="+"`` signs them."""
    if seconds is None:
        return "-"
    value = seconds * 1000
    return f"{value:{sign}.{2 if 0 < abs(value) < 0.1 else 1}f}"


def percent(share: float) -> str:
    """0.1 -> 10%, 0.0025 -> 0.25%."""
    return f"{100 * share:.2f}".rstrip("0").rstrip(".") + "%"


def change(ratio: float | None) -> str:
    """A ratio as a change: 1.042 -> "+4.2%", 0.97 -> "-3.0%"; "-" for none."""
    if ratio is None:
        return "-"
    return f"{100 * (ratio - 1):+.1f}%"


def interval(low: float | None, high: float | None) -> str:
    """A ratio interval as changes: "-3.1% to +6.0%"; an unbounded end as "no bound yet"."""
    bottom = change(low) if low is not None else "no lower bound yet"
    top = change(high) if high is not None else "no upper bound yet"
    return f"{bottom} to {top}"


def evidence_figures(found: LatencyEvidence, *, of: str = "pairs") -> dict[str, str]:
    """The judge's figures of a latency comparison (the comparison's and a step's)."""
    return {
        "shift (%)": change(found.estimate),
        "shift interval (%)": interval(found.low, found.high),
        "decided": f"{found.decision} after {found.candidate} {of} (look {found.look})"
        if found.decision != "undecided"
        else f"undecided after {found.candidate} {of} ({found.looks} looks)",
        "error budget": budget_text(found.budget),
    }


def budget_text(budget: ErrorBudget) -> str:
    """ "1.67% of 5% (one of 3 tests: ...)"."""
    return f"{percent(budget.alpha)} of {percent(budget.total)} ({budget.why})"


def error_figures(found: ErrorEvidence) -> dict[str, str]:
    """The errors judge's figures (the comparison's and a step's)."""
    figures = {
        "errors p-value": f"{found.p_value:.3g}",
        "errors decided": found.decision,
        "errors budget": budget_text(found.budget),
    }
    if found.excess_bound is not None:
        figures["failure rate excess bound"] = percent(found.excess_bound)
    return figures
