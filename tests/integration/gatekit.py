"""Running the real gate (tests/acceptance) through pytester, and reading what each check did."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from bench.common import gate_arguments as deployed  # noqa: F401 - the gate's arguments for a sandbox the test started
from tests.paths import REPO, SHIPPED_CONTRACT

GATE_FILES = ("pytest.ini", "env.yaml")
# pytest in a child process that SIGINT interrupts (KeyboardInterrupt), even when this test run
# ignores SIGINT, as a background job's processes do and their children inherit.
INTERRUPTIBLE_PYTEST = (
    sys.executable,
    "-c",
    "import signal, sys, pytest; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "sys.exit(pytest.console_main())",
)
FAST = ("--sandbox-analysis-seconds", "0.05", "--logs-timeout", "1", "-p", "no:cacheprovider")

HEALTH = "test_health_answers"
ENABLED = "test_metrics_enabled"
COVERAGE = "test_enough_contract_metrics_are_present"
LINT = "test_exposition_passes_lint"
ANALYSIS = "test_forced_analysis_moves_the_counters"
CACHE = "test_cached_analysis_answers_within_budget"


ADMIN = "test_admin_api_describes_the_service"
SETTLED = "test_service_has_reconciled"
LATEST = "test_latest_created_revision_is_ready"
READY = "test_revision_ready_condition_is_true"
TRAFFIC = "test_revision_serves_expected_traffic"
UNEXPECTED_ENV = "test_revision_has_no_unexpected_env_vars"
IDENTITY = "test_gate_requests_were_answered_by_the_revision"
NO_5XX = "test_no_server_errors_since_revision_start"
SEVERITY = "test_error_severity_entries"


BASELINE = "test_baseline_is_reachable"
COMPARE_ERRORS = "test_candidate_errors_against_baseline"
FAMILIES = "test_candidate_keeps_the_baseline_metric_families"
CONFIG_DIFF = "test_candidate_configuration_against_baseline"


def latency(kind: str) -> str:
    return f"test_candidate_latency_against_baseline[{kind}]"


# The comparison with the stable revision: the candidate flow only (--tag), else skipped.
COMPARE = {BASELINE, COMPARE_ERRORS, FAMILIES, CONFIG_DIFF, latency("health")}
COMPARE |= {latency("cached call")}
# A contract without a compare: section: the latency check has one case, [none].
COMPARE_UNASKED = {BASELINE, COMPARE_ERRORS, FAMILIES, CONFIG_DIFF, latency("none")}

# Why the comparison's checks skip: a run outside the candidate flow, or a contract without it.
UNTAGGED = (
    "compares a tagged candidate with the stable revision: check the candidate through its tag "
    "(--tag NAME, the candidate flow)"
)
UNASKED = "the comparison was not asked for: the contract has no compare: section"
# The report's "Not run" line for each, naming every check it covers (a parametrized check's
# cases after its name).
UNTAGGED_NOT_RUN = (
    f"- 6 checks skipped: {UNTAGGED} (baseline is reachable; candidate latency against "
    "baseline: health, cached call; candidate errors against baseline; candidate keeps the "
    "baseline metric families; candidate configuration against baseline)"
)
UNASKED_NOT_RUN = (
    f"- 5 checks skipped: {UNASKED} (baseline is reachable; candidate latency against "
    "baseline: none; candidate errors against baseline; candidate keeps the baseline metric "
    "families; candidate configuration against baseline)"
)


def compare_skips(reason: str) -> list[str]:
    """The terminal's short summary lines (-ra) of the comparison's checks skipped for ``reason``,
    in order: one a check, the latency check's two kinds on one line (or, without the contract's
    section, its [none] case, skipped at collection: no line number)."""
    where = "*cloudrun_acceptance/gate/test_compare.py"
    one = f"SKIPPED [[]1[]] {where}:*: {reason}"
    if reason == UNTAGGED:
        return [one, f"SKIPPED [[]2[]] {where}:*: {reason}", one, one, one]
    return [one, f"SKIPPED [[]1[]] {where}: {reason}", one, one, one]


def not_run(report: str) -> list[str]:
    """The lines of the markdown report's "Not run" section, a line per reason."""
    if "\n## Not run\n" not in report:
        return []
    section = report.split("\n## Not run\n", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line]


def presence(name: str) -> str:
    return f"test_metric_is_exposed_with_its_type[{name}]"


def env_var(key: str) -> str:
    return f"test_revision_env_var_matches_env_file[{key}]"


def secret(env: str) -> str:
    return f"test_secret_is_mounted_at_pinned_version[{env}]"


def resource(key: str) -> str:
    return f"test_revision_resource_matches_contract[{key}]"


def startup(line: str) -> str:
    return f"test_startup_line_is_logged[{line}]"


