"""Replay's fast paths read and write exactly what the general ones do.

Replay parses inputs with each command's own validator, serialises outputs with each
body's own serializer, sums answers with :func:`engine.grading.raw_points` and pauses
the cyclic collector. Each shortcut must agree with the general path on every event
of real exercises, or a log written by one would not replay under the other.
"""

from __future__ import annotations

import gc
import sqlite3
from pathlib import Path

import pytest

from engine.bots import profile_for
from engine.dryrun import dry_run
from engine.eventlog import DamagedRow, EventLog
from engine.events import parse_body, parse_command
from engine.grading import Answer, grade_answer, raw_points
from engine.replay import rebuild
from engine.roster import roster_from_counts
from engine.scenario import load_file

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = sorted((ROOT / "scenarios").glob("*.yaml"))


def _logged(path: Path, scenario_path: Path) -> Path:
    loaded = load_file(scenario_path)
    scenario = loaded.require()
    roster = roster_from_counts(scenario, 3)
    profiles = {s.id: profile_for(i, "mix") for i, s in enumerate(roster.teams)}
    with EventLog.create(
        path,
        scenario_text=loaded.text,
        scenario_sha256=loaded.sha256,
        scenario_name=loaded.name,
        seed=scenario.seed,
        roster=roster,
    ) as log:
        dry_run(scenario, roster, profiles, seed=scenario.seed, log=log)
    return path


@pytest.mark.parametrize("scenario_path", LIBRARY, ids=lambda p: p.stem)
def test_fast_parse_and_dump_agree_with_the_general_path(
    tmp_path: Path, scenario_path: Path
) -> None:
    db = _logged(tmp_path / "x.db", scenario_path)
    with EventLog.open(db) as log:
        rows = list(log.rows())
    assert any(r.is_input for r in rows) and any(not r.is_input for r in rows)
    for row in rows:
        body = parse_body(row.kind, row.payload)
        if row.is_input:
            assert parse_command(row.kind, row.payload) == body
            assert row.command() == body
        event = row.event()
        general = body.model_dump_json(exclude={"type"}, exclude_none=True)
        assert event.payload_json() == general == row.payload


@pytest.mark.parametrize("scenario_path", LIBRARY, ids=lambda p: p.stem)
def test_raw_points_are_what_the_explanation_shows(scenario_path: Path) -> None:
    scenario = load_file(scenario_path).require()
    checked = 0
    for _inject, exp in scenario.expectation_by_ref.values():
        answers = [Answer("m", 0)]
        for option in getattr(exp, "options", ()):
            answers.append(Answer("m", 0, choice=option.id))
        items = [i.id for i in getattr(exp, "items", ())]
        for k in range(len(items) + 1):
            answers.append(Answer("m", 0, items=tuple(items[:k])))
            answers.append(Answer("m", 0, items=tuple(items[k:])))
        for answer in answers:
            if exp.kind == "manual":
                continue
            points = raw_points(exp, answer)
            if exp.kind == "decision":  # the chosen option's points, never below zero
                chosen = [o.points for o in exp.options if o.id == answer.choice]
                assert points == max([0.0, *chosen])
            elif exp.kind == "checklist":  # what the explanation itemises, never below zero
                assert points == max(0.0, sum(grade_answer(exp, answer).detail.values()))
            assert points == grade_answer(exp, answer).points
            checked += 1
    assert checked > 0


def test_replay_restores_the_collector_even_when_it_fails(tmp_path: Path) -> None:
    db = _logged(tmp_path / "x.db", LIBRARY[0])
    with sqlite3.connect(db) as conn:  # damage an output row: replay must refuse it
        conn.execute(
            "UPDATE events SET payload = replace(payload, '\"points\":', '\"points\": ') "
            "WHERE seq = (SELECT MIN(seq) FROM events WHERE kind = 'scored')"
        )
    assert gc.isenabled()
    with EventLog.open(db) as log, pytest.raises(DamagedRow):
        rebuild(log)
    assert gc.isenabled(), "a failed replay left the cyclic collector off"


def test_replay_leaves_a_paused_collector_paused(tmp_path: Path) -> None:
    db = _logged(tmp_path / "x.db", LIBRARY[0])
    gc.disable()
    try:
        with EventLog.open(db) as log:
            rebuild(log)
        assert not gc.isenabled(), "a replay turned on a collector its caller had paused"
    finally:
        gc.enable()
