"""gcloud pointed at the sandbox: a throwaway ``CLOUDSDK_CONFIG`` folder whose properties send
gcloud's Cloud Run and Cloud Logging calls to the sandbox's servers, never to Google.

gcloud puts the region in front of the host of ``api_endpoint_overrides/run``
(``http://127.0.0.1:PORT/`` becomes ``http://europe-west1-127.0.0.1:PORT/``, which no resolver
knows; googlecloudsdk/command_lib/run/connection_context.py, DeriveRegionalEndpoint). So the
folder also names the Admin API's server as gcloud's HTTP proxy: every request reaches it with
its absolute URI, and it answers the Admin API's requests itself and the Logging API's as that
server would (``jsonserver``). Nothing of the machine's own gcloud configuration is read or changed.
"""

from __future__ import annotations

import configparser
import shlex
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit


@dataclass(frozen=True)
class GcloudConfig:
    """A prepared configuration folder and the environment that makes gcloud use it."""

    folder: Path
    environment: Mapping[str, str]

    def exports(self) -> list[str]:
        """The shell lines that point the gcloud of this shell at the sandbox."""
        return [f"export {name}={shlex.quote(value)}" for name, value in self.environment.items()]

    def remove(self) -> None:
        """Delete the folder (safe to call twice)."""
        shutil.rmtree(self.folder, ignore_errors=True)


def properties(admin_endpoint: str, logging_endpoint: str) -> dict[str, dict[str, str]]:
    """The gcloud properties, by section, that point it at the sandbox's two APIs."""
    proxy = urlsplit(admin_endpoint)
    return {
        "core": {"disable_usage_reporting": "true"},
        # No credentials: the sandbox asks for none, and gcloud then never calls Google for a
        # token.
        "auth": {"disable_credentials": "true"},
        "api_endpoint_overrides": {
            "run": f"{admin_endpoint.rstrip('/')}/",
            "logging": f"{logging_endpoint.rstrip('/')}/",
        },
        "proxy": {"type": "http", "address": proxy.hostname or "", "port": str(proxy.port)},
        "component_manager": {"disable_update_check": "true"},
        "survey": {"disable_prompts": "true"},
    }


def prepare_gcloud(
    admin_endpoint: str, logging_endpoint: str, parent: Path | None = None
) -> GcloudConfig:
    """Write a configuration folder (in a new temporary folder under ``parent``) that gcloud
    reads as its whole configuration, as ``gcloud config set`` would have written it."""
    folder = Path(tempfile.mkdtemp(prefix="cloudrun-sandbox-gcloud-", dir=parent))
    (folder / "configurations").mkdir()
    (folder / "active_config").write_text("default")
    config = configparser.ConfigParser()
    config.read_dict(properties(admin_endpoint, logging_endpoint))
    with (folder / "configurations" / "config_default").open("w") as out:
        config.write(out)
    environment = {"CLOUDSDK_CONFIG": str(folder), "CLOUDSDK_CORE_DISABLE_PROMPTS": "1"}
    return GcloudConfig(folder, environment)
