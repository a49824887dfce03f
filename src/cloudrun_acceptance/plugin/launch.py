"""Starting the embedded sandbox for ``--sandbox``: the plugin's only way into sandbox/.

The sandbox is imported here, inside the function, so runs without ``--sandbox`` never load
FastAPI or uvicorn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..config.settings import Settings
from ..model.contract import Contract
from ..model.errors import ConfigError

if TYPE_CHECKING:
    from ..sandbox.launcher import Sandbox

SANDBOX_PACKAGES = {"fastapi", "uvicorn", "starlette", "pydantic"}


def check_faults(settings: Settings) -> None:
    """Every fault named with ``--sandbox-fault`` is one of the sandbox's profiles."""
    from ..sandbox.faults import FAULTS

    unknown = [name for name in settings.sandbox_faults if name not in FAULTS]
    if unknown:
        origin = settings.origins.get("sandbox_fault", "--sandbox-fault")
        raise ConfigError(
            f"unknown sandbox fault {unknown[0]!r} from {origin}; known faults: "
            f"{', '.join(sorted(FAULTS))}."
        )


def launch_sandbox(settings: Settings, contract: Contract, env: dict[str, str]) -> Sandbox:
    """Start the sandbox; missing FastAPI or uvicorn is a usage error saying what to install."""
    check_faults(settings)
    try:
        from ..sandbox.launcher import start_sandbox
    except ModuleNotFoundError as err:
        if (err.name or "").split(".")[0] in SANDBOX_PACKAGES:
            raise ConfigError(
                f"--sandbox needs FastAPI and uvicorn, and {err.name} is not installed; "
                "install the extra: pip install 'cloudrun-acceptance[sandbox]'."
            ) from err
        raise
    return start_sandbox(
        contract,
        env,
        faults=settings.sandbox_faults,
        analysis_seconds=settings.sandbox_analysis_seconds,
    )
