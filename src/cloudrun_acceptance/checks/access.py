"""Cloud Run's IAM front door: what to do when it refuses the gate, before the service answers.

Most production services are private. Without credentials Cloud Run answers 403 with its own
HTML page; with a token it cannot accept (expired, another audience), 401 with
``WWW-Authenticate: Bearer error="invalid_token"``. Neither is the service's answer, and the
usual advice (read the service's logs) would send the operator the wrong way.
"""

from __future__ import annotations

from ..model import gcloud
from ..model.exchange import Exchange
from ..model.service import ServiceRef
from ..model.verdict import Verdict, failed

INVOKER = "roles/run.invoker"


def refused(exchange: Exchange, what: str, service: ServiceRef | None = None) -> Verdict | None:
    """The verdict when the front door refused ``exchange``; None when it did not. With the
    service known, and the identity its token names, the advice is the command that grants
    it."""
    refusal = exchange.refusal
    if refusal is None:
        return None
    evidence = [exchange.evidence()]
    if exchange.authenticate:
        evidence.append(f"WWW-Authenticate: {exchange.authenticate}")
    if refusal == "invalid_token" and exchange.sent_credentials:
        return failed(
            f"Cloud Run refused the gate's token for {what} ({exchange.status}, invalid_token): "
            "the request never reached the service",
            evidence=evidence,
            advice="an ID token for Cloud Run must have the service URL as its audience, and it "
            "expires after an hour: with --auth=bearer, mint it for this service just before the "
            "run (SERVICE_TOKEN=$(gcloud auth print-identity-token); for a service account add "
            "--audiences=SERVICE_URL); or use --auth=id-token, which fetches one for the "
            "service URL.",
        )
    if exchange.sent_credentials:
        who = f" ({exchange.member})" if exchange.member else ""
        if service is not None and exchange.member:
            grant = f": `{gcloud.grant_invoker(service, exchange.member)}`"
        else:
            grant = (
                " (gcloud run services add-iam-policy-binding, with the service, its --region "
                f"and --project, --member=serviceAccount:EMAIL or user:EMAIL, --role={INVOKER})"
            )
        return failed(
            f"Cloud Run refused the gate's identity{who} for {what} ({exchange.status} "
            "Forbidden): the token was accepted, but its identity may not invoke the service",
            evidence=evidence,
            advice=f"grant the identity {INVOKER} on the service{grant}.",
        )
    return failed(
        f"Cloud Run refused {what} at its IAM front door ({exchange.status}): the service "
        "requires authentication, and the gate sent no credentials",
        evidence=evidence,
        advice=f"call it with --auth=id-token (the gate's identity needs {INVOKER} on the "
        "service), or with --auth=bearer and SERVICE_TOKEN=$(gcloud auth print-identity-token) "
        "(--token-env names another variable).",
    )
