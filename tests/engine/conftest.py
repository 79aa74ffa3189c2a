"""Shared helpers for engine tests: the fixture scenario and readable event filters."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from engine import commands as c
from engine.events import Event
from engine.exercise import Exercise
from engine.roster import Roster, default_roster
from engine.scenario import Scenario, load_file

FIXTURE = Path(__file__).parent / "fixture.yaml"
M = 60_000
"""One minute in exercise milliseconds."""


@pytest.fixture(scope="session")
def scenario() -> Scenario:
    return load_file(FIXTURE).require()


def started(scenario: Scenario, roster: Roster | None = None, seed: int | None = None) -> Exercise:
    ex = Exercise(scenario, roster or default_roster(scenario), seed)
    assert ex.submit(c.Start(), 0).ok
    ex.drain()
    return ex


def deliveries(events: list[Event]) -> list[tuple[int, str, list[str], str]]:
    return [
        (e.t, e.payload["inject"], e.payload["teams"], e.payload["cause"])
        for e in events
        if e.kind == "delivered"
    ]


def delivered_to(events: list[Event], team: str) -> list[str]:
    return [e.payload["inject"] for e in events if e.kind == "delivered" and team in e.teams]


def answer(ex: Exercise, team: str, ref: str, t: int, **fields: object) -> None:
    outcome = ex.submit(c.Respond(team=team, member=f"{team}-1", expectation=ref, **fields), t)
    assert outcome.ok, outcome.reason


def validate_text(folder: Path, text: str, name: str = "scenario.yaml") -> CompletedProcess[str]:
    """``sitroom validate --strict`` on ``text`` written to ``folder/name``, as a planner
    runs it."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", "validate", "--strict", str(path)],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=60,
    )
