"""The candidate against the stable revision: each sandbox profile, exactly which checks fail
and what they say; the report's section and JUnit's properties; nothing sent without the
contract's section; --baseline-tag; --promote only after a passed comparison."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import yaml

from tests.integration.gatekit import (
    BASELINE,
    CACHE,
    COMPARE,
    COMPARE_ERRORS,
    CONFIG_DIFF,
    FAMILIES,
    NO_5XX,
    STARTUP_COUNT,
    deployed,
    latency,
    presence,
    run_gate,
)

CANDIDATE = ("--sandbox", "--tag", "candidate")
LATENCY = {latency("health"), latency("cached call")}
# A latency comparison's figures of each side, as JUnit property names.
SIDE = ("n", "p50_ms", "p95_ms", "p99_ms", "statuses")


def fault(name: str) -> tuple[str, ...]:
    return (*CANDIDATE, "--sandbox-fault", name)


def report(gate_dir, kind: str) -> str:
    (path,) = (gate_dir.path / "reports").glob(f"*.{kind}")
    return path.read_text()


def test_identical_revisions_pass_and_the_report_shows_them_side_by_side(gate_dir):
    run = run_gate(gate_dir, *fault("tagged_candidate"))
    run.expect()
    assert run.verdicts[BASELINE]["summary"].startswith(
        "emergence-app-00003-abc is compared with emergence-app-00001-xyz at http://127.0.0.1:"
    )
    assert run.verdicts[BASELINE]["summary"].endswith(
        "(the service URL, where it serves 100% of traffic)"
    )
    # The load went on until both kinds and the errors were decided, far below the budget.
    errors = run.verdicts[COMPARE_ERRORS]["summary"]
    assert re.fullmatch(
        r"neither revision failed an exchange \((\d+) to the candidate, \1 to the baseline\): "
        r"the candidate's failure rate is at most 0\.\d+% above the baseline's, within the 1% "
        r"tolerance",
        errors,
    )
    sent = int(errors.split("(")[1].split()[0])
    assert sent < 2 * 5000
    for kind in ("health", "cached call"):
        assert re.match(
            rf"{kind}: the candidate is within the 10% tolerance of the baseline \(.*\): "
            r"[+-]\d+\.\d% \(anytime interval -\d+\.\d% to \+\d+\.\d%\) after \d+ pairs",
            run.verdicts[latency(kind)]["summary"],
        )
    markdown = report(gate_dir, "md")
    section = markdown[markdown.index("## Candidate vs stable") :]
    assert re.search(r"\| cached call \| baseline \| \d+ \|", section)
    assert "✅ passed after " in section
    assert "share the error budget: 1.67% of 5% (one of 3 tests: 2 request kinds and the " in (
        section
    )
    assert section.count("```mermaid\n") == section.count("\nxychart-beta\n") == 2
    junit = ET.fromstring(report(gate_dir, "xml"))
    case = junit.find(".//testcase[@name='test_candidate_latency_against_baseline[cached call]']")
    properties = {p.get("name"): p.get("value") for p in case.iter("property")}
    # The figures as properties of one prefix, without the histogram's arrays.
    prefix = "cloudrun_acceptance."
    assert sorted(properties) == sorted(
        prefix + name
        for name in (
            *(f"{side}_{figure}" for side in ("baseline", "candidate") for figure in SIDE),
            *("pairs", "shift_pct", "shift_interval_pct", "decided", "error_budget"),
            *("tolerance", "confidence"),
        )
    )
    assert properties[f"{prefix}baseline_n"] == properties[f"{prefix}candidate_n"]
    assert properties[f"{prefix}candidate_n"] == properties[f"{prefix}pairs"]
    assert properties[f"{prefix}confidence"] == "0.95"
    assert properties[f"{prefix}tolerance"] == "10% slower"
    assert " to " in properties[f"{prefix}shift_interval_pct"]


def test_a_slower_candidate_fails_its_latency_checks(gate_dir):
    run = run_gate(gate_dir, *fault("candidate_slower"))
    run.expect(failed=LATENCY)
    run.result.stdout.fnmatch_lines(
        [
            "cached call: the candidate is slower than the baseline beyond the 10% tolerance: "
            "+*% (anytime interval +*% to +*%) after * pairs; median * ms vs * ms",
            "  baseline  emergence-app-00001-xyz: n=*, *",
            "  candidate emergence-app-00003-abc: n=*, *",
            "  error budget: 1.67% of 5% (one of 3 tests: 2 request kinds and the errors); "
            "decided by a look after each block of 8 pairs",
        ]
    )
    run.result.stdout.fnmatch_lines(["cloudrun-acceptance: emergence-app-00003-abc FAILED (*"])
    # The report opens with both latency failures and what to do, before any passing check.
    markdown = report(gate_dir, "md")
    lines = markdown.splitlines()
    assert lines[2:7] == [
        "**FAILED** ❌: 46 passed, 2 failed, 0 errors, 0 skipped",
        "",
        "## What failed",
        "",
        "### ❌ failed: candidate latency against baseline · health",
    ]
    advice = markdown.index(
        "**What to do:** emergence-app-00003-abc answers cached call slower than the revision it "
        "replaces, emergence-app-00001-xyz: look at what changed"
    )
    assert advice < markdown.index('<details markdown="1"><summary>✅ 46 checks passed</summary>')
    assert len(markdown[:advice].splitlines()) < 30
    assert "- candidate emergence-app-00003-abc: n=" in markdown[:advice]
    # In the comparison's section, each outcome and its summary apart.
    assert re.search(r"\*\*Errors\*\*: ✅ passed: neither revision failed an exchange", markdown)


def test_noisy_identical_revisions_pass_within_the_budget(gate_dir):
    # Both revisions' answers carry lognormal noise (sigma 0.8): the load goes on until each kind
    # is decided, and an identical candidate is decided within the tolerance.
    run = run_gate(gate_dir, *fault("noisy_pair"))
    run.expect()
    for kind in ("health", "cached call"):
        decided = run.verdicts[latency(kind)]["figures"]["decided"]
        pairs = int(re.match(r"passed after (\d+) pairs", decided).group(1))
        assert pairs < 8000  # compare.max_count


def test_a_noisy_candidate_30_percent_slower_fails(gate_dir):
    run = run_gate(gate_dir, *fault("noisy_slower"))
    run.expect(failed=LATENCY)
    for kind in ("health", "cached call"):
        assert run.verdicts[latency(kind)]["summary"].startswith(
            f"{kind}: the candidate is slower than the baseline beyond the 10% tolerance: +"
        )


def test_a_candidate_that_errs_fails_the_errors_comparison_with_the_requests(gate_dir):
    run = run_gate(gate_dir, *fault("candidate_errors"))
    run.expect(failed={COMPARE_ERRORS, NO_5XX})
    run.result.stdout.fnmatch_lines(
        [
            "the candidate failed * of * exchanges (*%), the baseline 0 of * (0%): the "
            "candidate fails more often (anytime-valid p = *, below its 1.67% share of the error "
            "budget)",
            "  the candidate's failed exchanges (5xx, refused or cut):",
            "    * http://127.0.0.1:*/api/* -> 500*",
        ]
    )


def test_a_lost_metric_family_fails_the_families_comparison(gate_dir):
    run = run_gate(gate_dir, *fault("candidate_metric_lost"))
    # The candidate's own checks see it too: the contract lists the family, the startup line
    # counts one metric less.
    run.expect(failed={FAMILIES, presence("memory_analysis_cache_size"), STARTUP_COUNT})
    verdict = run.verdicts[FAMILIES]
    assert verdict["summary"] == "the candidate lost 1 metric family the baseline exposes"
    assert any("memory_analysis_cache_size" in line for line in verdict["evidence"])


def test_a_changed_configuration_is_reported_not_failed(gate_dir):
    run = run_gate(gate_dir, *fault("candidate_config_changed"))
    run.expect()
    diff = "\n".join([run.verdicts[CONFIG_DIFF]["summary"], *run.verdicts[CONFIG_DIFF]["evidence"]])
    assert "memory" in diff
    assert "GOOGLE_ALLOWED_EMAILS" in diff
    assert "former@example.com" in diff  # env.yaml holds the key: its values may be shown


def test_too_few_samples_is_inconclusive_and_fails_unless_skip(gate_dir):
    path = gate_dir.path / "tests/acceptance/contract.yaml"
    contract = yaml.safe_load(path.read_text())
    contract["compare"]["deadline_seconds"] = 3
    path.write_text(yaml.safe_dump(contract, sort_keys=False))
    run = run_gate(gate_dir, *fault("compare_few_samples"))
    run.expect(failed={*LATENCY, CACHE})  # every answer takes 0.5 s: over the cache budget too
    run.result.stdout.fnmatch_lines(["INCONCLUSIVE: health: *"])
    again = run_gate(gate_dir, *fault("compare_few_samples"), "--inconclusive=skip")
    again.expect(failed={CACHE}, skipped=LATENCY)


def test_without_the_section_nothing_is_sent_and_the_report_says_so(gate_dir, sandbox_with):
    path = gate_dir.path / "tests/acceptance/contract.yaml"
    contract = yaml.safe_load(path.read_text())
    del contract["compare"]
    path.write_text(yaml.safe_dump(contract, sort_keys=False))
    sandbox = sandbox_with("tagged_candidate")
    run = run_gate(gate_dir, *deployed(sandbox), "--tag", "candidate")
    compare = {BASELINE, COMPARE_ERRORS, FAMILIES, CONFIG_DIFF, latency("none")}
    run.expect(skipped=compare)
    agents = {
        entry["httpRequest"]["userAgent"] for entry in sandbox.log.entries if "httpRequest" in entry
    }
    assert not any(agent.startswith("cloudrun-acceptance-compare") for agent in agents)
    assert (
        "Not compared: the comparison was not asked for: the contract has no compare: section."
        in report(gate_dir, "md")
    )


def test_a_baseline_tag_is_added_only_with_the_flag(gate_dir, sandbox_with):
    sandbox = sandbox_with("tagged_candidate")
    run = run_gate(gate_dir, *deployed(sandbox), "--tag", "candidate", "--baseline-tag", "stable")
    run.expect()
    tags = {target.tag: target.revision for target in sandbox.traffic.current() if target.tag}
    assert tags == {"candidate": "emergence-app-00003-abc", "stable": "emergence-app-00001-xyz"}
    shares = [(t.revision, t.percent) for t in sandbox.traffic.current() if t.percent]
    assert shares == [("emergence-app-00001-xyz", 100)]  # no share changed
    assert run.verdicts[BASELINE]["evidence"] == [
        "the gate added the tag 'stable' to emergence-app-00001-xyz (operation "
        + run.verdicts[BASELINE]["evidence"][0].split("(operation ")[1]
    ]
    assert "tag 'stable', added by the gate" in run.verdicts[BASELINE]["summary"]


def test_promote_waits_for_a_passed_comparison(gate_dir, sandbox_with):
    sandbox = sandbox_with("candidate_slower")
    run = run_gate(gate_dir, *deployed(sandbox), "--tag", "candidate", "--promote")
    run.expect(failed=LATENCY)
    shares = {target.revision: target.percent for target in sandbox.traffic.current()}
    assert shares["emergence-app-00001-xyz"] == 100
    assert set(run.outcomes) >= COMPARE
