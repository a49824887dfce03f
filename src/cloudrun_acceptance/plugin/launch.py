"""Starting the embedded sandbox for ``--sandbox``: the plugin's only way into sandbox/.

The sandbox is imported here, inside the function, so runs without ``--sandbox`` never load
FastAPI or uvicorn.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..config.settings import Settings
from ..model.contract import Contract
from ..model.errors import ConfigError

if TYPE_CHECKING:
    from ..sandbox.launcher import Sandbox

SANDBOX_PACKAGES = {"fastapi", "uvicorn", "starlette", "pydantic"}


def launch_sandboxes(
    settings: Settings, contract: Contract, env: dict[str, str], source: Path
) -> list[Sandbox]:
    """Start the sandbox: the reference service, or the team's own one when the contract has a
    ``sandbox`` section (run from ``source``, its tree); one per region with a profile that
    deploys the service in several (``two_regions``, ``region_fails``). Missing FastAPI or
    uvicorn is a usage error saying what to install."""
    try:
        from ..sandbox.launch import start_regions
    except ModuleNotFoundError as err:
        if (err.name or "").split(".")[0] in SANDBOX_PACKAGES:
            raise ConfigError(
                f"--sandbox needs FastAPI and uvicorn, and {err.name} is not installed; "
                "install the extra: pip install 'cloudrun-acceptance[sandbox]'."
            ) from err
        raise
    return start_regions(
        contract,
        env,
        source=source,
        faults=settings.sandbox_faults,
        faults_origin=settings.origins.get("sandbox_fault", "--sandbox-fault"),
        analysis_seconds=settings.sandbox_analysis_seconds,
    )
