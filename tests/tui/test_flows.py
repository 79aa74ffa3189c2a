"""Every console flow against a real in-process server (issue 6, "Done when").

Consoles are driven with Pilot and talk to the server through real shipped
clients; assertions read what the consoles show.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from textual.widgets import Button, Input, OptionList, RadioButton, SelectionList, TextArea

from engine import commands as c
from tests.server.conftest import TEAMS, Served, free_port, serving
from tests.tui.flows import (
    M,
    clock_line,
    console,
    form,
    grid_cell,
    highlight,
    inbox_lines,
    msel_cell,
    open_inject,
    open_teams,
    submit,
    type_text,
    until_all,
)
from tui.evaluator.app import GradeCard
from tui.facilitator.dialogs import InjectDialog
from tui.facilitator.tables import MselTable


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[Served]:
    """The engine fixture on loopback: roles a and b, two teams each, as ``sitroom serve``."""
    async with serving(tmp_path) as s:
        yield s


def respond_rows(served: Served, ref: str) -> list[c.Respond]:
    return [
        e.body
        for e in served.room.log.events()
        if isinstance(e.body, c.Respond) and e.body.expectation == ref
    ]


async def test_an_inject_arrives_and_shows_in_the_inbox_with_an_unread_mark(
    served: Served,
) -> None:
    control, _ = await served.client("facilitator:control")
    async with contextlib.AsyncExitStack() as stack:
        team = (await open_teams(stack, served, "a-01"))["a-01"]
        await team.until_shows("No inject yet")
        # The team is reading its messages when the first inject arrives: it is announced,
        # and counted unread on the inbox's tab.
        await team.press("3")
        await control.send(c.Start())
        await control.send(c.Jump(to=10 * M))
        await team.until(lambda: "A1" in inbox_lines(team), "A1 in the inbox")
        await team.until_shows("Inbox (1)")
        assert "New inject · Actor X: Opening decision" in team.toasts()
        assert inbox_lines(team)["A1"].startswith("● ✉ Opening decision")
        # In the inbox it is shown at once beside the list, with its question: now read.
        await team.press("1")
        await team.until_shows("Opening decision", "from Actor X", "Good", "Bad", "Submit")
        await team.until(lambda: inbox_lines(team)["A1"].startswith("  ✉"), "A1 read")
        assert "Inbox (1)" not in team.text()
        # The next one arrives while the team reads the first: unread, counted, announced.
        await control.send(c.Jump(to=19 * M))
        await team.until(lambda: "A2" in inbox_lines(team), "A2 in the inbox")
        await team.until_shows("Inbox (1)")
        assert (
            inbox_lines(team)["A2"].startswith("● ")
            and "Follow-up with jitter" in (inbox_lines(team)["A2"])
        )
        assert list(inbox_lines(team)) == ["A2", "A1"], "newest first"
        assert "New inject · Actor X: Follow-up with jitter" in team.toasts()
        await team.press("n")
        await team.until(lambda: not inbox_lines(team)["A2"].startswith("●"), "A2 read")
        await team.until_shows("Follow-up with jitter", "from Actor X")
        assert "Inbox (1)" not in team.text()
        # A news inject is in the feed too.
        await team.press("2")
        await team.until_shows("Follow-up with jitter")


async def test_a_team_answers_each_kind_of_question_and_sees_it_acknowledged(
    served: Served,
) -> None:
    control, _ = await served.client("facilitator:control")
    async with contextlib.AsyncExitStack() as stack:
        team = (await open_teams(stack, served, "a-01"))["a-01"]
        await control.send(c.Start())
        await control.send(c.Jump(to=10 * M))
        await team.until_shows("Opening decision", "Submit")
        # The text can show a moment before the form is mounted (seen on a busy machine).
        await team.until(lambda: bool(team.app.screen.query("#form-A1--d")), "the A1.d form")

        # A decision: choose an option, submit, confirm.
        await team.click(form(team, "A1.d").query_one("#opt-good", RadioButton))
        await submit(team, "A1.d")
        await team.until_shows("Your answer by member-1: Good", "Result: 10 / 10")
        assert "Submit" not in team.text()
        [row] = respond_rows(served, "A1.d")
        assert (row.team, row.member, row.choice) == ("a-01", "member-1", "good")

        # A checklist: tick two items with the keyboard.
        await control.send(c.Jump(to=40 * M))
        await team.until(lambda: "C1" in inbox_lines(team), "C1 in the inbox")
        await open_inject(team, "C1")
        with team.active():
            form(team, "C1.list").query_one("#items", SelectionList).focus()
        await team.press("space", "down", "space")
        await submit(team, "C1.list")
        await team.until_shows("Your answer by member-1: Do x; Do y", "Result: 5 / 5")
        assert respond_rows(served, "C1.list")[0].items == ["x", "y"]

        # A statement: write it in the text area.
        await control.send(c.Jump(to=60 * M))
        await team.until(lambda: "T1" in inbox_lines(team), "T1 in the inbox")
        await open_inject(team, "T1")
        await team.click(form(team, "T1.s").query_one("#text", TextArea))
        await type_text(team, "grid deepfake")
        await team.until_shows("2 words")
        await submit(team, "T1.s")
        await team.until_shows("Your answer by member-1: grid deepfake", "Result: 10 / 10")
        assert respond_rows(served, "T1.s")[0].text == "grid deepfake"
        assert inbox_lines(team)["A1"].rstrip().endswith("✓")


async def test_the_facilitator_pauses_and_every_team_clock_shows_paused(served: Served) -> None:
    async with contextlib.AsyncExitStack() as stack:
        teams = list((await open_teams(stack, served, *TEAMS)).values())
        control = await stack.enter_async_context(
            console(served, served.code("facilitator:control"), "facilitator")
        )
        await until_all(teams, lambda t: "NOT STARTED" in clock_line(t), "the clock not started")
        await control.press("s")
        await until_all(teams, lambda t: "RUNNING" in clock_line(t), "the clock running")
        await control.press("p")
        await until_all(teams, lambda t: "PAUSED" in clock_line(t), "the clock paused")
        await control.until_shows("Resume")
        assert "PAUSED" in clock_line(control)
        # Paused means stopped: the time shown no longer moves.
        shown = {clock_line(t).split()[0] for t in teams}
        await control.until(lambda: control.screen.model.clock.status == "paused", "paused")
        for team in teams:
            await team.pause()
            assert clock_line(team).split()[0] in shown
        # The same button resumes.
        await control.click(control.query_one("#pause", Button))
        await until_all(teams, lambda t: "RUNNING" in clock_line(t), "the clock running again")
        await control.until(
            lambda: str(control.query_one("#pause", Button).label) == "p Pause", "the Pause label"
        )


async def test_a_contingency_release_reaches_only_the_chosen_teams(served: Served) -> None:
    chosen, others = ("a-01", "b-02"), ("a-02", "b-01")
    async with contextlib.AsyncExitStack() as stack:
        teams = await open_teams(stack, served, *TEAMS)
        control = await stack.enter_async_context(
            console(served, served.code("facilitator:control"), "facilitator")
        )
        await control.press("s")
        await until_all(list(teams.values()), lambda t: "RUNNING" in clock_line(t), "running")
        # Put the MSEL cursor on the contingency inject and release it for two teams.
        msel = control.query_one("#msel-table", MselTable)
        with control.active():
            msel.focus()
            row = msel.get_row_index("K1")
        await control.press(*["down"] * row)
        await control.until(lambda: msel.cursor_row == row, "the cursor on K1")
        await control.press("r")
        await control.until_shows("Release an inject", "◆ K1 · Contingency")
        dialog = control.app.screen
        assert isinstance(dialog, InjectDialog)
        picks = dialog.query_one("#teams", SelectionList)
        with control.active():
            picks.focus()
        options = [str(picks.get_option_at_index(i).value) for i in range(picks.option_count)]
        assert options == list(TEAMS)
        for team in chosen:
            await highlight(control, picks, options.index(team))
            await control.press("space")
        assert sorted(picks.selected) == sorted(chosen)
        await control.click(dialog.query_one("#ok", Button))
        await control.until_shows("Release: done")
        for name in chosen:
            got = teams[name]
            await got.until(lambda: "K1" in inbox_lines(got), f"K1 at {name}")  # noqa: B023
            await got.until_shows("Contingency")
        await control.until(
            lambda: msel_cell(control, "K1", "status") == "2 delivered", "the MSEL row for K1"
        )
        # Anything sent after the release reaches every team after it: by then the others
        # would have had it too.
        await control.press("B")
        await control.until_shows("Broadcast a message")
        await control.click(control.app.screen.query_one("#text", Input))
        await type_text(control, "after")
        await control.click(control.app.screen.query_one("#ok", Button))
        for name, each in teams.items():
            await each.press("3")
            await each.until_shows("after")
            await each.press("1")
            if name in others:
                assert "K1" not in inbox_lines(each)
                assert "Contingency" not in each.text()


async def test_a_manual_grade_updates_the_facilitator_team_grid(served: Served) -> None:
    control, _ = await served.client("facilitator:control")
    await control.send(c.Start())
    await control.send(c.Jump(to=60 * M))
    async with contextlib.AsyncExitStack() as stack:
        facilitator = await stack.enter_async_context(
            console(served, served.code("facilitator:control"), "facilitator")
        )
        evaluator = await stack.enter_async_context(
            console(served, served.code("evaluator:lead"), "evaluator")
        )
        await facilitator.press("2")
        await facilitator.until(lambda: grid_cell(facilitator, "a-01", "score") == "0/31", "0/31")
        assert grid_cell(facilitator, "a-01", "rank") == "1=", "every team ties at 0 points"
        # The evaluator picks team a-01 and grades its manual expectation.
        teams = evaluator.query_one("#team-list", OptionList)
        with evaluator.active():
            teams.focus()
        await evaluator.press("down")
        await evaluator.until(lambda: evaluator.screen.team == "a-01", "a-01 chosen")
        await evaluator.until_shows("T1.m · Statement")
        card = next(c for c in evaluator.screen.query(GradeCard) if c.item.ref == "T1.m")
        await evaluator.click(card.query_one("Input.points", Input))
        await type_text(evaluator, "5")
        await evaluator.click(card.query_one("Button.grade", Button))
        await evaluator.until_shows("Grade recorded")
        await evaluator.until_shows("Grades: lead 5")
        # The control room sees the score and the ranking change.
        await facilitator.until(lambda: grid_cell(facilitator, "a-01", "score") == "5/31", "5/31")
        assert grid_cell(facilitator, "a-01", "rank") == "1"
        assert grid_cell(facilitator, "a-02", "rank") == "2=", "the others still tie at 0"
        assert "5/31" in facilitator.text()


async def test_a_dropped_connection_shows_the_banner_keeps_the_typed_answer_and_sends_it(
    tmp_path: Path,
) -> None:
    port = free_port()
    server = contextlib.AsyncExitStack()
    served = await server.enter_async_context(serving(tmp_path, port=port))
    control, _ = await served.client("facilitator:control")
    await control.send(c.Start())
    await control.send(c.Jump(to=60 * M))
    async with contextlib.AsyncExitStack() as stack:
        # The console is given the address, not this server: it outlives it.
        team = await stack.enter_async_context(
            console(served.url, served.code("team:a-01"), "team", "member-1")
        )
        await team.until(lambda: "T1" in inbox_lines(team), "T1 in the inbox")
        await open_inject(team, "T1")
        box = form(team, "T1.s").query_one("#text", TextArea)
        await team.click(box)
        await type_text(team, "grid")
        assert "Connection lost" not in team.text()

        # The server goes away: the banner says so, the half-typed answer stays.
        await server.aclose()
        await team.until_shows("Connection lost: reconnecting…")
        assert "●" in clock_line(team) and team.screen.link_state == "reconnecting"
        assert box.text == "grid"
        # It comes back on the same address (resumed from its log): the banner goes, the
        # answer is still being written.
        server = contextlib.AsyncExitStack()
        await server.enter_async_context(serving(tmp_path, port=port, resume=True))
        await team.until(lambda: team.screen.link_state == "connected", "reconnected")
        await team.until(lambda: "Connection lost" not in team.text(), "the banner gone")
        await team.until_shows("grid")
        assert form(team, "T1.s").query_one("#text", TextArea).text == "grid"

        # Down again: finish the answer and submit it while the server is away.
        await server.aclose()
        await team.until_shows("Connection lost: reconnecting…")
        box = form(team, "T1.s").query_one("#text", TextArea)
        await team.click(box)
        await team.press("end")
        await type_text(team, " deepfake")
        await submit(team, "T1.s")
        await team.until_shows("Waiting for the connection; it will be sent")
        assert form(team, "T1.s").query_one("#text", TextArea).text == "grid deepfake"

        # Back: it is sent by itself, acknowledged, and logged once.
        server = contextlib.AsyncExitStack()
        again = await server.enter_async_context(serving(tmp_path, port=port, resume=True))
        try:
            await team.until_shows("Your answer by member-1: grid deepfake", timeout=15)
            assert "Connection lost" not in team.text()
            assert "Waiting for the connection" not in team.text()
            [row] = respond_rows(again, "T1.s")
            assert (row.team, row.member, row.text) == (
                "a-01",
                "member-1",
                "grid deepfake",
            )
        finally:
            await server.aclose()
