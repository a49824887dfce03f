"""The contract's keys and their defaults, as the contract loader itself reads them.

The loader (cloudrun_acceptance.config.contract) names the keys a section allows
(``Node.mapping``) and reads each value with its default (``Node.text("")``,
``.integer(100)``, ``.choice(choices, default)``). Loading a few small contracts that hold
every section and list item while those calls are recorded gives every key the loader
accepts, its kind and its default, without a second table that could drift from the loader.
"""

from __future__ import annotations

import dataclasses
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cloudrun_acceptance.config import yamlnode
from cloudrun_acceptance.config.contract import SECTIONS, load_contract
from cloudrun_acceptance.model import contract as model
from cloudrun_acceptance.model.exposition import COUNTING_SAMPLES
from cloudrun_acceptance.model.rollout import RolloutRules
from cloudrun_acceptance.model.version import CONTRACT_VERSION

# Each holds every section, and a list item wherever the loader reads the keys of one; the
# bodies (body, form, raw), count and max_count, and a request's use are read one at a time.
# The values differ from one to the next, so that a default taken from another key shows.
_BASE = """\
version: 2
health: {path: /h, status: 200, content_type: text/plain, json_keys: [status]}
http: {}
metrics: {expected: %(expected)s}
analysis:
  {method: %(method)s, path: %(path)s, query: {q: x}, headers: {h: v}, %(body)s,
   counters: [{metric: a_total}]}
cache: {budget_seconds: 0.3, query: {q: x}, headers: {h: v}, %(body)s, counters: [{metric: a}]}
revision:
  secrets: [{env: %(env)s}]
  resources: {cpu: "1", memory: 1Gi, timeout_seconds: 1, max_instances: 1, min_instances: 0}
logs: {startup_lines: [started]}
preflight: {required_paths: [Dockerfile], requirements: [x]}
sandbox: {command: run, env: {A: b}}
compare:
  {%(count)s,
   requests: [{use: %(use)s}, {name: r, path: /r, query: {q: x}, headers: {h: v}, %(body)s}]}
rollout: {steps: [50, 100]}
defaults: {ready_timeout: "1", logs_timeout: "1", inconclusive: skip}
checks: {skip: [test_health_answers]}
"""
_ONE = "[{name: a_total, type: counter, labels: [x]}]"
_TWO = "[{name: a_total, type: counter}, {name: b, type: gauge}]"
_RECORDED = (
    {
        "body": "body: {a: 1}",
        "count": "max_count: 10",
        "expected": _ONE,
        "path": "/a",
        "env": "A",
        "use": "health",
        "method": "POST",
    },
    {
        "body": "form: {a: b}",
        "count": "count: 10",
        "expected": _TWO,
        "path": "/b",
        "env": "B",
        "use": "cache",
        "method": "PUT",
    },
    {
        "body": "raw: text",
        "count": "max_count: 10",
        "expected": _ONE,
        "path": "/c",
        "env": "C",
        "use": "health",
        "method": "POST",
    },
)
# What a default taken from another key is, said in words (a key whose default changes with the
# other keys must be here: the tests hold it), and a key read only when it is given.
DEFAULT_NOTES = {
    "compare.requests": "the health path, and the cached call when there is a `cache:`",
    "compare.count": "none: `max_count` applies (`count` is its older spelling)",
    "metrics.min_present": "every metric of `expected`",
    "cache.method": "the analysis's",
    "cache.path": "the analysis's",
    "revision.secrets[].secret": "the `env` it is mounted as",
    "compare.requests[].name": "its `use`",
}


def _counting_samples() -> str:
    """The samples of a histogram or summary a counter rule may name, from the model's table."""
    return "; ".join(
        f"of a {kind}, " + ", ".join(f"`x{suffix}`" for suffix in suffixes)
        for kind, suffixes in COUNTING_SAMPLES.items()
    )


_COUNTER = (
    "a counter, as the contract spells it (`x_total`, or `x`), or a sample of a histogram or "
    f'summary that only increases ({_counting_samples()}; `labels: {{le: "0.5"}}` picks one '
    "bucket); a histogram or summary named `x` counts its observations (`x_count`). `x_created` "
    "is a timestamp, not a count: the check fails and names the sample to use; a name the "
    "exposition lacks fails with the closest names it has. A series absent before the call and "
    "present after it counts from 0 (a labelled counter appears on its first use)."
)
# What a key means beyond its kind and default, when the key's name does not say it; shown
# under its section's table.
KEY_NOTES = {
    "analysis.counters": (
        "without any, the analysis check judges the call's answer alone (a 2xx), and its "
        "summary says that the contract names no counter for it"
    ),
    "analysis.counters[].metric": _COUNTER,
    "cache.counters": (
        "without any, the cache check judges the budget alone, and its summary says that the "
        "contract names no cache counter, so hits were not counted"
    ),
    "cache.counters[].metric": _COUNTER,
}

# The section each model dataclass describes: its docstring is the section's description, and
# its fields' defaults fill in a key the loader reads without a typed call (a flag, say).
SECTION_MODELS: dict[str, type[Any]] = {
    "health": model.HealthRules,
    "metrics": model.MetricsRules,
    "analysis": model.AnalysisRules,
    "cache": model.CacheRules,
    "revision": model.RevisionRules,
    "logs": model.LogRules,
    "preflight": model.PreflightRules,
    "sandbox": model.SandboxRules,
    "compare": model.CompareRules,
    "rollout": RolloutRules,
}
_TYPED = ("text", "path", "number", "integer", "pattern", "choice", "re2_pattern")
_KINDS = {
    "text": "text",
    "path": "path",
    "number": "number",
    "integer": "integer",
    "pattern": "regular expression",
    "re2_pattern": "regular expression (RE2)",
    "choice": "one of",
    "string_map": "mapping",
    "items": "list",
}