STARTUP_ENDPOINT = startup("[Metrics] Prometheus endpoint exposed at /api/metrics")
STARTUP_COUNT = startup("[Metrics] 13 metrics registered")
STARTUP = {STARTUP_ENDPOINT, STARTUP_COUNT}
LOG_CHECKS = STARTUP | {IDENTITY, NO_5XX, SEVERITY}


def contract_metrics() -> list[str]:
    contract = yaml.safe_load(SHIPPED_CONTRACT.read_text())
    return [metric["name"] for metric in contract["metrics"]["expected"]]


def contract_section(name: str) -> dict[str, Any]:
    return yaml.safe_load(SHIPPED_CONTRACT.read_text())[name]


PRESENCE = {presence(name) for name in contract_metrics()}
NEEDS_EXPOSITION = PRESENCE | {COVERAGE, LINT, ANALYSIS, CACHE}
HTTP_CHECKS = NEEDS_EXPOSITION | {ENABLED}
ENV_KEYS = list(yaml.safe_load((REPO / "env.yaml").read_text()))
SECRETS = {secret(ref["env"]) for ref in contract_section("revision")["secrets"]}
RESOURCES = {resource(key) for key in contract_section("revision")["resources"]}
NEEDS_DEPLOYMENT = (
    {SETTLED, LATEST, READY, TRAFFIC, UNEXPECTED_ENV}
    | {env_var(key) for key in ENV_KEYS}
    | SECRETS
    | RESOURCES
    | LOG_CHECKS
)
REVISION_CHECKS = NEEDS_DEPLOYMENT | {ADMIN}


def copy_gate(pytester: pytest.Pytester) -> Path:
    """The repository's gate, as a user has it: pytest.ini, env.yaml, tests/acceptance (the contract)."""
    for name in GATE_FILES:
        shutil.copy(REPO / name, pytester.path / name)
    shutil.copytree(REPO / "tests" / "acceptance", pytester.path / "tests" / "acceptance")
    return pytester.path


def edit_contract(pytester: pytest.Pytester, section: str, key: str, value: Any) -> None:
    """Change one value of the copied contract."""
    path = pytester.path / "tests/acceptance/contract.yaml"
    contract = yaml.safe_load(path.read_text())
    contract.setdefault(section, {})[key] = value
    path.write_text(yaml.safe_dump(contract, sort_keys=False))


@dataclass
class GateRun:
    """One run of the gate: pytest's result, and each check's outcome by test id."""

    result: pytest.RunResult
    outcomes: dict[str, str]
    verdicts: dict[str, dict[str, Any]]
    # A run outside the candidate flow skips the comparison: expect() takes that as given.
    candidate: bool = True

    def having(self, outcome: str) -> set[str]:
        return {name for name, seen in self.outcomes.items() if seen == outcome}

    @property
    def failed(self) -> set[str]:
        return self.having("failed")

    @property
    def errors(self) -> set[str]:
        return self.having("error")

    @property
    def skipped(self) -> set[str]:
        return self.having("skipped")

    @property
    def passed(self) -> set[str]:
        return self.having("passed")

    def expect(
        self, *, failed: Iterable[str] = (), errors: Iterable[str] = (), skipped: Iterable[str] = ()
    ) -> None:
        """Exactly these checks fail, error or skip; every other check passes (and, outside the
        candidate flow, the comparison's checks skip unless named)."""
        named = set(failed) | set(errors) | set(skipped)
        if not self.candidate:
            skipped = set(skipped) | (COMPARE & set(self.outcomes)) - named
        assert self.failed == set(failed), self.result.stdout.str()
        assert self.errors == set(errors), self.result.stdout.str()
        assert self.skipped == set(skipped), self.result.stdout.str()
        others = set(self.outcomes) - set(failed) - set(errors) - set(skipped)
        assert self.passed == others, self.result.stdout.str()


def run_gate(pytester: pytest.Pytester, *args: str, plugins: Sequence[object] = ()) -> GateRun:
    """Run the copied gate in-process with ``args`` (and ``plugins``, objects with hooks)."""
    result = pytester.runpytest(*FAST, *args, plugins=list(plugins))
    outcomes: dict[str, str] = {}
    verdicts: dict[str, dict[str, Any]] = {}
    reprec = getattr(result, "reprec", None)
    if reprec is not None and hasattr(reprec, "getreports"):
        for report in reprec.getreports("pytest_runtest_logreport"):
            name = report.nodeid.split("::", 1)[-1]
            if report.when == "setup" and report.failed:
                outcomes[name] = "error"
            elif report.when == "call" or (report.when == "setup" and report.skipped):
                outcomes.setdefault(name, report.outcome)
            verdict = getattr(report, "cloudrun_verdict", None)
            if verdict is not None:
                verdicts[name] = verdict
    tagged = any(arg == "--tag" or arg.startswith("--tag=") for arg in args)
    return GateRun(result, outcomes, verdicts, candidate=tagged)
