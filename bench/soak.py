"""``python -m bench.soak [RUNS]``: the integration suite run again and again, and every test
that failed in any run, with how often. Zero flakes is the goal; a flake is a failure here.

RUNS defaults to $SOAK_RUNS, else 5. Each run is a fresh ``pytest tests/integration -n 2``
whose JUnit file says which tests failed; the summary is printed as text, and with
``--markdown`` as the table bench/SOAK.md keeps.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bench.common import PYTHON, REPO, machine


def failures(junit: Path) -> list[str]:
    """The ids of the tests that failed or errored in one JUnit file."""
    failed = []
    for case in ElementTree.parse(junit).iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed.append(f"{case.get('classname')}::{case.get('name')}")
    return failed


def soak(runs: int) -> tuple[Counter[str], list[float], int]:
    """Run the integration suite ``runs`` times: failures by test, run times, tests per run."""
    counted: Counter[str] = Counter()
    times: list[float] = []
    tests = 0
    with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
        for run in range(1, runs + 1):
            junit = Path(tmp) / f"run-{run}.xml"
            started = time.monotonic()
            subprocess.run(
                [
                    PYTHON,
                    "-m",
                    "pytest",
                    "tests/integration",
                    "-p",
                    "xdist",
                    "-n",
                    "2",
                    "-q",
                    "-p",
                    "no:cacheprovider",
                    f"--junitxml={junit}",
                ],
                cwd=REPO,
                capture_output=True,
                check=False,
            )
            times.append(time.monotonic() - started)
            failed = failures(junit)
            tests = sum(1 for _ in ElementTree.parse(junit).iter("testcase"))
            counted.update(failed)
            print(f"run {run}/{runs}: {len(failed)} failed in {times[-1]:.0f} s", file=sys.stderr)
    return counted, times, tests


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__)
    parser.add_argument("runs", nargs="?", type=int, default=int(os.environ.get("SOAK_RUNS", "5")))
    parser.add_argument("--markdown", action="store_true", help="print the table for SOAK.md")
    args = parser.parse_args(argv)
    counted, times, tests = soak(args.runs)
    header = (
        f"{datetime.now(UTC):%Y-%m-%d} on {machine()}: {args.runs} runs of the {tests} "
        f"integration tests, {min(times):.0f} to {max(times):.0f} s each"
    )
    print(header)
    if args.markdown:
        print("\n| Test | Failed in |\n|---|---|")
        rows = [f"| `{name}` | {count} of {args.runs} |" for name, count in counted.most_common()]
        print("\n".join(rows or ["| (none) | |"]))
    else:
        for name, count in counted.most_common():
            print(f"  {count} of {args.runs}  {name}")
        print("no test failed in any run" if not counted else f"{len(counted)} test(s) failed")
    return 1 if counted else 0


if __name__ == "__main__":
    sys.exit(main())
