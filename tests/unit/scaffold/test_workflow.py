"""The workflow template's rules: a marker per value, a line per list item, no line for nothing."""

from __future__ import annotations

import pytest
import yaml

from cloudrun_acceptance.scaffold.files import CI_FILES, template_text
from cloudrun_acceptance.scaffold.workflow import PACKAGE_PLACEHOLDER, WorkflowValues, render

TEMPLATE = "a: {{one}}\n  - {{item}} \\\nsecrets {{text}} here\nend\n"


def test_text_lists_and_empty_values():
    assert render(TEMPLATE, {"one": "x", "item": ["--cpu=1", "--memory=1Gi"], "text": "S"}) == (
        "a: x\n  - --cpu=1 \\\n  - --memory=1Gi \\\nsecrets S here\nend\n"
    )
    assert render(TEMPLATE, {"one": "x", "item": [], "text": ""}) == "a: x\nend\n"


def test_an_unknown_marker_is_a_bug_not_a_silent_gap():
    with pytest.raises(KeyError):
        render("{{nope}}\n", {})


@pytest.mark.parametrize("ci", sorted(CI_FILES))
def test_a_workflow_with_nothing_known_is_valid_yaml_with_placeholders(ci):
    text = render(template_text(CI_FILES[ci][0]), WorkflowValues().markers())
    assert yaml.safe_load(text)
    assert PACKAGE_PLACEHOLDER in text
    assert "emergence-app" not in text and "--update-secrets" not in text
    assert "--cpu" not in text


def test_a_workflow_names_the_service_its_secrets_and_resources():
    values = WorkflowValues(
        project="shop-prod",
        region="us-central1",
        service="shop",
        package="cloudrun-acceptance @ git+https://example.com/gate@abc",
        secrets=["SHOP_PAYMENT_KEY=shop-payment-key:3"],
        resources=["--cpu=1", "--memory=512Mi"],
    )
    workflow = yaml.safe_load(render(template_text("ci/github-actions.yml"), values.markers()))
    assert workflow["env"]["SERVICE_NAME"] == "shop"
    assert (
        workflow["env"]["GATE_PACKAGE"] == "cloudrun-acceptance @ git+https://example.com/gate@abc"
    )
    deploy = next(
        s for s in workflow["jobs"]["deploy"]["steps"] if s.get("name", "").startswith("Deploy")
    )
    assert "--update-secrets SHOP_PAYMENT_KEY=shop-payment-key:3 \\\n" in deploy["run"]
    assert "--cpu=1 \\\n  --memory=512Mi \\\n  --env-vars-file env.yaml\n" in deploy["run"]
