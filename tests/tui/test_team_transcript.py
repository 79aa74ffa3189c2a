"""The team console's transcript (issue 16, accessibility): every inject and answer in
order, as one column of plain text, for a player who cannot use the screen's layout.

A scripted session on the fake server (the engine, the server's shaper and hub) plays
forty minutes of summit-deepfake for team ``cert``: an answer by another member, a
question to an actor with markup and a terminal escape in it, the actor's reply, a team
note, a broadcast. The transcript is read from the team's model as the console folded
it, opened with ``t`` through Pilot, followed live, and drawn at 80x24 and 160x48
(update with ``--snapshot-update`` and look at the SVGs).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import TextArea
from textual.widgets._footer import FooterKey

from engine import commands as c
from engine.net.fake import FakeLink, FakeServer
from engine.net.protocol import Incoming
from tests.tui.pilots import until
from tests.tui.scripted import M, ScriptedLink, fake_server, send
from tests.tui.test_snapshots import SIZES, settle
from tui.console.base import ConsoleApp
from tui.model.transcript import transcript
from tui.team.app import TeamScreen, make_team_app
from tui.team.transcript import TranscriptScreen

HOSTILE = "Is it [bold red]fake[/]? \x1b[2J[@click=app.quit]x"


def _session() -> tuple[FakeServer, FakeLink, FakeLink]:
    """Forty minutes of team cert's play, paused; the control room's link and Amira's."""
    server = fake_server(1)
    control = server.link("facilitator:control")
    amira = server.link("team:cert", "Amira")
    bo = server.link("team:cert", "Bo")
    script: list[tuple[int, FakeLink, c.AnyCommand]] = [
        (0, control, c.Start()),
        (
            9 * M,
            bo,
            c.Respond(
                team="cert", member="Bo", expectation="I-01.first-move", choice="authenticate"
            ),
        ),
        (24 * M, amira, c.Ask(team="cert", member="Amira", actor="platform", text=HOSTILE)),
        (27 * M, control, c.Reply(team="cert", actor="platform", text="Uploaded 08:12.")),
        (28 * M, bo, c.TeamNote(team="cert", member="Bo", text="Ministry: no announcement.")),
        (30 * M, control, c.Broadcast(title="Situation update", text="The clip is labelled.")),
        (40 * M, control, c.Pause()),
    ]
    for t, link, command in script:
        if server.exercise.status == "running":
            server.advance_to(t)
        send(server, link, command)
    return server, control, amira


@cache
def _traffic() -> tuple[Incoming, ...]:
    return tuple(_session()[2].drain())


def _app(link: Any = None) -> ConsoleApp[Any]:
    return make_team_app(link=link or ScriptedLink(_traffic()))


def _area(app: ConsoleApp[Any]) -> TextArea:
    assert isinstance(app.screen, TranscriptScreen)
    return app.screen.query_one(TextArea)


async def _open(pilot: Pilot[Any]) -> None:
    """Wait for the forty minutes of injects, then press t."""
    app = pilot.app
    assert isinstance(app, ConsoleApp)
    await until(pilot, lambda: len(app.console_screen.model.inbox) == 4, "the four injects")
    await pilot.press("t")
    await until(pilot, lambda: isinstance(app.screen, TranscriptScreen), "the transcript")
    await settle(pilot)


