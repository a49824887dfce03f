"""The contract's keys, recorded from the loader itself: every key it accepts, with the default
it gives, and nothing that is only a value of the recording contracts."""

from __future__ import annotations

import dataclasses

from cloudrun_acceptance.config import yamlnode
from cloudrun_acceptance.config.compare import COMPARE_KEYS
from cloudrun_acceptance.config.contract import PREFLIGHT_KEYS, SECTIONS
from cloudrun_acceptance.config.rollout import ROLLOUT_KEYS
from cloudrun_acceptance.model.contract import DEFAULTABLE_SETTINGS, RESOURCE_KEYS, CompareRules
from cloudrun_acceptance.model.rollout import RolloutRules
from docsgen.contract_keys import DEFAULT_NOTES, contract_keys

KEYS = {key.path: key for key in contract_keys()}


def test_every_section_and_every_key_of_the_loaders_tables_is_recorded():
    assert [path for path in KEYS if "." not in path and "[" not in path] == list(SECTIONS)
    for section, names in (
        ("compare", COMPARE_KEYS),
        ("rollout", ROLLOUT_KEYS),
        ("preflight", PREFLIGHT_KEYS),
        ("revision.resources", RESOURCE_KEYS),
        ("defaults", DEFAULTABLE_SETTINGS),
    ):
        for name in names:
            assert f"{section}.{name}" in KEYS, f"{section}.{name}"


def test_a_mappings_own_values_are_not_keys():
    # The recording contracts hold query: {q: x}, env: {A: b}: values, not keys of the format.
    assert "analysis.query" in KEYS
    assert not [path for path in KEYS if path.endswith((".q", ".h", ".A", ".a", ".x"))]


def test_list_items_with_keys_are_rows_and_lists_of_values_say_what_they_hold():
    assert KEYS["metrics.expected"].kind == "list of mappings"
    assert KEYS["metrics.expected[].labels"].kind == "list of text"
    assert KEYS["rollout.steps"].kind == "list of integer"
    assert KEYS["compare.requests[].weight"].default == "1"
    assert "compare.requests[]" not in KEYS


def test_the_defaults_are_the_models():
    for name in ROLLOUT_KEYS:
        default = getattr(RolloutRules(), name)
        shown = "[" + ", ".join(map(str, default)) + "]" if isinstance(default, tuple) else default
        expected = (
            str(int(shown)) if isinstance(shown, float) and shown == int(shown) else str(shown)
        )
        assert KEYS[f"rollout.{name}"].default == expected, name
    for field in dataclasses.fields(CompareRules):
        if f"compare.{field.name}" in KEYS and field.name not in ("count", "requests"):
            written = KEYS[f"compare.{field.name}"].default
            assert written in (
                str(field.default),
                str(field.default).lower(),
                f"{field.default:g}",
            ), field.name


def test_required_keys_and_choices_are_the_loaders():
    assert KEYS["health"].required and KEYS["health.path"].required
    assert KEYS["cache.budget_seconds"].required
    assert not KEYS["health.status"].required
    assert KEYS["metrics.lint_fails_on"].choices == ("contract", "all", "none")
    assert KEYS["version"].required and KEYS["version"].choices == ("2",)


def test_a_default_taken_from_another_key_is_said_in_words():
    assert KEYS["cache.path"].default == DEFAULT_NOTES["cache.path"]
    assert KEYS["metrics.min_present"].default == DEFAULT_NOTES["metrics.min_present"]
    assert KEYS["revision.secrets[].secret"].default == DEFAULT_NOTES["revision.secrets[].secret"]


def test_recording_leaves_the_loader_as_it_was():
    before = {name: getattr(yamlnode.Node, name) for name in ("mapping", "text", "integer")}
    contract_keys()
    assert {name: getattr(yamlnode.Node, name) for name in before} == before
