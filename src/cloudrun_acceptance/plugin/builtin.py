"""The built-in checks, collected from the installed package wherever pytest collects the
run's contract.

The contract is the gate's file in a repository: a run that collects it (``pytest``, whose
testpaths hold it, or ``pytest tests/acceptance/contract.yaml``) gets the package's checks
(cloudrun_acceptance/gate/test_*.py) below it, with test ids that name the package
(``cloudrun_acceptance/gate/test_health.py::test_health_answers``) on every machine. The
repository's conftest.py fixtures apply to them (they are found by the test id, below the
contract's folder). A run that names only a team's own module collects only that module.

PYTEST_DONT_REWRITE: a module of the plugin's ``pytest_plugins``, which plugin/hooks.py may
import before pytest registers it; it holds no test's assertion, and the marker keeps
pytest 8 from warning that it could not rewrite one.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from ..config.builtins import check_names, gate_modules
from ..config.settings import Settings
from ..model.contract import Contract
from ..model.errors import ConfigError
from .state import STATE_KEY

if TYPE_CHECKING:
    import pluggy  # pytest's own dependency: the type of a hook relay

# The built-in checks' test ids begin with this: the package's folder, not where pip put it.
GATE_ID = "cloudrun_acceptance/gate"

# Modules that run in one mode only: the pre-flight (--preflight), the rollout's steps
# (--rollout), the judge of a canary phase (--canary-phase).
PREFLIGHT_MODULE = "test_preflight"
ROLLOUT_MODULE = "test_rollout"
CANARY_MODULE = "test_canary"


def refuse_unknown_skips(contract: Contract) -> None:
    """``checks.skip`` names built-in checks: a name that is none of them (a typo, or a team's
    own check) is a usage error, so it cannot switch nothing off unnoticed."""
    known = check_names()
    for name in contract.skipped_checks:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
            choices = f"the closest: {', '.join(close)}" if close else f"one of {', '.join(known)}"
            raise ConfigError(
                f"{contract.path}: checks.skip: {name!r} is not a built-in check; give a "
                f"built-in check's function name ({choices}). A check of your own is left out "
                "with -k or -m, or by deleting it."
            )


SKIP_REASON = "the contract skips this built-in check (checks.skip)"


def asked_for(module: str, settings: Settings) -> bool:
    """Whether the run's mode collects this built-in module."""
    if module.startswith(PREFLIGHT_MODULE):
        return settings.preflight is not None
    if module.startswith(ROLLOUT_MODULE):
        return settings.rollout is not None
    if module.startswith(CANARY_MODULE):
        return settings.canary_phase
    return True


# The run's contract, resolved once (``cover_contract``, at configure): the walk asks of every
# folder and file whether it is, or leads to, the contract.
CONTRACT_KEY = pytest.StashKey[Path]()


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """The run's contract, wherever pytest meets it, collects the built-in checks."""
    contract = parent.config.stash.get(CONTRACT_KEY, None)
    if contract is None or file_path.name != contract.name or file_path.resolve() != contract:
        return None
    return BuiltInChecks.from_parent(parent, path=file_path)


def cover_contract(config: pytest.Config, settings: Settings) -> None:
    """Keep the run's contract, resolved, for the collection hooks. A run given no paths
    (pytest's testpaths, or the invocation folder) collects the contract, and so the built-in
    checks, even where those paths do not reach it
    (``--contract elsewhere.yaml``); inside them, ``pytest_ignore_collect`` lets the walk into
    its folder. A run that names its paths collects what it names."""
    contract = settings.contract.resolve()
    config.stash[CONTRACT_KEY] = contract
    if config.args_source == pytest.Config.ArgsSource.ARGS or not contract.is_file():
        return
    root = Path(config.invocation_params.dir)
    reached = [(root / arg.split("::")[0]).resolve() for arg in config.args]
    if not any(contract == path or contract.is_relative_to(path) for path in reached):
        config.args.append(str(contract))


@pytest.hookimpl(tryfirst=True)
def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """The folders on the way to the run's contract are walked into even where pytest would
    not recurse (a folder whose name starts with a dot, ``norecursedirs``): a contract there
    still brings the built-in checks. ``--ignore`` still ignores them."""
    contract = config.stash.get(CONTRACT_KEY, None)
    if contract is None or not collection_path.is_dir():
        return None
    if not contract.is_relative_to(collection_path.resolve()):
        return None
    ignored = [Path(path).resolve() for path in config.getoption("ignore") or ()]
    if any(collection_path.resolve().is_relative_to(path) for path in ignored):
        return None
    return False


class BuiltInChecks(pytest.File):
    """The contract's node: its children are the package's check modules for this run."""

    def collect(self) -> Iterable[pytest.Item | pytest.Collector]:
        settings = self.config.stash[STATE_KEY].settings
        for path in gate_modules():
            if asked_for(path.stem, settings):
                nodeid = f"{GATE_ID}/{path.name}"
                yield BuiltInModule.from_parent(self, path=path, nodeid=nodeid)


class BuiltInModule(pytest.Module):
    """One module of the built-in checks: its ``test_`` functions, whatever the repository's
    ``python_functions`` and ``python_classes`` say. The hooks of the repository's conftest.py
    files (pytest_generate_tests, pytest_runtest_setup, ...) reach the module and its checks as
    they reach a module beside the contract: pytest finds them by path, and the package's path
    is not the repository's."""

    @property
    def ihook(self) -> pluggy.HookRelay:
        return self.session.gethookproxy(self._contract())

    def _contract(self) -> Path:
        parent = self.parent
        assert parent is not None  # a BuiltInChecks node
        return parent.path

    def funcnamefilter(self, name: str) -> bool:
        return name.startswith("test_")

    def classnamefilter(self, name: str) -> bool:
        return False

    def collect(self) -> Iterable[pytest.Item | pytest.Collector]:
        skipped = _skipped_checks(self.config)
        for node in super().collect():
            if isinstance(node, pytest.Function):
                node.path = self._contract()
                if node.originalname in skipped:
                    node.add_marker(pytest.mark.skip(reason=SKIP_REASON))
            yield node


def _skipped_checks(config: pytest.Config) -> tuple[str, ...]:
    """The contract's ``checks.skip`` (a run without a target reads the contract only here;
    one it cannot read collects every check, and stops with "no service to check")."""
    try:
        return config.stash[STATE_KEY].contract.skipped_checks
    except ConfigError:
        return ()
