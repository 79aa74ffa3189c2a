"""The bounds on times and points are stated where planners and editors read them.

The refusals themselves are in ``broken/bounds.yaml`` (each one located) and in
``tests/engine/test_bounds.py`` (the wire, the engine and typed text).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from engine.durations import MAX_TIME, format_duration
from engine.scenario import load_bytes
from engine.scenario.common import MAX_POINTS
from engine.scenario.schema import scenario_schema

ROOT = Path(__file__).resolve().parents[2]


def _walk(node: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        found.append((path, node))
        for key, value in node.items():
            found.extend(_walk(value, f"{path}/{key}"))
    elif isinstance(node, list):
        for k, value in enumerate(node):
            found.extend(_walk(value, f"{path}/{k}"))
    return found


def test_the_schema_bounds_every_number_of_points() -> None:
    defs = scenario_schema()["$defs"]
    fields = {
        ("Option", "points"),
        ("ChecklistItem", "points"),
        ("TextExpectation", "points"),
        ("ManualExpectation", "max_points"),
        ("DecisionExpectation", "weight"),
        ("TextExpectation", "weight"),
    }
    for model, field in fields:
        spec = defs[model]["properties"][field]
        assert spec["maximum"] == MAX_POINTS, (model, field)
        assert spec["minimum"] in (0, -MAX_POINTS), (model, field)


def test_the_schema_says_how_long_a_duration_may_be() -> None:
    durations = [
        node
        for _, node in _walk(scenario_schema())
        if isinstance(node.get("pattern"), str) and node["pattern"].startswith("^(0|(\\s*\\d+")
    ]
    assert durations
    assert all("at most 30 days" in node["description"] for node in durations)


def test_the_authoring_guide_states_the_bounds() -> None:
    guide = (ROOT / "scenarios" / "README.md").read_text(encoding="utf-8")
    assert format_duration(MAX_TIME) == "30d"
    assert re.search(r"30 days", guide)
    assert re.search(r"1,000,000 points", guide)


def test_a_scenario_at_the_bounds_is_valid() -> None:
    text = """
id: edge
title: Edge
duration: 30d
teams: [{id: cert, name: CERT}]
actors: [{id: press, name: Press}]
injects:
  - id: I-01
    at: 1h
    to: cert
    channel: email
    from: press
    title: At the edge
    expects:
      - id: choose
        kind: decision
        due: 10m
        weight: 1000000
        timeliness: {late: decay, over: 30d}
        options:
          - {id: a, label: A, points: 1000000}
          - {id: b, label: B, points: -1000000}
  - id: I-02
    at: 30d
    to: cert
    channel: email
    from: press
    title: At the very end
  - id: I-03
    contingency: true
    jitter: 720h
    to: cert
    channel: email
    from: press
    title: Whenever
"""
    loaded = load_bytes(text, "edge.yaml")
    assert [p.format() for p in loaded.problems if p.severity == "error"] == []
    assert loaded.scenario is not None
    assert loaded.scenario.duration == MAX_TIME
