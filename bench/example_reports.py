"""``python -m bench.example_reports``: the example reports of docs/, written by the gate itself.

docs/example-report.md is a run against the sandbox with a traffic split left over and a slow
cache (``--sandbox-fault traffic_split --sandbox-fault cache_slow``); docs/example-report-
candidate.md a tagged candidate slower than the stable revision (``--tag candidate
--sandbox-fault candidate_slower``). Both runs fail, as they are meant to: exit 1 is expected.
The README's excerpt is the first report's opening, which this run does not change
(tests/unit/test_readme.py holds it).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from bench.common import PYTHON, REPO

EXAMPLES = {
    "example-report.md": ("--sandbox-fault", "traffic_split", "--sandbox-fault", "cache_slow"),
    "example-report-candidate.md": ("--tag", "candidate", "--sandbox-fault", "candidate_slower"),
}


def write(name: str, arguments: tuple[str, ...]) -> Path:
    """Run the gate with ``arguments`` and copy its markdown report to docs/``name``."""
    with tempfile.TemporaryDirectory(prefix="example-report-") as reports:
        command = [PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--sandbox"]
        done = subprocess.run(
            [*command, *arguments, f"--reports-dir={reports}"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
        )
        found = sorted(Path(reports).glob("*.md"))
        if done.returncode != 1 or len(found) != 1:
            raise RuntimeError(
                f"expected a failed run and one report, got exit {done.returncode} and "
                f"{len(found)} reports:\n{done.stdout[-3000:]}"
            )
        target = REPO / "docs" / name
        shutil.copyfile(found[0], target)
    return target


def main() -> None:
    for name, arguments in EXAMPLES.items():
        print(f"wrote {write(name, arguments).relative_to(REPO)}")


if __name__ == "__main__":
    main()
