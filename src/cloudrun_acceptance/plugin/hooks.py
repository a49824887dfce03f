"""The pytest plugin: options and ini keys, configuration, the header, and collection rules.

Registered under the ``pytest11`` entry point. Runs that collect no gate check (the project's
own unit tests, say) need no target; a run that collects one needs a target, or stops with a
usage error that names the three ways to give one.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ..config.options import OPTIONS
from ..config.settings import Sources, resolve_settings
from ..model.errors import ConfigError
from ..model.target import Target
from ..model.version import VERSION
from ..report.record import RunRecord
from ..report.reporter import REPORT_ATTRIBUTE, GateReporter, verdict_payload
from .builtin import cover_contract, refuse_unknown_skips
from .early import EarlyStart, early_plan
from .errors import usage_errors
from .gate import VERDICT_KEY
from .inivalues import ini_values, warn_old_ini_keys
from .inputs import read_inputs
from .options import add_options
from .records import RECORDS_KEY
from .rootdir import check_spaced_paths
from .signals import interrupt_on_sigterm
from .state import STATE_KEY, TargetSession
from .targetstates import record_key, state_key
from .terminal import TerminalEnding

# The collection rules and the fixtures live in modules of their own, registered with this one.
pytest_plugins = (
    "cloudrun_acceptance.plugin.builtin",
    "cloudrun_acceptance.plugin.collection",
    "cloudrun_acceptance.plugin.early",
    "cloudrun_acceptance.plugin.gc_freeze",
    "cloudrun_acceptance.plugin.fixtures",
    "cloudrun_acceptance.plugin.fixtures_deployment",
    "cloudrun_acceptance.plugin.fixtures_compare",
    "cloudrun_acceptance.plugin.fixtures_preflight",
    "cloudrun_acceptance.plugin.fixtures_rollout",
)

WORKERINPUT_KEY = "cloudrun_acceptance_target"
MARKERS = (
    "gate_stage(n): order of a gate check in the run (health first, logs last)",
    "mutating: the check POSTs to the service; it runs only with a test session",
)


def pytest_addoption(parser: pytest.Parser) -> None:
    """A ``--help`` section per group of the option table, and the ini keys."""
    add_options(parser)


def _sources(config: pytest.Config) -> Sources:
    ini = ini_values(config)
    return Sources(
        cli={spec.dest: config.getoption(spec.dest) for spec in OPTIONS},
        env=dict(os.environ),
        ini=ini.values,
        ini_origins=ini.origins,
        cwd=Path(config.invocation_params.dir),
        rootdir=Path(config.rootpath),
        inifile=Path(config.inipath) if config.inipath else None,
    )


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Resolve the settings; with a target, start the sandbox and name the JUnit file.

    ``tryfirst``: the JUnit path must be set before pytest's junitxml plugin reads it.
    """
    for marker in MARKERS:
        config.addinivalue_line("markers", marker)
    if config.getoption("help", False) or config.getoption("version", False):
        return
    with usage_errors():
        if not hasattr(config, "workerinput"):
            check_spaced_paths(config)
            warn_old_ini_keys(config)
        sources = _sources(config)
        settings = resolve_settings(sources)
        # A run that checks something reads its inputs now, once: the settings with the
        # contract's defaults, the contract and env.yaml (a bad one is a usage error here).
        checks = settings.target_requested or settings.preflight is not None
        inputs = read_inputs(sources) if checks else None
        state = TargetSession(sources, inputs.settings if inputs else settings, _inputs=inputs)
        if state.settings.rollout is not None and getattr(config.option, "numprocesses", None):
            raise ConfigError(
                f"--rollout and -n {config.option.numprocesses} were both given; a rollout's "
                "steps run one after the other, after every other check, in one process. Drop "
                "-n."
            )
        config.stash[STATE_KEY] = state
        cover_contract(config, state.settings)
        workerinput: dict[str, Any] | None = getattr(config, "workerinput", None)
        if workerinput is not None:
            if WORKERINPUT_KEY in workerinput:
                state.join(Target.from_json(workerinput[WORKERINPUT_KEY]))
            return
        interrupt_on_sigterm(config)
        if not state.settings.target_requested:
            if state.settings.preflight is not None:
                refuse_unknown_skips(state.contract)
                if not config.option.collectonly:
                    _register_reporter(config, state)
            return
        state.open(config.add_cleanup, early=early_plan(config) is not EarlyStart.NEVER)
        refuse_unknown_skips(state.contract)
        several = len(state.run_states())
        if several > 1 and getattr(config.option, "numprocesses", None):
            raise ConfigError(
                f"{several} targets and -n {config.option.numprocesses} were both given; the "
                "targets are checked one after the other in one process (their waits overlap), "
                "and judged all or none. Drop -n."
            )
    if not config.option.collectonly:  # a run that checks nothing reports nothing
        _register_reporter(config, state)


