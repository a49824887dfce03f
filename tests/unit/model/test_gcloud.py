"""The gcloud commands the gate prints: region and project always, revisions by name, each word
quoted for the shell and each list escaped for gcloud, deletes that do not prompt."""

from __future__ import annotations

import shlex

import pytest

from cloudrun_acceptance.model import gcloud
from cloudrun_acceptance.model.service import ServiceRef, TrafficRow

REF = ServiceRef("my-project", "europe-west1", "shop")
WHERE = "--region europe-west1 --project my-project"


@pytest.mark.parametrize(
    ("command", "printed"),
    [
        (gcloud.describe_service(REF), f"gcloud run services describe shop {WHERE}"),
        (
            gcloud.describe_revision(REF, "shop-00003-abc"),
            f"gcloud run revisions describe shop-00003-abc {WHERE}",
        ),
        (
            gcloud.set_traffic(REF, {"shop-00003-abc": 90, "shop-00001-xyz": 10, "gone": 0}),
            f"gcloud run services update-traffic shop --to-revisions shop-00003-abc=90,shop-00001-xyz=10 {WHERE}",
        ),
        (
            gcloud.move_tag(REF, "candidate", "shop-00003-abc"),
            f"gcloud run services update-traffic shop --update-tags candidate=shop-00003-abc {WHERE}",
        ),
        (
            gcloud.delete_revision(REF, "shop-00003-abc"),
            f"gcloud run revisions delete shop-00003-abc {WHERE} --quiet",
        ),
        (
            gcloud.remove_env(REF, ["A", "B"]),
            f"gcloud run services update shop --remove-env-vars A,B {WHERE}",
        ),
        (
            gcloud.grant_invoker(REF, "serviceAccount:gate@p.iam.gserviceaccount.com"),
            "gcloud run services add-iam-policy-binding shop --member=serviceAccount:gate@p.iam.gserviceaccount.com "
            f"--role=roles/run.invoker {WHERE}",
        ),
        (
            gcloud.grant_project_role(
                "p", "serviceAccount:gate@p.iam.gserviceaccount.com", "roles/run.viewer"
            ),
            "gcloud projects add-iam-policy-binding p --member=serviceAccount:gate@p.iam.gserviceaccount.com "
            "--role=roles/run.viewer",
        ),
    ],
    ids=["describe", "revision", "traffic", "tag", "delete", "remove-env", "invoker", "project"],
)
def test_each_command_names_region_and_project(command, printed):
    assert str(command) == printed


@pytest.mark.parametrize(
    ("values", "argument"),
    [
        ({"MODE": "eu"}, "MODE=eu"),
        ({"GREETING": "hello world", "QUOTE": "it's"}, "GREETING=hello world,QUOTE=it's"),
        ({"HOSTS": "a,b", "OTHER": "x"}, "^@^HOSTS=a,b@OTHER=x"),
        ({"EMAIL": "a@b.c,d@e.f"}, "^|^EMAIL=a@b.c,d@e.f"),
    ],
    ids=["plain", "spaces-and-quotes", "comma", "comma-and-at"],
)
def test_env_values_are_escaped_for_gcloud_and_quoted_for_the_shell(values, argument):
    command = gcloud.update_env(REF, values)
    words = shlex.split(str(command))  # what the shell hands to gcloud
    assert words[:6] == ["gcloud", "run", "services", "update", "shop", "--update-env-vars"]
    assert words[6] == argument
    assert words[7:] == WHERE.split()


def test_the_traffic_of_a_table_adds_up_by_revision():
    rows = [TrafficRow("a", 50), TrafficRow("b", 50), TrafficRow("b", 0, tag="t")]
    assert gcloud.traffic_of(rows) == {"a": 50, "b": 50}
