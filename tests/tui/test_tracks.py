"""Controllers per track in the sim cell (issue 12, "a sim cell that scales").

Two controllers (``control-1``, ``control-2``) share a fake server: the commands go
through the server's own admission, and each console reads what its seat receives.
``control-2`` covers the tag ``security`` (the CERT role carries it), ``control-1``
covers ``comms``; ``control-1`` passes a CERT question to ``control-2``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text

from engine import commands as c
from engine.commands import AnyCommand
from engine.net.client import new_id
from engine.net.fake import FakeLink, FakeServer
from engine.net.protocol import Ack, EventMsg, Incoming
from engine.roster import roster_from_counts
from engine.scenario import load_file
from tests.tui.pilots import until
from tests.tui.scripted import SCENARIO_PATH, M
from tui.console.base import ConsoleApp
from tui.facilitator.app import make_facilitator_app
from tui.facilitator.simcell import SimCellSummary, SimCellTable
from tui.facilitator.simcell_dialogs import PassDialog
from tui.model.staff import StaffModel


@dataclass
class Room:
    server: FakeServer
    control1: FakeLink
    control2: FakeLink
    asked: dict[str, int]
    """Team id → the sequence number of its question."""


def sent(server: FakeServer, link: FakeLink, command: AnyCommand) -> int:
    answer = server.command(link, command, new_id())
    assert isinstance(answer, Ack) and answer.seq is not None, answer
    return answer.seq


def room(*, passed: bool = True, answered: bool = True) -> Room:
    """Two teams per role, two controllers with tracks, four questions (one passed by
    control-1 to control-2 with a note, one answered), the clock paused at 0:20:00."""
    server = FakeServer(
        load_file(SCENARIO_PATH),
        roster_from_counts(load_file(SCENARIO_PATH).require(), 2),
        facilitators=2,
        wall=lambda: 0.0,
    )
    one = server.link("facilitator:control-1")
    two = server.link("facilitator:control-2")
    sent(server, one, c.Start())
    server.advance_to(5 * M)
    sent(server, one, c.Tracks(controller="control-1", tracks=["comms"], by="control-1"))
    sent(server, two, c.Tracks(controller="control-2", tracks=["security"], by="control-2"))
    asked: dict[str, int] = {}
    questions = [
        ("cert-01", "press", "Is the clip on your front page tonight?"),
        ("comms-01", "platform", "Will you label the video as manipulated?"),
        ("cert-02", "platform", "Can you share the upload's metadata with us?"),
        ("energy-01", "press", "Who told you the grid was attacked?"),
    ]
    for minute, (team, actor, text) in enumerate(questions, start=6):
        server.advance_to(minute * M)
        member = server.link(f"team:{team}", "Amira")
        asked[team] = sent(server, member, c.Ask(team=team, member="Amira", actor=actor, text=text))
    server.advance_to(12 * M)
    if passed:
        sent(
            server,
            one,
            c.PassQuestion(
                question=asked["cert-02"], to="control-2", by="control-1", note="CERT: yours"
            ),
        )
    if answered:
        server.advance_to(14 * M)
        sent(
            server,
            one,
            c.Reply(actor="press", team="energy-01", text="We never name sources.", to_seq=None),
        )
    server.advance_to(20 * M)
    sent(server, one, c.Pause())
    return Room(server, one, two, asked)


def folded(messages: list[Incoming]) -> StaffModel:
    model = StaffModel()
    for msg in messages:
        if isinstance(msg, EventMsg):
            model.receive(msg)
        elif msg.type == "welcome":
            model.welcome(msg)
    return model


def rows(table: SimCellTable) -> list[tuple[str, str, str]]:
    """Each row: its key, the For cell, the team."""
    out = []
    for index in range(table.row_count):
        cells = table.get_row_at(index)
        key = table.coordinate_to_cell_key((index, 0)).row_key.value  # type: ignore[arg-type]
        out.append((str(key), _text(cells[1]), _text(cells[2])))
    return out


def _text(cell: object) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)


async def test_a_controller_sees_what_was_passed_to_them_then_their_tracks_then_the_rest() -> None:
    r = room()
    app: ConsoleApp[Any] = make_facilitator_app(link=r.control2)
    async with app.run_test(size=(160, 48)) as pilot:
        console = app.console_screen
        await until(pilot, lambda: len(console.model.questions) == 4, "the questions")
        await pilot.press("3")
        table = console.query_one(SimCellTable)
        await until(pilot, lambda: table.row_count == 4, "the sim cell")
        shown = rows(table)
        summary = str(console.query_one(SimCellSummary).render())
    assert [(team, mark) for _, mark, team in shown] == [
        ("cert-02", "▶ you"),  # passed to control-2
        ("cert-01", "• you"),  # control-2's track: the tag security (CERT)
        ("comms-01", "control-1"),  # control-1's track
        ("energy-01", ""),  # answered (nobody's track): last, dimmed
    ]
    assert shown[3][0] == f"done-{r.asked['energy-01']}"
    assert "control-2" in summary and "security" in summary and "2 yours of 3" in summary
    assert "control-1: comms" in summary


async def test_passing_a_question_from_the_console_moves_it_for_both_controllers() -> None:
    r = room(passed=False, answered=False)
    app: ConsoleApp[Any] = make_facilitator_app(link=r.control2)
    async with app.run_test(size=(120, 36)) as pilot:
        console = app.console_screen
        await until(pilot, lambda: len(console.model.questions) == 4, "the questions")
        await pilot.press("3")
        table = console.query_one(SimCellTable)
        await until(pilot, lambda: table.row_count == 4, "the sim cell")
        assert rows(table)[0][2] == "cert-01"  # control-2's track first
        await pilot.press("a")  # pass cert-01's question
        await until(pilot, lambda: isinstance(app.screen, PassDialog), "the pass dialog")
        await pilot.press("tab")  # the controller list offers control-1 first
        await pilot.press(*"network side, yours")
        await pilot.press("enter")
        await until(
            pilot,
            lambda: (
                getattr(console.model.simcell.get(r.asked["cert-01"]), "holder", "") == "control-1"
            ),
            "the pass, logged and sent back",
        )
        await pilot.pause()
        after = rows(table)
    assert [team for _, _, team in after] == ["cert-02", "cert-01", "comms-01", "energy-01"]
    assert [mark for _, mark, _ in after[:2]] == ["• you", "→ control-1"]
    # control-1's console (its seat's messages, folded) has it first, marked as passed to it.
    other = folded(r.control1.drain())
    queue = other.simcell.queue("control-1")
    assert [(q.team, standing) for q, standing in queue][:2] == [
        ("cert-01", "held"),
        ("comms-01", "track"),
    ]
    first = queue[0][0]
    assert (first.passed_by, first.note) == ("control-2", "network side, yours")


async def test_the_cursor_stays_on_its_question_when_the_sim_cell_redraws() -> None:
    r = room(passed=False, answered=False)
    app: ConsoleApp[Any] = make_facilitator_app(link=r.control2)
    async with app.run_test(size=(120, 36)) as pilot:
        console = app.console_screen
        await until(pilot, lambda: len(console.model.questions) == 4, "the questions")
        await pilot.press("3")
        table = console.query_one(SimCellTable)
        await until(pilot, lambda: table.row_count == 4, "the sim cell")
        await pilot.press("down", "down")
        chosen = table.selected_key()
        # control-1 passes another question to control-2: it comes first, rows move.
        sent(
            r.server,
            r.control1,
            c.PassQuestion(question=r.asked["energy-01"], to="control-2", by="control-1"),
        )
        await until(pilot, lambda: rows(table)[0][2] == "energy-01", "the passed question")
        assert table.selected_key() == chosen
        said = [n.message for n in app._notifications if n.title == "Sim cell"]
    assert said == ["control-1 passed you energy-01's question to Wire-service reporter"], said


async def test_an_observer_can_neither_pass_nor_set_tracks() -> None:
    r = room(passed=False, answered=False)
    watcher = r.server.link("observer:observer", "guest")
    app: ConsoleApp[Any] = make_facilitator_app(role="observer", link=watcher)
    async with app.run_test(size=(120, 36)) as pilot:
        console = app.console_screen
        await until(pilot, lambda: len(console.model.questions) == 4, "the questions")
        await pilot.press("3")
        table = console.query_one(SimCellTable)
        await until(pilot, lambda: table.row_count == 4, "the sim cell")
        await pilot.press("a", "t")
        await pilot.pause()
        assert app.screen is console, app.screen
        footer = {k for k, b in app.active_bindings.items() if b.enabled and b.binding.show}
    assert not {"a", "t"} & footer, footer
    assert r.server.events[-1].kind != "pass_question"
