"""One raw value into its type: seconds, URLs, endpoints, choices and names, with their origin."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudrun_acceptance.config.options import OPTIONS_BY_DEST
from cloudrun_acceptance.config.values import Raw, parse_value
from cloudrun_acceptance.model.errors import ConfigError


def parse(dest: str, value: str, origin: str = "--x (command line)") -> object:
    return parse_value(OPTIONS_BY_DEST[dest], Raw(value, origin, Path("/base")))


def test_typed_values():
    assert parse("ready_timeout", "2.5") == 2.5
    assert parse("contract", "c.yaml") == Path("/base/c.yaml")
    assert parse("sandbox", "true") is True
    assert parse("sandbox_fault", "a, b,,c") == ("a", "b", "c")
    assert parse("service_url", "https://svc.a.run.app/") == "https://svc.a.run.app"
    assert parse("logging_endpoint", "http://127.0.0.1:9/") == "http://127.0.0.1:9"


@pytest.mark.parametrize(
    ("dest", "value", "message"),
    [
        (
            "ready_timeout",
            "soon",
            "'soon' from READY (environment) is not a number of seconds >= 0; give one, such as --ready-timeout=60.",
        ),
        ("ready_timeout", "inf", "is not a number of seconds >= 0"),
        ("service_url", "svc.a.run.app", "needs a scheme (https://) and a host"),
        (
            "service_url",
            "https://svc?x=1",
            "has a query or fragment; give the service's base URL only.",
        ),
        ("contract", " ", "is empty; give a path."),
        (
            "tag",
            "my tag",
            "contains spaces or '/'; give the bare name, such as --tag=my-name.",
        ),
    ],
)
def test_errors_name_the_value_its_origin_and_the_fix(dest, value, message):
    with pytest.raises(ConfigError) as caught:
        parse(dest, value, "READY (environment)")
    assert message in str(caught.value)
