"""The gate's errors. Each carries a message an operator can act on; none imports pytest.

``ConfigError`` is a usage error (bad option, env var, contract or env.yaml): only the plugin
turns it into ``pytest.UsageError`` (exit 4), so the same messages serve the sandbox's own
command line. ``ApiError`` is a Google API that could not answer: a failed check, not a usage
error. ``ExpositionError`` is a body that is not a Prometheus exposition.
"""

from __future__ import annotations


class ConfigError(Exception):
    """A bad setting, contract or env file; the message names the value, its origin and the fix."""


class ApiError(Exception):
    """A Google API could not answer: ``summary`` says what happened, ``advice`` what to do."""

    def __init__(
        self,
        summary: str,
        advice: str,
        status: int | None = None,
        *,
        evidence: tuple[str, ...] = (),
    ) -> None:
        super().__init__(summary)
        self.summary = summary
        self.advice = advice
        self.status = status
        self.evidence = evidence


class AdminApiError(ApiError):
    """The Cloud Run Admin API could not describe the service or revision."""


class LoggingApiError(ApiError):
    """The Cloud Logging API could not list the revision's entries."""


class MonitoringApiError(ApiError):
    """The Cloud Monitoring API could not list the revisions' request counts."""


class ExpositionError(ValueError):
    """The body is not a Prometheus exposition; the message says why."""
