"""The package's public surface as text, a line per name, method and signature: what a team's
own checks may rely on (cloudrun_acceptance.__all__). tests/unit/test_public_api.py compares it
with tests/fixtures/public_surface.txt; after a change made by the policy of CHANGELOG.md,
``python -m tests.public_surface > tests/fixtures/public_surface.txt`` writes it again."""

from __future__ import annotations

import inspect
from collections.abc import Iterator

import cloudrun_acceptance


def surface() -> list[str]:
    """Each public name's line, and a line per public method and property of a public class."""
    lines: list[str] = []
    for name in cloudrun_acceptance.__all__:
        lines += _described(name, getattr(cloudrun_acceptance, name))
    return lines


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
