"""The source tree's other judgements: a pinned requirement, env.yaml beside the gate's."""

from __future__ import annotations

from cloudrun_acceptance.checks.preflight import judge_env_file, judge_requirement
from cloudrun_acceptance.model.contract import MetricsRules
from tests.unit.builders import source_tree as tree


def test_a_pin_outside_the_contracts_range_fails(tmp_path):
    source = tree(tmp_path, "CMD uvicorn", "Prometheus-Client===0.19.0\n")
    assert judge_requirement(tree=source, wanted="prometheus-client>=0.20").summary == (
        "requirements.txt line 1 pins prometheus-client to 0.19.0; the contract asks for "
        "prometheus-client>=0.20"
    )
    assert judge_requirement(tree=source, wanted="prometheus-client").status == "passed"


def test_a_pin_with_a_comment_after_it_is_read_as_pip_reads_it(tmp_path):
    source = tree(tmp_path, "CMD uvicorn", "prometheus-client==0.21.1  # metrics\n")
    verdict = judge_requirement(tree=source, wanted="prometheus-client>=0.20")
    assert verdict.status == "passed"
    assert verdict.summary == "requirements.txt line 1 lists `prometheus-client==0.21.1  # metrics`"
    assert judge_requirement(tree=source, wanted="prometheus-client<0.21").summary == (
        "requirements.txt line 1 pins prometheus-client to 0.21.1; the contract asks for "
        "prometheus-client<0.21"
    )


def test_env_differences_from_the_gates_are_reported_not_failed(tmp_path):
    (tmp_path / "env.yaml").write_text('FLAG: "true"\nEXTRA: "x"\n')
    source = tree(tmp_path, "CMD uvicorn")
    metrics = MetricsRules(enable_env="FLAG", enable_value="true")
    verdict = judge_env_file(tree=source, metrics=metrics, gate_env={"FLAG": "true", "OTHER": "y"})
    assert verdict.status == "passed"
    assert verdict.evidence == (
        "differs from the gate's --env-file (reported, not failed): EXTRA (only here), OTHER "
        "(missing here)",
    )
