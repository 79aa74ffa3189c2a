"""After End the control room offers only what still applies.

A planner ended an exercise and the facilitator's bar still offered Pause, Jump and
Release (and the footer Hold and Cancel inject), each of which the engine refuses
once the exercise has ended. The bar now says the exercise has ended and where the
hotwash is; the footer's clock and inject keys go. Driven through Pilot at 80x24 on
the fake server.
"""

from __future__ import annotations

from textual.widgets import Button, Static

from engine import commands as c
from tests.tui.pilots import until
from tests.tui.scripted import M, fake_server, send
from tui.console.base import ConsoleApp
from tui.facilitator.app import FacilitatorScreen, make_facilitator_app


def _bar(room: FacilitatorScreen) -> list[str]:
    """What the toolbar shows: its visible buttons' labels and notes."""
    shown: list[str] = []
    for widget in room.query_one("#controls").children:
        if not widget.display:
            continue
        if isinstance(widget, Button):
            shown.append(str(widget.label))
        elif isinstance(widget, Static) and str(widget.render()).strip():
            shown.append(str(widget.render()))
    return shown


def _footer_actions(room: FacilitatorScreen) -> set[str]:
    return {b.binding.action for b in room.active_bindings.values() if b.binding.show and b.enabled}


async def test_after_end_the_bar_offers_no_clock_or_inject_control() -> None:
    server = fake_server(1)
    control = server.link("facilitator:control", "Fay")
    send(server, control, c.Start())
    server.advance_to(10 * M)
    app: ConsoleApp[FacilitatorScreen] = make_facilitator_app(link=control)
    async with app.run_test(size=(80, 24)) as pilot:
        room = app.console_screen
        await until(pilot, lambda: room.model.clock.status == "running", "the running clock")
        assert "p Pause" in _bar(room) and "j Jump" in _bar(room)
        assert "hold" in _footer_actions(room)
        send(server, control, c.End(reason="time"))
        await until(pilot, lambda: room.model.clock.status == "ended", "the end")
        await pilot.pause()
        assert _bar(room) == ["The exercise has ended: w opens the hotwash."]
        note = room.query_one("#ended-note")
        assert note.region.width >= len("The exercise has ended: w opens the hotwash.")
        assert not _footer_actions(room) & room.CONTROL_ACTIONS
        assert "hotwash" in _footer_actions(room)
        sent = len(server.events)
        await pilot.press("p", "j", "r")  # no longer run: nothing is sent, no dialog opens
        await pilot.pause()
        assert app.screen is room and len(server.events) == sent
