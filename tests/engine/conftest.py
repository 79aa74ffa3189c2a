"""Shared helpers for engine tests: the fixture scenario and readable event filters."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from engine import commands as c
from engine.bots import Profile, profile_for
from engine.dryrun import DryRun, dry_run
from engine.eventlog import EventLog
from engine.events import Event
from engine.exercise import Exercise
from engine.roster import Roster, default_roster
from engine.scenario import Scenario, load_file
from engine.scenario.load import scenario_hash

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


def new_log(path: Path, text: str, scenario: Scenario, roster: Roster, name: str) -> EventLog:
    """A new log for ``scenario`` played by ``roster`` (its text as the log keeps it)."""
    return EventLog.create(
        path,
        scenario_text=text,
        scenario_sha256=scenario_hash(text),
        scenario_name=name,
        seed=scenario.seed,
        roster=roster,
    )


def logged_dry_run(
    path: Path,
    text: str,
    scenario: Scenario,
    roster: Roster,
    profiles: dict[str, Profile] | str = "mix",
    name: str = "scenario.yaml",
) -> DryRun:
    """A bot rehearsal written to a new log at ``path`` (``profiles``: per team, or one
    ``--profile`` spec for every team)."""
    if isinstance(profiles, str):
        spec = profiles
        profiles = {s.id: profile_for(i, spec) for i, s in enumerate(roster.teams)}
    with new_log(path, text, scenario, roster, name) as log:
        return dry_run(scenario, roster, profiles, seed=scenario.seed, log=log)
