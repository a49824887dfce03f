"""``python -m bench.serve [--cache-delay S] [--flow candidate ...]``: a sandbox in its own
process, as a deployed service is.

Prints the service URL on its first line; in the candidate flow (``--flow candidate``) the
candidate's tag URL on the second. Then serves until its stdin closes.

In the candidate flow the stable revision answers at the service URL and the candidate at the
tag URL; ``--candidate-cache-delay`` and ``--candidate-error-rate`` are the candidate's own
(the stable revision keeps a good revision's behaviour).
"""

from __future__ import annotations

import argparse
import sys

from bench.common import sandbox
from cloudrun_acceptance.sandbox.faults.profiles import Behaviour


def behaviour_of(args: argparse.Namespace) -> Behaviour:
    """The sandbox's behaviour as the command line asks."""
    if args.flow == "candidate":
        return Behaviour(
            flow="candidate",
            cache_delay_seconds=args.candidate_cache_delay,
            error_rate=args.candidate_error_rate,
        )
    return Behaviour(cache_delay_seconds=args.cache_delay)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.serve")
    parser.add_argument("--cache-delay", type=float, default=0.0, help="direct flow's cache delay")
    parser.add_argument("--analysis-seconds", type=float, default=0.01)
    parser.add_argument("--flow", choices=("direct", "candidate"), default="direct")
    parser.add_argument(
        "--candidate-cache-delay",
        type=float,
        default=0.0,
        help="candidate flow: seconds the candidate's cache hit takes beyond the stable one's",
    )
    parser.add_argument(
        "--candidate-error-rate",
        type=float,
        default=0.0,
        help="candidate flow: the share of the candidate's health and cache-hit answers that "
        "are 500",
    )
    args = parser.parse_args()
    with sandbox(args.analysis_seconds, behaviour_of(args)) as running:
        print(running.service_url, flush=True)
        if args.flow == "candidate":
            print(running.deployment.tag_url, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