@dataclass
class ContractKey:
    """A key of the contract: its path (``compare.requests[].weight``), kind, default, choices
    and whether the loader requires it."""

    path: str
    kind: str = ""
    default: str = ""
    choices: tuple[str, ...] = ()
    required: bool = False
    # The default is said in words (DEFAULT_NOTES), not written as a value.
    described: bool = False
    seen: set[str] = dataclasses.field(default_factory=set, repr=False)

    @property
    def section(self) -> str:
        """The top-level section the key belongs to."""
        return re.split(r"[.\[]", self.path, maxsplit=1)[0]


def contract_keys() -> list[ContractKey]:
    """Every key the contract loader accepts, sections in the loader's order, each key after
    the key that holds it, with its kind, default and choices."""
    keys: dict[str, ContractKey] = {name: ContractKey(name) for name in SECTIONS}
    with tempfile.TemporaryDirectory() as folder, _recording(keys):
        for values in _RECORDED:
            path = Path(folder) / "contract.yaml"
            path.write_text(_BASE % values)
            load_contract(path)
    for found in keys.values():
        if len(found.seen) > 1 or found.path in DEFAULT_NOTES:
            found.default = DEFAULT_NOTES.get(found.path, "taken from other keys")
            found.described = True
    keys["version"].required = True
    keys["version"].choices = (str(CONTRACT_VERSION),)
    keys["version"].kind, keys["version"].default = "one of", ""
    _fill_from_models(keys)
    return _ordered(keys)


@contextmanager
def _recording(keys: dict[str, ContractKey]) -> Iterator[None]:
    """Record, while it holds, what the loader's ``Node`` reads: the keys a mapping allows
    (only those are keys: the others are a mapping's own values), and each key's kind and
    default as it is read."""
    node = yamlnode.Node
    names = (*_TYPED, "string_map", "items", "mapping", "require")
    saved = {name: getattr(node, name) for name in names}

    def known(where: str) -> ContractKey | None:
        path = re.sub(r"\[\d+\]", "[]", where)
        if path.endswith("[]") and path[:-2] in keys:
            return keys.setdefault(path, ContractKey(path))
        return keys.get(path)

    def typed(name: str) -> Callable[..., Any]:
        original = saved[name]

        def call(self: yamlnode.Node, *args: Any, **kwargs: Any) -> Any:
            found = known(self.where)
            if found is not None:
                if not found.kind:
                    found.kind = _KINDS[name]
                if name == "choice":
                    found.choices = tuple(args[0])
                if (args and name != "choice") or len(args) > 1:
                    shown = _shown(args[-1] if name == "choice" else args[0])
                    found.seen.add(shown)
                    found.default = found.default or shown
            return original(self, *args, **kwargs)

        return call

    def mapping(self: yamlnode.Node, allowed: tuple[str, ...]) -> Any:
        where = re.sub(r"\[\d+\]", "[]", self.where)
        if where:
            found = keys.setdefault(where, ContractKey(where))
            found.kind = found.kind or "mapping"
        for name in allowed:
            path = f"{where}.{name}" if where else name
            keys.setdefault(path, ContractKey(path))
        return saved["mapping"](self, allowed)

    def require(self: yamlnode.Node, fix: str) -> None:
        found = known(self.where)
        if found is not None:
            found.required = True
        saved["require"](self, fix)

    patches: dict[str, Callable[..., Any]] = {
        name: typed(name) for name in (*_TYPED, "string_map", "items")
    }
    patches |= {"mapping": mapping, "require": require}
    try:
        for name, patch in patches.items():
            setattr(node, name, patch)
        yield
    finally:
        for name, original in saved.items():
            setattr(node, name, original)


def _fill_from_models(keys: dict[str, ContractKey]) -> None:
    """A default (and kind) the loader gives without a typed call, from the section's model."""
    for section, cls in SECTION_MODELS.items():
        for field in dataclasses.fields(cls):
            found = keys.get(f"{section}.{field.name}")
            if found is None or field.default is dataclasses.MISSING:
                continue
            if isinstance(field.default, bool):
                found.kind = found.kind or "true or false"
                found.default = found.default or _shown(field.default)
            elif not found.default and field.default not in ((), "", None):
                found.default = _shown(field.default)


def _ordered(keys: dict[str, ContractKey]) -> list[ContractKey]:
    """Each key after the one that holds it, in the order the loader named them. A list's item
    (``x[]``) folds into its list's kind (``list of text``) unless it has keys of its own."""
    index = {name: number for number, name in enumerate(keys)}
    result = []
    for name, found in keys.items():
        if name.endswith("[]"):
            parent = keys[name[:-2]]
            if any(other.startswith(f"{name}.") for other in keys):
                parent.kind = "list of mappings"
                continue
            parent.kind = f"list of {found.kind or 'values'}"
            continue
        if not found.kind:
            found.kind = "JSON (a mapping or a list)" if name.endswith(".body") else "text"
        result.append(found)

    def place(found: ContractKey) -> tuple[int, ...]:
        parts = re.split(r"(?=\.)|(?=\[\])", found.path)
        prefixes = ["".join(parts[: end + 1]) for end in range(len(parts))]
        return tuple(index.get(prefix, len(index)) for prefix in prefixes)

    return sorted(result, key=place)


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    if isinstance(value, tuple):
        return "[" + ", ".join(_shown(item) for item in value) + "]"
    return str(value)
