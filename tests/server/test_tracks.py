"""Controllers per track at the server: who may pass a question or set tracks, in whose
name, and ``sitroom serve --track`` giving controllers their tracks before play."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from engine import commands as c
from engine.eventlog import EventLog
from engine.net.client import new_id
from engine.net.fake import FakeServer
from engine.net.protocol import Ack, Error
from engine.net.server.authz import Forbidden, authorise
from engine.net.server.runner import prepare
from engine.roster import roster_from_counts
from engine.scenario import load_file
from tests.server.test_authz import SEATS
from tui.commands.serve import track_arg

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "summit-deepfake.yaml"


def test_a_controller_passes_and_sets_tracks_as_its_seat() -> None:
    filled = authorise(SEATS["facilitator"], "Fay", {"type": "pass_question", "question": 3})
    assert filled["by"] == "control"
    tracks = authorise(SEATS["facilitator"], "Fay", {"type": "tracks", "tracks": ["a"]})
    assert (tracks["controller"], tracks["by"]) == ("control", "control")
    lead = authorise(
        SEATS["facilitator"], "Fay", {"type": "tracks", "controller": "control-2", "tracks": []}
    )
    assert lead["controller"] == "control-2"  # the sim cell lead reassigns another's
    with pytest.raises(Forbidden, match="you control as"):
        authorise(SEATS["facilitator"], "Fay", {"type": "pass_question", "by": "control-2"})


def test_a_team_cannot_pass_a_question_and_the_log_keeps_nothing() -> None:
    loaded = load_file(SCENARIO)
    server = FakeServer(loaded, roster_from_counts(loaded.require(), 1), wall=lambda: 0.0)
    control = server.link("facilitator:control")
    team = server.link("team:cert", "Amira")
    assert isinstance(server.command(control, c.Start(), new_id()), Ack)
    asked = server.command(team, c.Ask(team="cert", member="Amira", actor="press", text="?"), "q")
    assert isinstance(asked, Ack) and asked.seq is not None
    before = len(server.events)
    for command in (
        c.PassQuestion(question=asked.seq, to="control", by="control"),
        c.Tracks(controller="control", tracks=["cert"], by="control"),
    ):
        refused = server.command(team, command, new_id())
        assert isinstance(refused, Error) and refused.code == "forbidden", refused
    assert len(server.events) == before
    passed = server.command(
        control, c.PassQuestion(question=asked.seq, to="control", by="control"), new_id()
    )
    assert isinstance(passed, Ack)
    # To a controller seat that does not exist: refused, said why, nothing logged.
    before = len(server.events)
    for command in (
        c.PassQuestion(question=asked.seq, to="control-9", by="control"),
        c.Tracks(controller="control-9", tracks=["cert"], by="control"),
    ):
        nobody = server.command(control, command, new_id())
        assert isinstance(nobody, Error) and "no controller seat 'control-9'" in nobody.reason
    assert len(server.events) == before


def test_serve_gives_controllers_their_tracks_in_the_log(tmp_path: Path) -> None:
    loaded = load_file(SCENARIO)
    roster = roster_from_counts(loaded.require(), 2)
    db = tmp_path / "x.db"
    prepared = prepare(
        loaded,
        db,
        roster,
        facilitators=2,
        tracks={"control-1": ["cert", "comms"], "control-2": ["government"]},
    )
    prepared.room.close_log()
    with EventLog.open(db) as log:
        logged = [e.body for e in log.events() if isinstance(e.body, c.Tracks)]
    assert [(b.controller, b.tracks) for b in logged] == [
        ("control-1", ["cert", "comms"]),
        ("control-2", ["government"]),
    ]
    with pytest.raises(ValueError, match="no controller seat 'control-3'"):
        prepare(loaded, tmp_path / "y.db", roster, facilitators=2, tracks={"control-3": ["cert"]})
    with pytest.raises(ValueError, match="'finance'"):
        bad = {"control-1": ["finance"]}
        prepare(loaded, tmp_path / "z.db", roster, facilitators=2, tracks=bad)
    assert not list(tmp_path.glob("[yz].db*")), "a refused --track leaves no log behind"


def test_serve_reads_track_arguments() -> None:
    assert track_arg(" control-1 = cert, comms ") == ("control-1", ["cert", "comms"])
    for bad in ("control-1", "control-1=", "=cert"):
        with pytest.raises(argparse.ArgumentTypeError, match="write SEAT=TRACK"):
            track_arg(bad)
