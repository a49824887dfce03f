"""How the gate authenticates to a private service, without ever printing a token."""

from __future__ import annotations

from collections.abc import Mapping

from ..model.errors import ConfigError
from ..model.secret import Secret


def authorization(
    mode: str, token_env: str, audience: str, env: Mapping[str, str]
) -> Secret | None:
    """The Authorization header value for ``--auth``: none, bearer or id-token."""
    if mode == "none":
        return None
    if mode == "bearer":
        token = env.get(token_env, "").strip()
        if not token:
            raise ConfigError(
                f"--auth bearer reads the token from the {token_env} environment variable, which "
                f"is {'empty' if token_env in env else 'not set'}; export it (for Cloud Run: "
                f"{token_env}=$(gcloud auth print-identity-token)), or name another variable "
                "with --token-env."
            )
        return Secret(f"Bearer {token}")
    return Secret(f"Bearer {_fetch_id_token(audience)}")


def _fetch_id_token(audience: str) -> str:
    # google-auth is imported here only: runs without --auth id-token never load it.
    import google.auth.exceptions
    import google.auth.transport.requests
    import google.oauth2.id_token

    try:
        token: str = google.oauth2.id_token.fetch_id_token(  # type: ignore[no-untyped-call]
            google.auth.transport.requests.Request(), audience
        )
    except google.auth.exceptions.GoogleAuthError as err:
        raise ConfigError(
            f"--auth id-token could not get an identity token for {audience} "
            f"({type(err).__name__}); "
            "in CI use a service account with roles/run.invoker (GOOGLE_APPLICATION_CREDENTIALS "
            "or workload identity); on a workstation use --auth bearer with "
            "SERVICE_TOKEN=$(gcloud auth print-identity-token)."
        ) from err
    return token
