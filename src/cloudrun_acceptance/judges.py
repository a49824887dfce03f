"""The gate's judgements, for a team's own checks that reuse one: ``gate.expect(judge_x(...))``.

Each is pure (what was observed and the contract's rules in, a ``Verdict`` out) and takes
keyword arguments only, so a call reads as what it passes and survives a new argument. The
built-in checks (``cloudrun_acceptance/gate/test_*.py``) call them exactly as a team's check
would: read one of those modules for the fixtures that give each argument.

| judge | arguments (the fixtures that give them) |
|---|---|
| ``judge_health`` | ``readiness``, ``rules=contract.health``, ``service=target.ref`` |
| ``judge_enabled`` | ``scrape=metrics_scrape``, ``rules=metrics_rules``, ``service=target.ref`` |
| ``judge_presence`` | ``snapshot=exposition``, ``expected=expected_metric`` |
| ``judge_coverage``, ``judge_lint`` | ``snapshot=exposition``, ``rules=metrics_rules`` |
| ``judge_analysis``, ``judge_cache`` | ``run=analysis_run`` / ``cache_run``, ``rules`` |
| ``judge_admin_api`` | ``lookup=admin_lookup``, ``checked_url=target.url`` |
| ``judge_settled`` | ``facts=deployment``, ``timeout`` (seconds waited for it) |
| ``judge_latest_ready``, ``judge_ready`` | ``facts=deployment`` |
| ``judge_traffic`` | ``facts=deployment``, ``rules=contract.revision``, ``canary`` |
| ``judge_env_var`` | ``facts``, ``key=env_key``, ``expected=expected_env``, ``env_file`` |
| ``judge_unexpected_env`` | ``facts``, ``expected=expected_env``, ``rules=contract.revision`` |
| ``judge_secret`` | ``facts``, ``ref=expected_secret`` |
| ``judge_resource`` | ``facts``, ``key`` and ``expected`` (the ``resource`` fixture's pair) |
| ``judge_startup_line`` | ``scan=startup_scan``, ``pattern=startup_line``, ``timeout`` |
| ``judge_identity`` | ``found=own_requests``, ``revision``, ``timeout`` |
| ``judge_server_errors`` | ``found=server_errors``, ``timeout`` |
| ``judge_error_entries`` | ``listing=error_entries``, ``rules=contract.logs`` |
| ``judge_baseline`` | ``choice=baseline.choice``, ``candidate`` (revision name) |
| ``compare_latency`` then ``judge_latency`` | ``kind``, ``load=paired_load``, ``rules`` |
| ``judge_errors`` | ``load=paired_load``, ``rules=compare_rules`` |
| ``judge_exposition``, ``diff_config`` | the baseline's and the candidate's |
| ``judge_dockerfile``, ``judge_port``, ``judge_upload`` | ``tree=source_tree``, ``rules`` |
| ``judge_requirement``, ``judge_env_file`` | ``tree=source_tree``, and what they check |

Their names and signatures are part of the public surface (CHANGELOG.md says how it changes).
"""

from __future__ import annotations

from .checks.analysis import judge_analysis, judge_cache
from .checks.baseline import judge_baseline
from .checks.compare import (
    compare_latency,
    diff_config,
    judge_errors,
    judge_exposition,
    judge_latency,
)
from .checks.dockerfile import judge_dockerfile, judge_port
from .checks.health import judge_health
from .checks.logs import (
    judge_error_entries,
    judge_identity,
    judge_server_errors,
    judge_startup_line,
)
from .checks.metrics import judge_coverage, judge_enabled, judge_lint, judge_presence
from .checks.preflight import judge_env_file, judge_requirement, judge_upload
from .checks.revision import (
    judge_admin_api,
    judge_env_var,
    judge_latest_ready,
    judge_ready,
    judge_resource,
    judge_secret,
    judge_settled,
    judge_traffic,
    judge_unexpected_env,
)

__all__ = [
    "compare_latency",
    "diff_config",
    "judge_admin_api",
    "judge_analysis",
    "judge_baseline",
    "judge_cache",
    "judge_coverage",
    "judge_dockerfile",
    "judge_enabled",
    "judge_env_file",
    "judge_env_var",
    "judge_error_entries",
    "judge_errors",
    "judge_exposition",
    "judge_health",
    "judge_identity",
    "judge_latency",
    "judge_latest_ready",
    "judge_lint",
    "judge_port",
    "judge_presence",
    "judge_ready",
    "judge_requirement",
    "judge_resource",
    "judge_secret",
    "judge_server_errors",
    "judge_settled",
    "judge_startup_line",
    "judge_traffic",
    "judge_unexpected_env",
    "judge_upload",
]
