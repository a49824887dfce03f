"""``python -m bench [NAME ...] [--markdown] [--strict]``: run the benchmarks, print every figure
and its target."""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from datetime import UTC, datetime

from bench.common import Figure, machine

BENCHES = (
    "gate_vs_manual",
    "overhead",
    "parsing",
    "latency",
    "startup",
    "load",
    "preflight",
    "own_service",
    "compare",
    "rollout",
    "judge",
    "scale",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help=f"benchmarks to run (default all: {BENCHES})"
    )
    parser.add_argument(
        "--markdown", action="store_true", help="print a table for bench/RESULTS.md"
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when a target is missed (default: report)"
    )
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in BENCHES]
    if unknown:
        parser.error(f"unknown benchmark {unknown[0]!r}; choose from {', '.join(BENCHES)}")
    figures: list[Figure] = []
    started = time.monotonic()
    for name in args.names or BENCHES:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        figures += importlib.import_module(f"bench.{name}").run()
    elapsed = time.monotonic() - started
    header = f"{datetime.now(UTC):%Y-%m-%d} on {machine()}; {elapsed:.0f} s in all"
    if args.markdown:
        print(header, end="\n\n")
        print("| Bench | Figure | Value | Target | Met |\n|---|---|---|---|---|")
        for f in figures:
            print(f"| {f.bench} | {f.name} | {f.value} | {f.target} | {_met(f)} |")
    else:
        print(header)
        width = max(len(f.name) for f in figures)
        for f in figures:
            print(f"{_met(f):>4}  {f.bench:<15} {f.name:<{width}}  {f.value}  (target {f.target})")
    return exit_code(figures, strict=args.strict)


def exit_code(figures: list[Figure], *, strict: bool) -> int:
    """0, or 1 under ``--strict`` when a target is missed; a miss is always said on stderr."""
    missed = [f for f in figures if f.met is False]
    if missed:
        print(f"{len(missed)} target(s) missed; bench/RESULTS.md says why.", file=sys.stderr)
    return 1 if missed and strict else 0


def _met(figure: Figure) -> str:
    return {True: "yes", False: "NO", None: "-"}[figure.met]


if __name__ == "__main__":
    sys.exit(main())
