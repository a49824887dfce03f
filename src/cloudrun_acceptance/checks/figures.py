"""How the judgements of latency write their figures: milliseconds and shares."""

from __future__ import annotations


def ms(seconds: float | None, sign: str = "") -> str:
    """Milliseconds, one decimal (two below 0.1 ms); ``sign="+"`` signs them."""
    if seconds is None:
        return "-"
    value = seconds * 1000
    return f"{value:{sign}.{2 if 0 < abs(value) < 0.1 else 1}f}"


def percent(share: float) -> str:
    """0.1 -> 10%, 0.0025 -> 0.25%."""
    return f"{100 * share:.2f}".rstrip("0").rstrip(".") + "%"
