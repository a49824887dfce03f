"""Every ```mermaid block of the example reports, and of a report the gate writes for a slower
candidate, renders with Mermaid's own code in headless Chromium, in GitHub's light and dark
themes, with the chart's palette (bench/mermaid/render.mjs, `make mermaid-check`)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.integration.gatekit import latency, run_gate
from tests.paths import REPO

RENDER = REPO / "bench/mermaid/render.mjs"
MODULES = REPO / "bench/mermaid/node_modules"
CHROMIUM = Path("/usr/bin/chromium")
EXAMPLES = ("docs/example-report.md", "docs/example-report-candidate.md")
# report/compare.py's palette: the baseline's bars, the tolerance line, the candidate's line.
PALETTE = "colours #3b7ddd #8c959f #f0750f"


def _missing() -> str:
    """Why the renderer cannot run here, or nothing."""
    if shutil.which("node") is None:
        return "node is not installed (apt-get install -y nodejs npm), so Mermaid cannot run"
    if not all(
        (MODULES / name / "package.json").exists() for name in ("mermaid", "playwright-core")
    ):
        return (
            f"the npm packages mermaid and playwright-core are not in {MODULES}: run "
            "`make mermaid-check`, which installs them"
        )
    if not CHROMIUM.exists():
        return f"Debian's Chromium is not at {CHROMIUM} (apt-get install -y chromium)"
    return ""


pytestmark = pytest.mark.skipif(bool(_missing()), reason=_missing() or "-")


def render(*files: Path | str, out: Path | None = None) -> subprocess.CompletedProcess[str]:
    saved = ("--out", str(out)) if out else ()
    return subprocess.run(
        ["node", str(RENDER), *saved, *map(str, files)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
    )


def test_every_block_of_the_example_reports_renders_in_both_themes():
    done = render(*EXAMPLES)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not [line for line in done.stdout.splitlines() if line.startswith("FAILED")]
    drawn = [line for line in done.stdout.splitlines() if line.startswith("ok ")]
    assert any(" light: xychart" in line for line in drawn), done.stdout
    assert len([line for line in drawn if " light: " in line]) == len(
        [line for line in drawn if " dark: " in line]
    )


def test_the_gates_comparison_charts_render_with_their_palette_in_both_themes(gate_dir, tmp_path):
    run = run_gate(
        gate_dir, "--sandbox", "--tag", "candidate", "--sandbox-fault", "candidate_slower"
    )
    run.expect(failed={latency("health"), latency("cached call")})
    (report,) = (gate_dir.path / "reports").glob("*.md")
    assert report.read_text().count('"> ') == 2  # each chart's slow tail, labelled as such
    done = render(report, out=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 4, done.stdout  # two charts, each in the light and the dark theme
    shown = [(1, "light"), (1, "dark"), (2, "light"), (2, "dark")]
    for line, (chart, theme) in zip(lines, shown, strict=True):
        assert line.startswith(f"ok {report}#{chart} "), line
        assert f" {theme}: xychart, {PALETTE}; " in line
        assert (tmp_path / f"{report.stem}-{chart}-{theme}.png").stat().st_size > 0


def test_a_block_mermaid_cannot_parse_fails_the_check_and_says_where(tmp_path):
    broken = tmp_path / "broken.md"
    broken.write_text(
        "# A report\n\n```mermaid\nxychart-beta\n    x-axis [1, 2\n    bar [1]\n```\n"
    )
    done = render(broken)
    assert done.returncode == 1
    assert done.stdout.startswith(f"FAILED {broken}#1 (line 3) light: ")


def test_a_palette_mermaid_ignores_fails_the_check(tmp_path):
    # One closing brace short: Mermaid drops the whole directive and draws its own colours.
    ignored = tmp_path / "ignored.md"
    ignored.write_text(
        "```mermaid\n"
        '%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "#3b7ddd"}}}%%\n'
        'xychart-beta\n    x-axis ["1", "2"]\n    bar [1, 2]\n```\n'
    )
    done = render(ignored)
    assert done.returncode == 1
    assert done.stdout.startswith(
        f"FAILED {ignored}#1 (line 1) light: the plotColorPalette of its init directive did not "
        "take (drawn #"
    )