async def test_the_transcript_tells_the_session_in_order_in_words() -> None:
    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        model = app.console_screen.model
        made = transcript(model, model.clock.now())
    lines = made.lines

    def at(start: str) -> int:
        found = [i for i, line in enumerate(lines) if line.startswith(start)]
        assert len(found) == 1, (start, found)
        return found[0]

    # Each inject and message in its place in time, after the briefing.
    heads = [
        "0:05:00 (Tue 09:05). Inject I-01, Social media, from Citizens on social media, high "
        "priority.",
        "0:20:00 (Tue 09:20). Inject I-02, Ticket, from Video platform trust and safety.",
        "0:24:00 (Tue 09:24). Amira asked Video platform trust and safety:",
        "0:27:00 (Tue 09:27). Reply from Video platform trust and safety:",
        "0:28:00 (Tue 09:28). Team note by Bo:",
        "0:30:00 (Tue 09:30). Inject I-22, Alert, from Partner CERT network.",
        "0:30:00 (Tue 09:30). Broadcast from Control, Situation update:",
        "0:40:00 (Tue 09:40). Inject I-24, News, from National broadcaster newsroom.",
    ]
    places = [at(head) for head in heads]
    assert places == sorted(places) and places[0] > at("Briefing")
    assert made.starts == places, "where each block starts (l goes to the last)"
    assert lines[-1] == "End of transcript at 0:40:00 (Tue 09:40)."

    # An inject: its title, its Markdown body as plain text (one line a paragraph, no
    # emphasis marks), its question with options, who answered and when, the result.
    first = at(heads[0])
    assert lines[first + 1 : first + 16] == [
        "Title: Video of the energy minister announcing a grid shutdown goes viral",
        'A 40-second clip shows the energy minister at a podium: "From 14:00 today, the grid '
        'will be shut down nationwide for 48 hours as a precaution." The post has 180,000 '
        "views in twenty minutes. Replies ask whether to buy generators.",
        "Question 1 of 1: What do you do first?",
        "Choose one option.",
        "  Option 1 of 3: Call the ministry and run provenance checks on the clip",
        "  Option 2 of 3: Publicly deny at once",
        "  Option 3 of 3: Wait for more information",
        "Due at 0:20:00 (Tue 09:20).",
        "Answer by Bo at 0:09:00 (Tue 09:09): Call the ministry and run provenance checks on "
        "the clip",
        "Status: answered.",
        "Result: 10 of 10 points.",
        "",
        heads[1],
        "Title: The platform's trust and safety team asks for an official assessment",
        "The platform can label or remove the clip but needs an authoritative statement that "
        "it is fabricated. They attach their own quick analysis.",
    ]
    # An attachment keeps its lines; a checklist's items; a deadline that passed.
    attachment = at("Attachment platform-analysis.txt:")
    assert lines[attachment + 1].startswith("Lip-sync drift of 80-120 ms after 0:12;")
    assert lines[attachment + 2] == "the podium; audio spectrum shows a vocoder band at 7-8 kHz."
    assert lines[at("Question 1 of 1: Which verification steps") + 1] == (
        "Tick every item that applies."
    )
    assert "  Item 5 of 5: Asked for removal before any verification" in lines
    assert "Status: missed, the deadline passed with no answer." in lines
    assert lines[at(heads[5]) :].count("Status: open.") == 1
    # People's words as they wrote them (the view makes them visible, never markup).
    assert lines[at(heads[2]) + 1] == HOSTILE
    assert lines[at(heads[6]) + 1] == "The clip is labelled."


async def test_t_opens_the_transcript_as_text_that_follows_play_and_esc_closes_it() -> None:
    server, control, amira = _session()
    app = _app(amira)
    async with app.run_test(size=(80, 24)) as pilot:
        console = app.console_screen
        assert isinstance(console, TeamScreen)
        await until(pilot, lambda: len(console.model.inbox) == 4, "the four injects")

        def reader_keys() -> list[FooterKey]:
            return [k for k in console.query(FooterKey) if k.key == "t" and k.region.width]

        # The footer lays its keys out on a later refresh than the inbox's rows.
        await until(pilot, lambda: bool(reader_keys()), "t laid out in the footer")
        keys = reader_keys()
        assert keys[0].region.right <= 80, "t in the footer, on screen at 80 columns"
        assert keys[0].description == "Reader"
        await _open(pilot)
        area = _area(app)
        assert app.focused is area and area.read_only
        text = area.text
        # Text, never markup; the escape shown, not sent to the terminal.
        assert "Is it [bold red]fake[/]? ␛[2J[@click=app.quit]x" in text, text
        assert "\x1b" not in text
        assert text.startswith("Transcript: Deepfake at the summit\nTeam: National CERT, you")
        # The reader moves down; play goes on: the new inject joins the text, the cursor stays.
        await pilot.press("down", "down", "down")
        place = area.cursor_location
        assert place[0] >= 2, place
        send(server, control, c.Resume())
        server.advance_to(45 * M)
        send(server, control, c.Broadcast(text="Ten minutes to the press conference."))
        await until(
            pilot, lambda: "Ten minutes to the press conference." in _area(app).text, "follow"
        )
        assert _area(app).cursor_location == place, "the reader's place kept"
        # l: the start of the latest inject or message.
        await pilot.press("l")
        await pilot.pause()
        area = _area(app)
        row = area.cursor_location[0]
        assert area.document[row] == "0:45:00 (Tue 09:45). Broadcast from Control:"
        top = area.wrapped_document.location_to_offset((row, 0)).y
        assert area.scroll_offset.y == min(top, area.max_scroll_y), "the latest at the top"
        await pilot.press("home", "up", "up", "up", "l")  # from near the start, too
        await pilot.pause()
        assert area.scroll_offset.y == min(top, area.max_scroll_y) and area.scroll_offset.y > 0
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is console, "back to the console")


def _open_app() -> ConsoleApp[Any]:
    return _app()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_transcript_snapshot(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(_open_app(), terminal_size=size, run_before=_open)
