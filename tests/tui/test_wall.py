"""The wall console through Pilot, on a fake server's wall link (the server's own shaping).

The break's message and countdown follow the wall clock and vanish on the resume;
headlines arrive as the story releases them, each once; the phase only moves on;
people's words are shown as text, never markup; the wall sends nothing.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from rich.text import Text
from textual.widgets import Digits, Static

from engine import commands as c
from engine.net.fake import FakeLink, FakeServer
from engine.views import SenderView
from engine.wallview import PhaseView, PostView, WallEvent, WallShown
from tests.tui.scripted import ROOT, M, send
from tests.tui.wall_traffic import BACK_AT, EPOCH, wall_server
from tui.console.base import ConsoleApp
from tui.wall.app import WallScreen, make_wall_app
from tui.wall.model import WallModel


class Wall:
    """A fake epoch clock for the break's countdown."""

    def __init__(self) -> None:
        self.now = EPOCH

    def __call__(self) -> float:
        return self.now


def shown(screen: WallScreen, selector: str) -> str:
    widget = screen.query_one(selector, Static)
    content = widget.render()
    return content.plain if isinstance(content, Text) else str(content)


async def settle(app: ConsoleApp[Any], pilot: Any) -> WallScreen:
    screen = app.console_screen
    assert isinstance(screen, WallScreen)
    for _ in range(50):
        await pilot.pause()
        link = screen.link
        if isinstance(link, FakeLink) and link.backlog == 0 and not screen._redraw_pending:
            break
    screen.mark({"clock"})
    await pilot.pause()
    await pilot.pause()
    return screen


def started(server: FakeServer) -> FakeLink:
    control = server.link("facilitator:control")
    send(server, control, c.Start())
    return control


async def test_the_break_counts_down_and_ends_with_the_resume() -> None:
    server = wall_server()
    control = started(server)
    server.advance_to(20 * M)
    wall = Wall()
    app = make_wall_app(link=server.link("wall:wall"), wall=wall, tz=UTC)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await settle(app, pilot)
        assert not screen.query_one("#stop").display
        send(server, control, c.Pause(reason="Coffee break", until=BACK_AT))
        screen = await settle(app, pilot)
        assert screen.query_one("#stop").display
        assert "Coffee break: back at 02:00" in shown(screen, "#stop-text")
        assert screen.query_one("#countdown", Digits).value == "13:20"
        wall.now = BACK_AT - 61.5
        screen = await settle(app, pilot)
        assert screen.query_one("#countdown", Digits).value == "1:02"
        assert "PAUSED" in shown(screen, "#wall-head")
        send(server, control, c.Resume())
        screen = await settle(app, pilot)
        assert not screen.query_one("#stop").display
        assert "RUNNING" in shown(screen, "#wall-head")
        assert screen.query_one("#clock", Digits).value == "0:20:00"


async def test_headlines_arrive_as_released_each_once_and_people_s_words_stay_text() -> None:
    server = wall_server()
    control = started(server)
    app = make_wall_app(link=server.link("wall:wall"), wall=Wall(), tz=UTC)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await settle(app, pilot)
        assert "appear here" in shown(screen, "#posts")
        server.advance_to(6 * M)
        screen = await settle(app, pilot)
        posts = shown(screen, "#posts")
        first = server.scenario.inject_by_id["I-01"]
        assert first.title in posts and "SOCIAL" in posts
        later = server.scenario.inject_by_id["I-13"]
        assert later.title not in posts, "released at 15 minutes, not before"
        assert "Detection and verification" in shown(screen, "#phase")
        hostile = "[bold red]fake[/] [@click=app.quit]x[/] \x1b[2J"
        send(server, control, c.Broadcast(title="[b]t[/b]", text=hostile))
        screen = await settle(app, pilot)
        notices = shown(screen, "#notices")
        assert "[bold red]fake[/] [@click=app.quit]x[/]" in notices and "[b]t[/b]" in notices
        assert "\x1b" not in notices and "␛" in notices
        assert app.is_running


def test_the_phase_only_moves_on_and_a_post_shows_once() -> None:
    model = WallModel()
    one = PhaseView(id="detect", title="Detection", number=1)
    two = PhaseView(id="respond", title="Response", number=2)
    assert model.apply(WallEvent(WallShown(phase=two), 10 * M, 1)) == {"phase"}
    assert model.apply(WallEvent(WallShown(phase=one), 11 * M, 2)) == set()
    assert model.phase == two
    assert model.apply(WallEvent(WallShown(phase=one), 11 * M, 2)) == set(), "seen before"
    post = PostView(
        id="I-9", title="Wire flash", channel="news", sender=SenderView(id="w", name="W")
    )
    assert model.apply(WallEvent(WallShown(post=post), 12 * M, 3)) == {"posts"}
    assert model.apply(WallEvent(WallShown(post=post), 13 * M, 4)) == set(), "a later team's copy"
    assert [(p.inject, p.t) for p in model.posts] == [("I-9", 12 * M)]


async def test_a_modules_discussion_puts_its_questions_on_the_wall() -> None:
    """election-disinfo pauses for Module 1's discussion at 0:43: the wall shows the
    questions every table discusses and what is left of the suggested ten minutes, and
    clears them on the resume."""
    server = FakeServer.from_file(
        ROOT / "scenarios" / "election-disinfo.yaml", 1, wall=lambda: EPOCH
    )
    control = started(server)
    wall = Wall()
    app = make_wall_app(link=server.link("wall:wall"), wall=wall, tz=UTC)
    async with app.run_test(size=(80, 24)) as pilot:
        server.advance_to(43 * M)
        assert server.exercise.status == "paused"
        screen = await settle(app, pilot)
        stop = shown(screen, "#stop-text")
        assert "Module 1 discussion — Friday afternoon" in stop
        assert "1. Who told voters first that the robocalls were fake" in " ".join(stop.split())
        assert screen.query_one("#countdown", Digits).value == "10:00"
        # The numbered questions read from the left (a break's line stays centred).
        assert screen.query_one("#stop-text").styles.text_align == "left"
        wall.now = EPOCH + 4 * 60
        screen = await settle(app, pilot)
        assert screen.query_one("#countdown", Digits).value == "6:00"
        send(server, control, c.Resume())
        screen = await settle(app, pilot)
        assert not screen.query_one("#stop").display
