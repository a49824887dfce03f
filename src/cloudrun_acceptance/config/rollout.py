"""``rollout:``: the steps of a rollout on real traffic, their bake time and their judge."""

from __future__ import annotations

from itertools import pairwise
from typing import Literal, cast

from ..model.rollout import DEFAULT_STEPS, RolloutRules
from .yamlnode import Node

ROLLOUT_KEYS = (
    "steps",
    "bake_seconds",
    "min_requests",
    "on_too_few",
    "max_holds",
    "tolerance",
    "confidence",
    "max_requests",
    "ingestion_seconds",
    "look_seconds",
    "min_bake_seconds",
    "warmup_seconds",
    "error_tolerance",
    "on_low_traffic",
)


def rollout_rules(node: Node) -> RolloutRules:
    """The section, or its defaults without one (a rollout runs only with --rollout)."""
    if not node.present():
        return RolloutRules()
    node.mapping(ROLLOUT_KEYS)
    steps_node = node.child("steps")
    steps: tuple[int, ...] = DEFAULT_STEPS
    if steps_node.present():
        steps = tuple(item.integer(0, positive=True) for item in steps_node.items())
        problem = steps_problem(steps)
        if problem:
            steps_node.fail(
                problem, "list ascending percentages from 1 to 100, such as [5, 25, 50, 100]"
            )
    confidence = node.child("confidence").number(0.95, positive=True)
    if confidence >= 1:
        node.child("confidence").fail(f"{confidence!r} is not below 1", "give 0.95, say")
    defaults = RolloutRules()
    error_tolerance = node.child("error_tolerance").number(defaults.error_tolerance)
    if error_tolerance >= 1:
        node.child("error_tolerance").fail(
            f"{error_tolerance!r} is not below 1", "give a share such as 0.01 (one point)"
        )
    return RolloutRules(
        steps=steps,
        bake_seconds=node.child("bake_seconds").number(300.0, positive=True),
        look_seconds=node.child("look_seconds").number(defaults.look_seconds, positive=True),
        min_bake_seconds=node.child("min_bake_seconds").number(defaults.min_bake_seconds),
        warmup_seconds=node.child("warmup_seconds").number(defaults.warmup_seconds),
        error_tolerance=error_tolerance,
        on_low_traffic=cast(
            Literal["refuse", "proceed"],
            node.child("on_low_traffic").choice(("refuse", "proceed"), defaults.on_low_traffic),
        ),
        min_requests=node.child("min_requests").integer(100, positive=True),
        on_too_few=cast(
            Literal["hold", "rollback"],
            node.child("on_too_few").choice(("hold", "rollback"), "hold"),
        ),
        max_holds=node.child("max_holds").integer(2),
        tolerance=node.child("tolerance").number(0.10),
        confidence=confidence,
        max_requests=node.child("max_requests").integer(RolloutRules.max_requests, positive=True),
        ingestion_seconds=node.child("ingestion_seconds").number(RolloutRules.ingestion_seconds),
    )


def steps_problem(steps: tuple[int, ...]) -> str:
    """Why these shares are not a rollout's steps, or "" when they are."""
    if not steps:
        return "is an empty list"
    outside = [step for step in steps if not 1 <= step <= 100]
    if outside:
        return f"{outside[0]} is not a share from 1 to 100"
    if any(later <= earlier for earlier, later in pairwise(steps)):
        return f"{list(steps)} is not ascending"
    return ""
