"""Event logs for report tests: a dry-run, or hand-played inputs with notes and ratings."""

from __future__ import annotations

from pathlib import Path

from engine import commands as c
from engine.bots import profile_for
from engine.dryrun import dry_run
from engine.eventlog import EventLog
from engine.exercise import Exercise
from engine.roster import Roster, default_roster, roster_from_counts
from engine.scenario import load_file
from tests.scoring.conftest import DELIVERED, FIXTURE, M, grade, respond

ROOT = Path(__file__).resolve().parents[2]


def largest_scenario() -> Path:
    """The bundled scenario with the most injects (as bench/engine.py picks it)."""
    found = []
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        loaded = load_file(path)
        if loaded.ok:
            found.append((len(loaded.require().injects), path.name, path))
    return max(found)[2]


def create(path: Path, scenario_path: Path, roster: Roster, seed: int) -> EventLog:
    loaded = load_file(scenario_path)
    return EventLog.create(
        path,
        scenario_text=loaded.text,
        scenario_sha256=loaded.sha256,
        scenario_name=scenario_path.name,
        seed=seed,
        roster=roster,
    )


def dry_run_log(path: Path, scenario_path: Path, teams: int = 2) -> Path:
    scenario = load_file(scenario_path).require()
    roster = roster_from_counts(scenario, teams)
    profiles = {s.id: profile_for(i, "mix") for i, s in enumerate(roster.teams)}
    with create(path, scenario_path, roster, scenario.seed) as log:
        dry_run(scenario, roster, profiles, seed=scenario.seed, log=log)
    return path


HOSTILE = "<script>alert(1)</script> | **bold** =SUM(A1)"

INPUTS: list[tuple[int, c.Command]] = [
    (DELIVERED + M, respond("a", "D.full", choice="good")),
    (DELIVERED + 2 * M, respond("a", "C.list", items=["x", "y"])),
    (DELIVERED + 3 * M, respond("b", "D.full", choice="bad")),
    (DELIVERED + 4 * M, respond("b", "T.say", text=HOSTILE)),
    (DELIVERED + 5 * M, respond("a", "M.brief", text="Three messages.")),
    (DELIVERED + 6 * M, grade("a", "M.brief", 6, "e1", "clear")),
    (DELIVERED + 7 * M, grade("a", "M.brief", 2, "e2", "vague")),
    (DELIVERED + 8 * M, grade("b", "D.full", 4, "e1", "reasonable in context")),
    (DELIVERED + 9 * M, c.Rate(evaluator="e1", team="a", objective="obj", rating="S")),
    (
        DELIVERED + 10 * M,
        c.Note(
            author="e1",
            text="Team B did not verify before answering.\nAction: add a verification step\n"
            "Owner: Team B lead\nDue: next quarter",
            team="b",
            objective="obj",
            category="improvement",
        ),
    ),
    (
        DELIVERED + 11 * M,
        c.Note(author="e2", text="Team A's log was exemplary.", team="a", category="strength"),
    ),
    (DELIVERED + 12 * M, c.Note(author="facilitator", text=HOSTILE, category="hotwash")),
    (DELIVERED + 13 * M, c.Note(author="observer", text="Room was noisy.", category="observation")),
    (DELIVERED + 14 * M, c.Pause(reason="lunch")),
    (DELIVERED + 20 * M, c.Resume()),
    (DELIVERED + 21 * M, c.Broadcast(text="Reminder: the minister waits.", title="Reminder")),
]


def hand_log(path: Path, *, end: bool = True) -> Path:
    """The fixture played with hand-written inputs, notes, grades and a rating."""
    scenario = load_file(FIXTURE).require()
    roster = default_roster(scenario)
    ex = Exercise(scenario, roster)
    with create(path, FIXTURE, roster, scenario.seed) as log:
        assert ex.submit(c.Start(), 0).ok
        for t, cmd in INPUTS:
            outcome = ex.submit(cmd, t)
            assert outcome.ok, outcome.reason
            log.append(ex.drain(), wall=1.0)
        if end:
            ex.advance_to(2 * 60 * M)
            assert ex.submit(c.End(reason="hotwash"), ex.now).ok
        log.append(ex.drain(), wall=1.0)
    return path
