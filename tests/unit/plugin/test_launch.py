"""--sandbox-fault names are checked against the sandbox's profiles, naming where they came from."""

from __future__ import annotations

import pytest

from cloudrun_acceptance.config.settings import Settings
from cloudrun_acceptance.model.errors import ConfigError
from cloudrun_acceptance.plugin.launch import check_faults
from cloudrun_acceptance.sandbox.faults import FAULTS


def test_known_faults_pass_and_an_unknown_one_lists_the_known():
    check_faults(Settings(sandbox=True, sandbox_faults=("metrics_html", "cache_slow")))
    with pytest.raises(ConfigError) as caught:
        check_faults(
            Settings(
                sandbox=True,
                sandbox_faults=("metrics_gone",),
                origins={"sandbox_fault": "--sandbox-fault (command line)"},
            )
        )
    assert str(caught.value) == (
        "unknown sandbox fault 'metrics_gone' from --sandbox-fault (command line); known faults: "
        f"{', '.join(sorted(FAULTS))}."
    )
