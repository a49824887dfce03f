"""``python -m cloudrun_acceptance.sandbox``: run the sandbox until Ctrl-C, and say how to gate it.

Handy to try the gate as it runs against a real deployment (Admin API and Logging API included),
to rehearse the runbook's gcloud commands against it, or to validate the sandbox by hand with
curl. It starts what ``pytest --sandbox`` starts: the example's reference service, or the team's
own service when the contract has a ``sandbox`` section (run from ``--source``, its source tree).
It prints the gate command, and the exports under which gcloud talks to the sandbox instead of
Google (a throwaway CLOUDSDK_CONFIG folder, removed when the sandbox stops). With a region
profile (``two_regions``, ``region_fails``) it starts one sandbox per region and prints those
lines for each, under a line naming its region.
"""

from __future__ import annotations

import argparse
import shlex
import signal
import sys
import threading
from pathlib import Path

from ..config.contract import load_contract
from ..config.envfile import load_env_file
from ..model.errors import ConfigError
from .faults.profiles import FAULTS
from .faults.regions import faults_for_region, regions_for
from .launch import start_regions
from .launcher import Sandbox
from .platform.deployment import CANDIDATE_TAG


def main(argv: list[str] | None = None) -> int:
    """Start the sandbox, print its endpoints and the gate command, serve until interrupted."""
    parser = argparse.ArgumentParser(
        prog="python -m cloudrun_acceptance.sandbox", description=__doc__
    )
    parser.add_argument(
        "--fault", action="append", default=[], choices=sorted(FAULTS), metavar="NAME"
    )
    parser.add_argument("--analysis-seconds", type=float, default=1.0)
    parser.add_argument("--contract", type=Path, default=Path("tests/acceptance/contract.yaml"))
    parser.add_argument("--env-file", type=Path, default=Path("env.yaml"))
    parser.add_argument(
        "--source",
        type=Path,
        default=Path("."),
        help="the service's source tree, where its own service runs (default: this folder)",
    )
    args = parser.parse_args(argv)
    # Before anything starts: a SIGTERM that comes as soon as the lines are printed must still
    # stop the sandbox (and remove its gcloud folder), not kill the process where it stands.
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        contract = load_contract(args.contract)
        env = load_env_file(args.env_file, "--env-file")
        sandboxes = start_regions(
            contract,
            env,
            source=args.source,
            faults=tuple(args.fault),
            faults_origin="--fault",
            analysis_seconds=args.analysis_seconds,
        )
    except ConfigError as err:
        # The same one-line message the gate gives for this file, with argparse's exit code.
        parser.exit(2, f"{parser.prog}: error: {err}\n")
    try:
        if regions_for(args.fault):
            announce_regions(sandboxes, args.fault)
        else:
            announce(sandboxes[0], args.fault)
        stopped.wait()
    except KeyboardInterrupt:
        pass
    finally:
        for sandbox in reversed(sandboxes):
            sandbox.stop()
    return 0


def announce_regions(sandboxes: list[Sandbox], faults: list[str]) -> None:
    """Print each region's lines, as ``announce`` prints one sandbox's, under its region's name
    and with the faults that region runs with; a blank line between regions."""
    for index, sandbox in enumerate(sandboxes):
        region = sandbox.deployment.region
        if index:
            print()
        print(f"region       {region}")
        here = ", ".join(faults_for_region(faults, region)) or "none"
        announce(sandbox, faults, here=here)


def announce(sandbox: Sandbox, faults: list[str], *, here: str | None = None) -> None:
    """Print the endpoints, the gate command, and the exports for gcloud; ``here``: the faults
    this sandbox runs with, when they differ from ``faults`` (one region of several)."""
    d = sandbox.deployment
    gate = [
        "pytest",
        f"--project={d.project}",
        f"--region={d.region}",
        f"--service={d.service}",
        f"--cloudrun-endpoint={sandbox.admin_endpoint}",
        f"--logging-endpoint={sandbox.logging_endpoint}",
        f"--monitoring-endpoint={sandbox.monitoring_endpoint}",
        f"--test-session={sandbox.session_id}",
    ]
    if d.behaviour.flow == "candidate":
        gate.append(f"--tag={CANDIDATE_TAG}")
    print(f"service      {sandbox.service_url}  ({sandbox.describe()})")
    print(f"Admin API    {sandbox.admin_endpoint}  ({d.service_name})")
    print(f"Logging API  {sandbox.logging_endpoint}")
    print(f"Monitoring   {sandbox.monitoring_endpoint}")
    given = ", ".join(faults) or "none"
    print(f"faults       {given}" + (f" (in this region: {here})" if here is not None else ""))
    print(f"gate it with {shlex.join(gate)}")
    print("gcloud       run the runbook's gcloud commands against it after these exports:")
    for line in sandbox.gcloud().exports():
        print(f"  {line}")
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
