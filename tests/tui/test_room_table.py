"""Open a table from the control room; see which tables fall behind (issue 12).

Enter on a team row shows that team's inbox, answers and results (the scoreboard's
figures, not worked out again), notes and questions; Esc closes it. A table with
:data:`~tui.model.staff.BEHIND_AT` expectations past their deadline and unanswered is
marked in its row and announced once.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from engine import commands as c
from tests.tui.pilots import until
from tests.tui.scripted import M, ScriptedLink, fake_server, send, staff_traffic
from tui.console.base import ConsoleApp
from tui.facilitator.app import make_facilitator_app
from tui.facilitator.table_view import TableScreen
from tui.facilitator.tables import BEHIND_MARK, TeamGrid, score_text
from tui.model.staff import BEHIND_AT


def section(app: ConsoleApp[Any], key: str) -> str:
    return str(app.screen.query_one(f"#{key}-text").render())


async def test_enter_on_a_team_opens_its_inbox_answers_notes_and_questions() -> None:
    messages, roster = staff_traffic()
    asker = roster.teams[3]  # the team that asked the press a question
    app: ConsoleApp[Any] = make_facilitator_app(link=ScriptedLink(messages))
    async with app.run_test(size=(160, 48)) as pilot:
        console = app.console_screen
        model = console.model
        await until(pilot, lambda: model.open_questions(), "the traffic")
        await pilot.press("2")
        grid = console.query_one(TeamGrid)
        await until(pilot, lambda: grid.row_count == len(roster.teams), "the team grid")
        for _ in range(grid.get_row_index(asker.id)):
            await pilot.press("down")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, TableScreen), "the table view")
        head = str(app.screen.query_one("#table-head").render())
        inbox = section(app, "inbox")
        await pilot.press("2")
        answers = section(app, "answers")
        await pilot.press("4")
        questions = section(app, "questions")
        board = model.board
        assert board is not None
        results = board.results(asker.id)
        row = model.teams[asker.id]
        await pilot.press("escape")
        await pilot.pause()
        closed = app.screen is console
    assert head.startswith(f"{asker.id} · {asker.name} · role {asker.role}"), head
    assert f"score {score_text(row)}" in head, head
    delivered = model.delivered_at[asker.id]
    assert delivered and all(inject in inbox for inject in delivered), inbox
    assert answers.startswith(f"Score {score_text(row)}"), answers
    counted = [r for r in results if r.status != "pending"]
    assert counted, results
    for result in counted:
        assert f"Counts: {round(result.points, 2):g} / {result.max_points:g} · {result.status}" in (
            answers
        ), (result.ref, answers)
    assert "Jo → " in questions and "Can you confirm the clip is fake before six?" in questions
    assert closed


async def test_a_table_falling_behind_is_marked_and_announced_once() -> None:
    messages, roster = staff_traffic()
    app: ConsoleApp[Any] = make_facilitator_app(link=ScriptedLink(messages))
    async with app.run_test(size=(160, 48)) as pilot:
        console = app.console_screen
        model = console.model
        await until(pilot, lambda: model.clock.status == "paused", "the traffic")
        await pilot.press("2")
        await pilot.pause()
        grid = console.query_one(TeamGrid)
        board = model.board
        assert board is not None
        expired = {t.id: board.total(t.id).counts["expired"] for t in roster.teams}
        marked = {
            t.id
            for t in roster.teams
            if isinstance(cell := grid.get_cell(t.id, "id"), Text)
            and cell.plain.startswith(BEHIND_MARK)
        }
        said = [n.message for n in app._notifications if "falling behind" in n.message]
    behind = {team for team, n in expired.items() if n >= BEHIND_AT}
    assert behind, expired
    assert marked == behind, (marked, expired)
    assert sorted(said) == sorted(
        f"{team} is falling behind: {expired[team]} expectations past their deadline, unanswered"
        for team in behind
    ), said


async def test_the_open_table_follows_the_exercise() -> None:
    server = fake_server(1)
    control = server.link("facilitator:control")
    jo = server.link("team:cert", "Jo")
    send(server, control, c.Start())
    server.advance_to(6 * M)
    send(server, control, c.Pause())
    app: ConsoleApp[Any] = make_facilitator_app(link=control)
    async with app.run_test(size=(120, 40)) as pilot:
        model = app.console_screen.model
        await until(pilot, lambda: "cert" in model.delivered_at, "cert's first inject")
        await pilot.press("2", "enter")
        await until(pilot, lambda: isinstance(app.screen, TableScreen), "cert's table")
        await pilot.press("4")
        await jo.send(c.Ask(team="cert", member="Jo", actor="press", text="Who filmed it?"))
        await jo.send(c.TeamNote(team="cert", member="Jo", text="Minister unreachable"))
        await until(pilot, lambda: "Who filmed it?" in section(app, "questions"), "the question")
        await until(pilot, lambda: "Minister unreachable" in section(app, "notes"), "the note")
