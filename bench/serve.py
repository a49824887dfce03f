"""``python -m bench.serve --cache-delay S``: a sandbox in its own process, as a deployed service is.

Prints the service URL on its first line, then serves until its stdin closes.
"""

from __future__ import annotations

import argparse
import sys

from bench.common import sandbox
from cloudrun_acceptance.sandbox.faults import Behaviour


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache-delay", type=float, default=0.0)
    parser.add_argument("--analysis-seconds", type=float, default=0.01)
    args = parser.parse_args()
    with sandbox(args.analysis_seconds, Behaviour(cache_delay_seconds=args.cache_delay)) as running:
        print(running.service_url, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
