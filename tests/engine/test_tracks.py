"""Sim cell tracks and passes, in the engine and the log: the fold (``scoring.questions``)
decides who holds a question and the order a controller sees, and a replay of the log
gives the same answer."""

from __future__ import annotations

from pathlib import Path

from engine import commands as c
from engine.commands import AnyCommand
from engine.eventlog import EventLog
from engine.exercise import Exercise
from engine.replay import rebuild
from engine.roster import roster_from_counts
from engine.scenario import load_file
from scoring.questions import Questions
from tests.engine.conftest import new_log

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "summit-deepfake.yaml"
M = 60_000


class Played:
    """An exercise written to a log as it is played, input by input."""

    def __init__(self, path: Path) -> None:
        loaded = load_file(SCENARIO)
        self.scenario = loaded.require()
        self.roster = roster_from_counts(self.scenario, 2)
        self.exercise = Exercise(self.scenario, self.roster, self.scenario.seed)
        self.log: EventLog = new_log(path, loaded.text, self.scenario, self.roster, "s.yaml")

    def at(self, t: int, command: AnyCommand) -> int:
        """Submit ``command`` at ``t``; the sequence number of its logged input."""
        if self.exercise.status == "running":
            self.exercise.advance_to(t)
        outcome = self.exercise.submit(command, t)
        assert outcome.ok, outcome.reason
        events = self.log.append(self.exercise.drain())
        return next(e.seq for e in events if e.kind == command.type)


def ask(team: str, text: str, actor: str = "press") -> c.Ask:
    return c.Ask(team=team, member="Amira", actor=actor, text=text)


def test_holder_and_order_come_from_the_log_and_survive_a_replay(tmp_path: Path) -> None:
    play = Played(tmp_path / "x.db")
    play.at(0, c.Start())
    play.at(M, c.Tracks(controller="control-2", tracks=["security"], by="control-2"))
    play.at(M, c.Tracks(controller="control-1", tracks=["comms", "grid"], by="control-1"))
    first = play.at(2 * M, ask("cert-01", "first"))
    second = play.at(3 * M, ask("comms-02", "second"))
    third = play.at(4 * M, ask("energy-01", "third"))
    play.at(5 * M, c.PassQuestion(question=third, to="control-2", by="control-1", note="yours"))
    # control-2 hands control-1's own track question back... to control-1: it is held now.
    play.at(6 * M, c.PassQuestion(question=second, to="control-1", by="control-2"))
    play.at(7 * M, c.Reply(actor="press", team="cert-01", text="no", to_seq=first))
    # A pass of an answered question, or of no question, changes nothing.
    play.at(8 * M, c.PassQuestion(question=first, to="control-1", by="control-2"))
    play.at(8 * M, c.PassQuestion(question=99_999, to="control-1", by="control-2"))

    book = Questions(play.scenario, play.roster)
    for event in play.log.events():
        book.apply(event)
    assert [(q.team, s) for q, s in book.queue("control-2")] == [
        ("energy-01", "held"),
        ("comms-02", "other"),
    ]
    assert [(q.team, s) for q, s in book.queue("control-1")] == [
        ("comms-02", "held"),
        ("energy-01", "other"),
    ]
    held = book.get(third)
    assert held is not None and (held.holder, held.passed_by, held.note) == (
        "control-2",
        "control-1",
        "yours",
    )
    answered = book.get(first)
    assert answered is not None and answered.answered_at == 7 * M and answered.holder is None
    assert book.covering("cert-02") == ["control-2"]  # the CERT role carries the tag
    assert book.covering("grid-01") == ["control-1"]
    assert book.covering("summit-01") == []

    rebuilt = rebuild(play.log)  # the replay reads every tracks and pass input
    assert rebuilt.events == play.log.next_seq - 1
    play.log.close()


def test_tracks_replace_and_free_and_name_only_what_teams_carry(tmp_path: Path) -> None:
    play = Played(tmp_path / "x.db")
    play.at(0, c.Tracks(controller="control-1", tracks=["cert"], by="control-1"))
    play.at(0, c.Start())
    play.at(M, ask("cert-02", "q"))
    book = Questions(play.scenario, play.roster)
    for event in play.log.events():
        book.apply(event)
    assert [s for _, s in book.queue("control-1")] == ["track"]
    play.at(2 * M, c.Tracks(controller="control-1", tracks=[], by="control-1"))
    book = Questions(play.scenario, play.roster)
    for event in play.log.events():
        book.apply(event)
    assert book.tracks == {}
    assert [s for _, s in book.queue("control-1")] == ["other"]
    refused = play.exercise.submit(
        c.Tracks(controller="control-1", tracks=["cert", "finance"], by="control-1"), 3 * M
    )
    assert not refused.ok and "'finance'" in refused.reason
    play.log.close()


def test_a_pass_before_the_start_is_refused(tmp_path: Path) -> None:
    play = Played(tmp_path / "x.db")
    outcome = play.exercise.submit(c.PassQuestion(question=1, to="control-1", by="x"), 0)
    assert not outcome.ok and "not started" in outcome.reason
    play.log.close()
