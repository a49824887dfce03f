"""Cloud Run's IAM front door: each refusal gets its own advice, and the grant is a command
when the service and the token's identity are known."""

from __future__ import annotations

from cloudrun_acceptance.checks.access import refused
from cloudrun_acceptance.model.exchange import Exchange
from cloudrun_acceptance.model.service import ServiceRef

PAGE = "<h1>Error: Forbidden</h1><h2>Your client does not have permission to get URL /h</h2>"
REF = ServiceRef("p", "europe-west1", "shop")


def forbidden(member: str = "", *, sent: bool = True) -> Exchange:
    return Exchange(
        "GET", "https://shop/h", 403, "Forbidden", body=PAGE, sent_credentials=sent, member=member
    )


def test_an_identity_without_the_invoker_role_gets_the_command_that_grants_it():
    verdict = refused(
        forbidden("serviceAccount:gate@p.iam.gserviceaccount.com"), "the health path", REF
    )
    assert verdict.summary.startswith(
        "Cloud Run refused the gate's identity (serviceAccount:gate@p.iam.gserviceaccount.com) "
        "for the health path (403 Forbidden)"
    )
    assert verdict.advice == (
        "grant the identity roles/run.invoker on the service: `gcloud run services "
        "add-iam-policy-binding shop --member=serviceAccount:gate@p.iam.gserviceaccount.com "
        "--role=roles/run.invoker --region europe-west1 --project p`."
    )


def test_without_the_service_or_the_identity_it_says_what_the_command_needs():
    for exchange, service in ((forbidden("user:ann@example.com"), None), (forbidden(), REF)):
        advice = refused(exchange, "the health path", service).advice
        assert "`gcloud" not in advice
        assert "--member=serviceAccount:EMAIL or user:EMAIL, --role=roles/run.invoker" in advice


def test_no_credentials_and_an_answer_of_the_service_itself():
    assert "--auth=id-token" in refused(forbidden(sent=False), "the health path").advice
    assert refused(Exchange("GET", "https://shop/h", 403, body="no"), "x") is None
