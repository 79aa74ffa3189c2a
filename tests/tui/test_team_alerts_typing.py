"""An alert does not cover the answer a member is typing (phase 8, seen at a phone's width).

At 48 columns in a browser, a "New inject" toast docked at the bottom covered half the
answer box for five seconds while the member typed. While a text box has the keyboard,
alerts now pop up at the top of the screen; elsewhere they stay at the bottom. The same
holds for a question to an outside actor, typed in the Messages tab's box.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, TextArea
from textual.widgets._toast import Toast

from engine import commands as c
from tests.tui.pilots import until
from tests.tui.scripted import M
from tests.tui.test_team_alerts import _room, playing, toasts
from tui.team.app import make_team_app


async def shown_toast(pilot: Pilot[Any], app: App[Any]) -> Toast:
    """The alert on screen once it is laid out (its region is empty until then)."""

    def laid_out() -> Toast | None:
        return next((t for t in app.screen.query(Toast) if t.region.area), None)

    await until(pilot, laid_out, "an alert on screen")
    toast = laid_out()
    assert toast is not None
    return toast


async def test_alerts_pop_up_at_the_top_while_a_member_types() -> None:
    room = _room()
    app = make_team_app(link=room.link)
    size = (48, 40)
    async with playing(app, room, size=size) as (pilot, console):
        # I-30 asks the CERT for a written alert: open it (the newest, first in the inbox).
        room.server.advance_to(66 * M)
        room.link.push(*room.team.drain())
        await until(pilot, lambda: "I-30" in console.model.inbox, "I-30")
        await until(pilot, lambda: not console._redraw_pending, "the inbox redrawn")
        app.clear_notifications()
        await pilot.press("home", "enter")
        await until(pilot, lambda: console.query(TextArea), "an answer box")
        box = console.query(TextArea).first()
        box.focus()
        await pilot.pause()
        room.control_sends(c.Broadcast(text="Coffee in ten."))
        toast = await shown_toast(pilot, app)
        assert toast.region.bottom <= size[1] // 2, toast.region
        assert not toast.region.overlaps(box.region), (toast.region, box.region)
        app.clear_notifications()
        await until(pilot, lambda: not toasts(app), "the alert to go")

        # The keyboard back in the inbox: alerts are at the bottom again.
        console.query_one("#inbox-list").focus()
        await pilot.pause()
        room.control_sends(c.Broadcast(text="Back in five."))
        toast = await shown_toast(pilot, app)
        assert toast.region.y >= size[1] // 2, toast.region


async def test_alerts_pop_up_at_the_top_while_a_member_writes_to_an_actor() -> None:
    room = _room()
    app = make_team_app(link=room.link)
    size = (48, 40)
    async with playing(app, room, size=size) as (pilot, console):
        await pilot.press("3")  # Messages: the question box at the bottom
        await until(pilot, lambda: console.query("#question"), "the question box")
        box = console.query_one("#question", Input)
        box.focus()
        await pilot.pause()
        # A new inject arrives (a broadcast shows on the open Messages tab, no alert).
        room.server.advance_to(66 * M)
        room.link.push(*room.team.drain())
        toast = await shown_toast(pilot, app)
        assert not toast.region.overlaps(box.region), (toast.region, box.region)
