"""A broadcast goes to every team, a role, a track or one team (issue 12).

The dialog's "To" offers each; the teams of a role or a track are the roster's
answer (``Roster.teams_of``). Driven against the fake server: the engine applies the
broadcast, and each team's link shows whether it reached that team.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Select

from engine import commands as c
from engine.net.fake import FakeLink
from engine.net.protocol import EventMsg
from tests.tui.pilots import type_keys, until
from tests.tui.scripted import fake_server, send
from tui.console.base import ConsoleApp
from tui.facilitator.app import make_facilitator_app
from tui.facilitator.dialogs import BroadcastDialog
from tui.facilitator.table_view import TableScreen


def broadcasts(link: FakeLink) -> list[str]:
    return [
        str(m.payload.get("text"))
        for m in link.drain()
        if isinstance(m, EventMsg) and m.kind == "broadcast"
    ]


async def _broadcast(pilot: Any, app: ConsoleApp[Any], to: str, text: str) -> None:
    """Open the dialog, choose ``to`` in "To" with the keyboard, write ``text``, send."""
    await pilot.press("B")
    await until(pilot, lambda: isinstance(app.screen, BroadcastDialog), "the dialog")
    dialog = app.screen
    await type_keys(pilot, text)
    await pilot.press("shift+tab", "shift+tab", "shift+tab")
    select = dialog.query_one("#to", Select)
    assert app.focused is select, app.focused
    await pilot.press("enter")
    options = [str(prompt) for prompt, _ in select._options]
    for _ in range(options.index(to)):
        await pilot.press("down")
    await pilot.press("enter", "tab", "tab", "tab", "enter")
    await until(pilot, lambda: app.screen is app.console_screen, "the dialog closed")


async def test_a_broadcast_reaches_the_role_or_the_track_chosen_and_no_other() -> None:
    server = fake_server(2)
    control = server.link("facilitator:control")
    observer = server.link("observer:observer", "guest")
    teams = {t.id: server.link(f"team:{t.id}", "Jo") for t in server.roster.teams}
    send(server, control, c.Start())
    send(server, control, c.Pause())
    for link in teams.values():
        link.drain()
    cert = server.roster.teams_of(["cert"])
    assert cert == ["cert-01", "cert-02"]
    app: ConsoleApp[Any] = make_facilitator_app(link=control)
    async with app.run_test(size=(120, 40)) as pilot:
        model = app.console_screen.model
        await until(pilot, lambda: model.scenario is not None, "the welcome")
        await _broadcast(pilot, app, "Role National CERT (2 teams)", "CERT leads: to the podium")
        got: dict[str, list[str]] = {t: [] for t in teams}

        def heard() -> bool:
            for team, link in teams.items():
                got[team] += broadcasts(link)
            return bool(got["cert-01"])

        await until(pilot, heard, "the broadcast")
        assert got == {t: ["CERT leads: to the podium"] if t in cert else [] for t in teams}, got
        await _broadcast(pilot, app, "Track communication (2 teams)", "Press room closes")
        await until(pilot, lambda: broadcasts(teams["comms-01"]), "the track's broadcast")
        await _broadcast(pilot, app, "Every team", "Coffee break in 10 minutes")
        await until(pilot, lambda: broadcasts(teams["grid-02"]), "the broadcast to everyone")
        # The table view lists what each table received.
        await pilot.press("2", "enter")
        await until(pilot, lambda: isinstance(app.screen, TableScreen), "cert-01's table")
        await pilot.press("3")
        notes = str(app.screen.query_one("#notes-text").render())
    sent = [
        m.payload.get("teams")
        for m in observer.drain()
        if isinstance(m, EventMsg) and m.kind == "broadcast"
    ]
    assert sent == [cert, ["comms-01", "comms-02"], None], sent
    assert "broadcast from Exercise control: CERT leads: to the podium" in notes, notes
    assert "Coffee break in 10 minutes" in notes and "Press room closes" not in notes, notes
