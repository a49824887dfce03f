"""A JUnit testsuite per target, in a run of several: pytest's junitxml writes one suite; each
testcase carries its target as a property, and here the suite becomes one per target, each with
its own counts and its target's suite properties (what was checked, the status, the traffic)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from pathlib import Path

OUTCOMES = ("failure", "error", "skipped")


def split_suites(
    path: Path,
    property_name: str,
    suites: Mapping[str, Sequence[tuple[str, str]]],
    name: str,
) -> None:
    """Rewrite the JUnit file at ``path``: a testsuite per key of ``suites`` (named ``name
    key``, with those properties), holding the testcases whose ``property_name`` is the key.
    Testcases without it stay in a suite named ``name``."""
    tree = ET.parse(path)
    root = tree.getroot()
    original = root if root.tag == "testsuite" else root.find("testsuite")
    if original is None:
        return
    groups: dict[str, list[ET.Element]] = {key: [] for key in suites}
    rest: list[ET.Element] = []
    for case in original.findall("testcase"):
        key = _property(case, property_name)
        groups.get(key, rest).append(case)
    out = ET.Element("testsuites")
    for key, cases in groups.items():
        out.append(_suite(original, f"{name} {key}", cases, suites[key]))
    if rest:
        out.append(_suite(original, name, rest, ()))
    ET.ElementTree(out).write(path, encoding="utf-8", xml_declaration=True)


def _suite(
    original: ET.Element,
    name: str,
    cases: list[ET.Element],
    properties: Sequence[tuple[str, str]],
) -> ET.Element:
    suite = ET.Element("testsuite", {k: v for k, v in original.attrib.items() if k == "hostname"})
    suite.set("name", name)
    counts = {outcome: 0 for outcome in OUTCOMES}
    for case in cases:
        for outcome in OUTCOMES:
            if case.find(outcome) is not None:
                counts[outcome] += 1
    suite.set("errors", str(counts["error"]))
    suite.set("failures", str(counts["failure"]))
    suite.set("skipped", str(counts["skipped"]))
    suite.set("tests", str(len(cases)))
    suite.set("time", f"{sum(float(case.get('time', '0') or 0) for case in cases):.3f}")
    if "timestamp" in original.attrib:
        suite.set("timestamp", original.attrib["timestamp"])
    if properties:
        block = ET.SubElement(suite, "properties")
        for key, value in properties:
            ET.SubElement(block, "property", {"name": key, "value": value})
    suite.extend(cases)
    return suite


def _property(case: ET.Element, name: str) -> str:
    for prop in case.iterfind("properties/property"):
        if prop.get("name") == name:
            return prop.get("value", "")
    return ""