def _register_reporter(config: pytest.Config, state: TargetSession) -> None:
    """Name the reports after the revision (or host; or the source tree, for a pre-flight
    alone; or the service and its regions) and the UTC start; JUnit unless given."""
    started = datetime.now(UTC)
    preflight = state.settings.preflight
    states = state.run_states()
    label = (
        _label(state.target, len(states))
        if state.target is not None
        else f"preflight-{(preflight or Path('.')).resolve().name}"
    )
    stem = f"{label}-{started.strftime('%Y%m%dT%H%M%SZ')}"
    reports = state.settings.reports_dir
    reports.mkdir(parents=True, exist_ok=True)
    # No JUnit file with -p no:junitxml (the option is then not even defined).
    junitxml = hasattr(config.option, "xmlpath")
    if junitxml and not config.option.xmlpath:
        config.option.xmlpath = str(reports / f"{stem}.xml")
    records: dict[str, RunRecord] = {}
    for each in states:
        target = each.target
        record = RunRecord(
            target=target,
            contract=state.contract,
            facts=each.known_facts(),
            started=started,
            preflight_of=str(preflight) if preflight is not None and target is None else "",
        )
        records[record_key(each)] = record
    config.stash[RECORDS_KEY] = records
    junit = Path(config.option.xmlpath) if junitxml else None
    reporter = GateReporter(config, records, reports / f"{stem}.md", junit)
    config.pluginmanager.register(reporter, "cloudrun-acceptance-reporter")
    config.pluginmanager.register(TerminalEnding(reporter), "cloudrun-acceptance-terminal")
    if any(each.target is not None and each.target.ref is not None for each in states):
        from .release import Releaser  # a service named: the Admin API may change its traffic

        config.pluginmanager.register(Releaser(states, records), "cloudrun-acceptance-releaser")


def _label(target: Target, targets: int) -> str:
    """The reports' name: the revision's label, or with several targets the service's."""
    if targets == 1:
        return target.label
    return f"{target.service or 'service'}-{targets}-regions"


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist: workers check the target the controller resolved (one sandbox, one revision)."""
    state = node.config.stash.get(STATE_KEY, None)
    if state is not None and state.target is not None:
        node.workerinput[WORKERINPUT_KEY] = state.target.to_json()


def pytest_report_header(config: pytest.Config) -> list[str]:
    """The resolved target, the contract and the test session, above the results."""
    state = config.stash.get(STATE_KEY, None)
    if state is None:
        return []
    preflight = state.settings.preflight
    if state.target is None:
        if preflight is None:
            return []
        return [
            f"cloudrun-acceptance {VERSION}: pre-flight only of {preflight} (no service named: "
            "the checks of a deployed revision are not run)"
        ]
    settings, states = state.settings, state.run_states()
    if len(states) == 1:
        lines = _target_lines(state, "")
    else:
        names = ", ".join(f"{where.region}/{where.service}" for where in _targets(states))
        lines = [
            f"cloudrun-acceptance {VERSION}: {len(states)} targets, judged all or none: {names}"
        ]
        for each in states:
            lines += _target_lines(each, "  ")
    contract_file = state.contract
    lines.append(f"  contract: {contract_file.path} (sha256 {contract_file.sha256[:12]})")
    where = state.target
    if where.test_session:
        lines.append(f"  test session: {where.test_session} (from {where.session_origin})")
    else:
        lines.append(
            "  test session: none, so the mutating checks are skipped "
            "(--test-session or TEST_SESSION)"
        )
    if preflight is not None:
        lines.append(f"  pre-flight: {preflight} (first, before any request)")
    if settings.rollout is not None:
        rules = contract_file.rollout
        shares = ", ".join(map(str, settings.rollout or rules.steps))
        lines.append(
            f"  rollout: {shares}% of traffic to the candidate, each step baked "
            f"{rules.bake_seconds:g} s and judged on at least {rules.min_requests} users' "
            "requests per revision (rollout:)"
        )
    worst = state.budget()
    if len(states) == 1:
        lines.append(f"  worst case: {worst.describe()}, the sum of the deadlines")
    else:
        lines.append(
            f"  worst case: {worst.total * len(states):g} s, {len(states)} targets one after "
            f"the other, each {worst.describe()}: the sum of the deadlines"
        )
    lines += [f"  note: {note}" for note in settings.notes]
    return lines


def _targets(states: list[TargetSession]) -> list[Target]:
    return [each.target for each in states if each.target is not None]


def _target_lines(state: TargetSession, indent: str) -> list[str]:
    """What the header says of one target: its URL, sandbox and revision."""
    where = state.target
    assert where is not None
    url = f"{where.url or '(URL unknown)'} (from {where.url_origin})"
    if indent:
        lines = [f"{indent}{state_key(state)}: {url}"]
    else:
        lines = [f"cloudrun-acceptance {VERSION}: {url}"]
    inner = indent + "  "
    if where.sandbox_service:
        lines.append(f"{inner}sandbox: {where.sandbox_service}")
    if where.sandbox_faults:
        lines.append(f"{inner}sandbox faults: {', '.join(where.sandbox_faults)}")
    if where.revision:
        lines.append(f"{inner}revision: {where.revision} ({where.revision_origin})")
    elif where.ref is not None:
        lines.append(f"{inner}revision: unknown ({state.lookup_problem()})")
    else:
        lines.append(
            f"{inner}revision: not read (no --project/--region/--service): revision checks skipped"
        )
    return lines


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Attach the check's verdict to its report, for the markdown report (and xdist)."""
    report = yield
    verdict = item.stash.get(VERDICT_KEY, None)
    if verdict is not None and call.when == "call":
        setattr(report, REPORT_ATTRIBUTE, verdict_payload(verdict))
    return report
