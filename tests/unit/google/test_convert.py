"""Admin API messages into plain values: short names, a revision as deployed."""

from __future__ import annotations

from google.cloud import run_v2

from cloudrun_acceptance.google.convert import revision_facts, secret_name, short_name


def test_names_of_resources():
    assert short_name("projects/p/locations/r/services/s/revisions/s-0001") == "s-0001"
    assert secret_name("projects/123/secrets/OPENAI_API_KEY") == "OPENAI_API_KEY"
    assert secret_name("projects/123/secrets/OPENAI_API_KEY/versions/5") == "OPENAI_API_KEY"
    assert secret_name("OPENAI_API_KEY") == "OPENAI_API_KEY"


def test_a_revision_as_deployed_carries_its_service_account_and_concurrency():
    container = run_v2.Container(
        image="europe-docker.pkg.dev/p/app/app:2",
        ports=[run_v2.ContainerPort(container_port=8080)],
        env=[
            run_v2.EnvVar(name="A", value="true"),
            run_v2.EnvVar(
                name="KEY",
                value_source=run_v2.EnvVarSource(
                    secret_key_ref=run_v2.SecretKeySelector(secret="projects/1/secrets/KEY")
                ),
            ),
        ],
        resources=run_v2.ResourceRequirements(limits={"cpu": "1", "memory": "512Mi"}),
    )
    facts = revision_facts(
        run_v2.Revision(
            name="projects/p/locations/r/services/s/revisions/s-00002-abc",
            service_account="runner@p.iam.gserviceaccount.com",
            max_instance_request_concurrency=10,
            containers=[container],
        )
    )
    assert (facts.name, facts.image) == ("s-00002-abc", "europe-docker.pkg.dev/p/app/app:2")
    assert (facts.service_account, facts.concurrency) == ("runner@p.iam.gserviceaccount.com", 10)
    assert dict(facts.env) == {"A": "true"}
    assert str(facts.secrets["KEY"]) == "KEY:latest"
    assert (facts.resources["cpu"], facts.resources["memory"]) == ("1", "512Mi")


def test_an_unset_concurrency_is_none_not_zero():
    facts = revision_facts(run_v2.Revision(name="s-00001-xyz"))
    assert (facts.service_account, facts.concurrency) == ("", None)
