"""The evaluator's queue of text answers graded by meaning, most unsure first (issue 14).

Driven through Pilot against a fake server (the engine, the server's shaping and fan-out
in memory): the verdicts are built by hand (``tests/tui/queue_traffic.py``), everything
else (points, decisions, what staff are sent) is the engine's and the server's.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static, TabbedContent

from engine import commands as c
from engine.events import Scored
from engine.meaning.verdict import TextVerdict
from engine.net.fake import FakeServer
from engine.net.protocol import Ack
from tests.tui.pilots import until
from tests.tui.queue_traffic import (
    ANSWERS,
    LABELS,
    QUEUE_ORDER,
    REF,
    SURE,
    M,
    element,
    holding_server,
    verdict,
)
from tui.console.base import ConsoleApp
from tui.evaluator.app import EvaluatorScreen, GradeCard, make_evaluator_app

SIZE = (160, 48)


# ------------------------------------------------------------------ the measure


def test_unsure_is_the_closest_element_to_the_line_between_found_and_missed() -> None:
    sure = verdict(*(element(name, "keyword", 1) for name in LABELS))
    assert sure.unsure == 0
    nothing = verdict(*(element(name, "missing", 0) for name in LABELS))
    assert nothing.unsure == 0, "missing everything is as sure as finding everything"
    on_the_line = verdict(element(LABELS[0], "keyword", 1), element(LABELS[1], "meaning", 0.5))
    assert on_the_line.unsure == 1
    # The closest element decides, whichever side of the line it is on.
    under = verdict(element(LABELS[0], "meaning", 0.45), element(LABELS[1], "meaning", 0.9))
    over = verdict(element(LABELS[0], "meaning", 0.55), element(LABELS[1], "meaning", 0.1))
    assert under.unsure == pytest.approx(0.9)
    assert over.unsure == pytest.approx(0.9)
    leaning = verdict(element(LABELS[0], "meaning", 0.8), element(LABELS[1], "keyword", 1))
    assert leaning.unsure == pytest.approx(0.4)
    assert under.unsure > leaning.unsure > sure.unsure
    # A contradiction is a rule, not a ramp: decided outright.
    against = verdict(element(LABELS[0], "contradicted", 0), element(LABELS[1], "keyword", 1))
    assert against.unsure == 0
    empty = TextVerdict(grader="use-m3/2", points=10, max_points=10)
    assert empty.unsure == 0


def test_the_unsure_measure_survives_the_log() -> None:
    """What the queue sorts on is read from the recorded verdict, so it is the same after
    the verdict travels through the log or the wire as JSON."""
    _text, given = ANSWERS["comms-02"]
    assert given is not None
    again = TextVerdict.model_validate_json(given.model_dump_json())
    assert again.unsure == given.unsure == pytest.approx(0.94)


# ------------------------------------------------------------------ the console


def screen_of(app: ConsoleApp[Any]) -> EvaluatorScreen:
    screen = app.console_screen
    assert isinstance(screen, EvaluatorScreen)
    return screen


def queue_teams(app: ConsoleApp[Any]) -> list[str]:
    """The team column of the queue as shown, top to bottom."""
    table = app.screen.query_one("#queue-table", DataTable)
    return [str(table.get_row_at(i)[1]) for i in range(table.row_count)]


async def open_queue(pilot: Pilot[Any], count: int) -> None:
    app = pilot.app
    assert isinstance(app, ConsoleApp)
    await until(pilot, lambda: screen_of(app).model.board is not None, "the welcome")
    await pilot.press("q")
    await until(pilot, lambda: len(queue_teams(app)) == count, f"{count} rows in the queue")


def grades(server: FakeServer) -> list[c.Grade]:
    return [e.body for e in server.events if isinstance(e.body, c.Grade)]


def auto_points(server: FakeServer, team: str) -> float:
    scored = [
        e.body
        for e in server.events
        if isinstance(e.body, Scored) and e.body.team == team and e.body.expectation == REF
    ]
    assert scored and scored[-1].auto is not None
    return scored[-1].auto


async def test_the_queue_shows_text_answers_graded_by_meaning_most_unsure_first() -> None:
    server = holding_server()
    app = make_evaluator_app(link=server.link("evaluator:lead"))
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(pilot, 3)
        assert queue_teams(app) == QUEUE_ORDER
        table = app.screen.query_one("#queue-table", DataTable)
        assert app.focused is table, "q puts the keys on the queue"
        row = [str(cell) for cell in table.get_row_at(0)]
        assert REF in row
        assert "4.9 suggested" in row, "the suggested points are the engine's (scored.auto)"
        # The evidence of the highlighted answer: found, missed, contradicted, forbidden.
        evidence = str(app.screen.query_one("#queue-evidence", Static).content)
        assert "Follow the ministry's page for news" in evidence
        assert "Missed" in evidence and LABELS[1] in evidence
        assert "contradicted" in evidence
        await pilot.press("down")
        await pilot.pause()
        evidence = str(app.screen.query_one("#queue-evidence", Static).content)
        assert "Should not say" in evidence and "premature attribution" in evidence
        assert "This looks like Russia again." in evidence


async def test_one_key_accepts_the_suggested_grade() -> None:
    server = holding_server()
    app = make_evaluator_app(link=server.link("evaluator:lead"))
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(pilot, 3)
        await pilot.press("a")
        await until(pilot, lambda: grades(server), "a grade sent")
        [grade] = grades(server)
        assert (grade.evaluator, grade.team, grade.expectation) == ("lead", "comms-02", REF)
        assert grade.points == auto_points(server, "comms-02")
        assert grade.reason, "the log says the grade was the grader's, accepted"
        await until(pilot, lambda: queue_teams(app) == ["comms-03", "comms-01"], "it leaves")
        # The cursor stays where it was: the next most unsure answer, ready for a key.
        await pilot.press("a")
        await until(pilot, lambda: len(grades(server)) == 2, "a second grade")
        assert grades(server)[1].team == "comms-03"
        await until(pilot, lambda: queue_teams(app) == ["comms-01"], "it leaves too")


async def test_the_other_key_opens_the_grade_form_prefilled() -> None:
    server = holding_server()
    app = make_evaluator_app(link=server.link("evaluator:lead"))
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(pilot, 3)
        await pilot.press("down", "e")
        screen = screen_of(app)
        await until(pilot, lambda: isinstance(app.focused, Input), "the form's points box")
        assert app.screen.query_one(TabbedContent).active == "grade"
        assert screen.team == "comms-03"
        card = next(k for k in screen.query(GradeCard) if k.item.ref == REF)
        points = card.query_one("Input.points", Input)
        assert app.focused is points
        assert float(points.value) == pytest.approx(auto_points(server, "comms-03"), abs=0.01)
        assert not grades(server), "opening the form sends nothing"
        # The override with the keyboard: the figure replaces the suggestion, Tab, a
        # reason, Enter; the grade goes through the existing form, and the keys go back
        # to the queue, where the answer is no longer.
        await pilot.press("8", "tab", *"agreed", "enter")
        await until(pilot, lambda: grades(server), "the override sent")
        [grade] = grades(server)
        assert (grade.team, grade.points, grade.reason) == ("comms-03", 8, "agreed")
        await until(pilot, lambda: queue_teams(app) == ["comms-02", "comms-01"], "it leaves")
        assert app.screen.query_one(TabbedContent).active == "queue"
        table = app.screen.query_one("#queue-table", DataTable)
        await until(pilot, lambda: app.focused is table, "the queue focused")


async def test_the_queue_follows_another_evaluators_grades() -> None:
    server = holding_server()
    app = make_evaluator_app(link=server.link("evaluator:lead"))
    other = server.link("evaluator:eval-2")
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(pilot, 3)
        reply = await other.send(
            c.Grade(evaluator="eval-2", team="comms-01", expectation=REF, points=10, reason="ok")
        )
        assert isinstance(reply, Ack), reply
        await until(pilot, lambda: queue_teams(app) == ["comms-02", "comms-03"], "it leaves")
        # The highlighted answer is still the one the evaluator was reading.
        table = app.screen.query_one("#queue-table", DataTable)
        assert table.cursor_row == 0
        reply = await other.send(
            c.Grade(evaluator="eval-2", team="comms-02", expectation=REF, points=5, reason="ok")
        )
        assert isinstance(reply, Ack), reply
        await until(pilot, lambda: queue_teams(app) == ["comms-03"], "the top one leaves")
        assert "1" in str(app.screen.query_one(TabbedContent).get_tab("queue").label)


async def test_the_prefilled_form_keeps_its_figure_while_events_arrive() -> None:
    """A redraw comes with every event of a running exercise: the form the queue opened
    must keep the figure and the reason being typed."""
    server = holding_server()
    app = make_evaluator_app(link=server.link("evaluator:lead"))
    other = server.link("evaluator:eval-2")
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(pilot, 3)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.focused, Input), "the form's points box")
        await pilot.press("6", "tab", *"half")
        reply = await other.send(
            c.Grade(evaluator="eval-2", team="comms-01", expectation=REF, points=9, reason="ok")
        )
        assert isinstance(reply, Ack), reply
        await until(
            pilot,
            lambda: "Queue (2)" in str(app.screen.query_one(TabbedContent).get_tab("queue").label),
            "the other grade folded",
        )
        card = next(k for k in screen_of(app).query(GradeCard) if k.item.ref == REF)
        assert card.query_one("Input.points", Input).value == "6"
        assert card.query_one("Input.reason", Input).value == "half"
        assert app.focused is card.query_one("Input.reason", Input)


def scored(server: FakeServer, team: str) -> Scored:
    """The engine's latest figures for ``team``'s holding line."""
    found = [
        e.body
        for e in server.events
        if isinstance(e.body, Scored) and e.body.team == team and e.body.expectation == REF
    ]
    assert found
    return found[-1]


async def test_an_answer_after_another_evaluators_grade_shows_what_counts() -> None:
    """``answer_by: all``: eval-2 grades comms-02, then a second member answers, and the
    answer is back in the lead's queue. What counts is then eval-2's grade, not the
    grader's suggestion, and a grade the lead gives is combined with eval-2's by the
    engine (grade_rule): the row says what counts and who graded, and ``a`` opens the
    grade form instead of sending the suggestion as if it were the score."""
    server = holding_server(answer_by="all")
    app = make_evaluator_app(link=server.link("evaluator:lead"))
    other = server.link("evaluator:eval-2")
    control = server.link("facilitator:control")
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(pilot, 3)
        reply = await other.send(
            c.Grade(evaluator="eval-2", team="comms-02", expectation=REF, points=2, reason="vague")
        )
        assert isinstance(reply, Ack), reply
        await until(pilot, lambda: queue_teams(app) == ["comms-03", "comms-01"], "it leaves")
        # A minute later, the clock running, a second member of comms-02 answers.
        assert isinstance(await control.send(c.Resume()), Ack)
        server.advance_to(17 * M)
        text, given = SURE
        bo = server.link("team:comms-02", "Bo")
        answer = c.Respond(team="comms-02", member="Bo", expectation=REF, text=text, verdict=given)
        assert isinstance(await bo.send(answer), Ack)
        await until(pilot, lambda: queue_teams(app) == QUEUE_ORDER, "the new answer asks again")
        figures = scored(server, "comms-02")
        assert figures.points == 2, "eval-2's grade is what counts"
        assert figures.auto is not None and figures.auto != figures.points
        table = app.screen.query_one("#queue-table", DataTable)
        cell = str(table.get_row_at(0)[3])
        assert cell == "2 by eval-2", "what counts, and whose it is"
        assert "suggested" not in cell, "the suggestion is not what counts"
        # The lead was reading comms-03, which stays highlighted; up to comms-02.
        await pilot.press("up")
        await pilot.pause()
        evidence = str(app.screen.query_one("#queue-evidence", Static).content)
        assert "Counts 2 / 10" in evidence and "eval-2 2" in evidence
        assert "grade rule: mean" in evidence
        # a: no grade goes out; the form opens with the suggestion, for a grade of one's own.
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.focused, Input), "the form's points box")
        await pilot.pause()
        assert [g.evaluator for g in grades(server)] == ["eval-2"], "a sent nothing"
        screen = screen_of(app)
        assert screen.team == "comms-02"
        card = next(k for k in screen.query(GradeCard) if k.item.ref == REF)
        points = card.query_one("Input.points", Input)
        assert app.focused is points
        assert float(points.value) == pytest.approx(figures.auto, abs=0.01)
        await pilot.press("tab", *"agreed", "enter")
        await until(pilot, lambda: len(grades(server)) == 2, "the lead's grade")
        grade = grades(server)[-1]
        assert (grade.evaluator, grade.team, grade.reason) == ("lead", "comms-02", "agreed")
        await until(pilot, lambda: queue_teams(app) == ["comms-03", "comms-01"], "it leaves")


async def test_an_answer_after_a_grade_in_a_paused_exercise_asks_again() -> None:
    """The clock is paused, so the grade and the answer after it have the same exercise
    time: the queue orders them as the events came, and the answer is back."""
    server = holding_server(answer_by="all")
    app = make_evaluator_app(link=server.link("evaluator:lead"))
    other = server.link("evaluator:eval-2")
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(pilot, 3)
        grade = c.Grade(evaluator="eval-2", team="comms-02", expectation=REF, points=2, reason="")
        assert isinstance(await other.send(grade), Ack)
        await until(pilot, lambda: queue_teams(app) == ["comms-03", "comms-01"], "it leaves")
        assert server.exercise.status == "paused"
        text, given = SURE
        bo = server.link("team:comms-02", "Bo")
        answer = c.Respond(team="comms-02", member="Bo", expectation=REF, text=text, verdict=given)
        assert isinstance(await bo.send(answer), Ack)
        assert [e.t for e in server.events if e.kind in ("grade", "respond")][-2:] == [
            16 * M,
            16 * M,
        ]
        await until(pilot, lambda: queue_teams(app) == QUEUE_ORDER, "the new answer asks again")
