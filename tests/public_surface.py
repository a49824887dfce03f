"""The package's public surface as text, a line per name, method and signature: what a team's
own checks may rely on (cloudrun_acceptance.__all__, the judgements of
cloudrun_acceptance.judges, and the plugin's fixtures by name). tests/unit/test_public_api.py
compares it with tests/fixtures/public_surface.txt; after a change made by the policy of
CHANGELOG.md, ``python -m tests.public_surface > tests/fixtures/public_surface.txt`` writes it
again."""

from __future__ import annotations

import inspect
from collections.abc import Iterator

import cloudrun_acceptance
from cloudrun_acceptance import judges
from cloudrun_acceptance.plugin import (
    collection,
    fixtures,
    fixtures_compare,
    fixtures_deployment,
    fixtures_preflight,
    fixtures_rollout,
)


def surface() -> list[str]:
    """Each public name's line, and a line per public method and property of a public class;
    each judgement's; each fixture's name."""
    lines: list[str] = []
    for name in cloudrun_acceptance.__all__:
        lines += _described(name, getattr(cloudrun_acceptance, name))
    for name in judges.__all__:
        lines += _described(f"judges.{name}", getattr(judges, name))
    lines += [f"fixture {name}" for name in fixture_names()]
    lines += [f"fixture {name}: a case each" for name in collection.CASES]
    return lines


def fixture_names() -> list[str]:
    """The plugin's fixtures a check may ask for (the ``_``-prefixed ones are its own)."""
    modules = (
        fixtures,
        fixtures_deployment,
        fixtures_compare,
        fixtures_preflight,
        fixtures_rollout,
    )
    return sorted(
        name
        for module in modules
        for name, value in vars(module).items()
        if type(value).__name__ == "FixtureFunctionDefinition" and not name.startswith("_")
    )


def _described(name: str, value: object) -> Iterator[str]:
    if inspect.isclass(value):
        yield f"class {name}{_signature(value)}"
        for member, found in sorted(vars(value).items()):
            if member.startswith("_"):
                continue
            if isinstance(found, property):
                yield f"  {name}.{member}: property"
            elif isinstance(found, (staticmethod, classmethod)):
                yield f"  {name}.{member}{_signature(found.__func__)}"
            elif inspect.isfunction(found):
                yield f"  {name}.{member}{_signature(found)}"
    elif callable(value):
        yield f"def {name}{_signature(value)}"
    else:
        yield f"{name} = {type(value).__name__}"


def _signature(value: object) -> str:
    try:
        return str(inspect.signature(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "(...)"


if __name__ == "__main__":
    print("\n".join(surface()))
