"""The player briefing (issue 12): before the first inject the team console shows the
team, its role, the scenario's briefing for everyone and for the role, how to answer
and what the channels are, instead of "No inject yet"; ``i`` opens it again later.

The welcome is made by the server's own welcome builder (a fake server) from the
bundled summit scenario, whose briefing is part of the scenario file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from engine import commands as c
from engine.net.protocol import Welcome
from engine.scenario import load_file
from tests.tui.pilots import until
from tests.tui.scripted import ROOT, SCENARIO_PATH, M, ScriptedLink, fake_server, send
from tui.console.base import ConsoleApp
from tui.team.app import TeamScreen, make_team_app
from tui.team.briefing import BriefingPane, BriefingScreen
from tui.team.inject_view import InjectView

SCENARIO = load_file(SCENARIO_PATH).require()
FLAGSHIP = ROOT / "scenarios" / "summit-flagship.yaml"


def pane_text(pane: BriefingPane) -> str:
    """Everything the briefing draws (its Markdown included), as one line of words."""
    leaves = [w for w in pane.query("*") if not w.children]
    drawn = [w.render_line(y).text for w in leaves for y in range(w.size.height)]
    return " ".join(" ".join(drawn).split())


def before_start(team: str = "cert", path: Path = SCENARIO_PATH) -> tuple[Any, Any, Any]:
    server = fake_server(1, path)
    control = server.link("facilitator:control")
    link = server.link(f"team:{team}", "Amira")
    return server, control, link


async def _briefing(pilot: Any, app: ConsoleApp[Any]) -> BriefingPane:
    console: TeamScreen = app.console_screen
    await until(pilot, lambda: console.query(BriefingPane), "the briefing")
    await pilot.pause()
    return console.query_one(BriefingPane)


def words(text: str, count: int = 8) -> str:
    return " ".join(text.split()[:count])


async def test_before_the_first_inject_the_team_reads_its_briefing() -> None:
    _server, _control, team = before_start("comms")
    app: ConsoleApp[Any] = make_team_app(link=ScriptedLink(team.drain()))
    async with app.run_test(size=(120, 48)) as pilot:
        text = pane_text(await _briefing(pilot, app))
        comms = next(t for t in SCENARIO.teams if t.id == "comms")
        assert "No inject yet. New injects appear" not in text
        assert "Team: Government communications" in text and "you are Amira" in text
        assert words(comms.role, 5) in text, "what the role does"
        assert words(SCENARIO.briefing) in text, "the scenario's briefing for everyone"
        assert words(comms.briefing) in text, "the role's own briefing"
        cert = next(t for t in SCENARIO.teams if t.id == "cert")
        assert words(cert.briefing) not in text, "not another role's"
        assert "How to answer" in text and "Submit" in text
        assert "The channels" in text and "Feed (2)" in text and "Messages (3)" in text
        assert "Wire-service reporter" in text, "who the team can write to"


async def test_the_first_inject_replaces_the_briefing_and_i_brings_it_back() -> None:
    server, control, team = before_start()
    link = ScriptedLink(team.drain())
    app: ConsoleApp[Any] = make_team_app(link=link)
    async with app.run_test(size=(120, 40)) as pilot:
        await _briefing(pilot, app)
        send(server, control, c.Start())
        server.advance_to(6 * M)
        link.push(*team.drain())
        console = app.console_screen
        await until(pilot, lambda: not console.query(BriefingPane), "the first inject")
        assert console.query_one(InjectView).entry is not None
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, BriefingScreen), "the briefing again")
        text = pane_text(app.screen.query_one(BriefingPane))
        assert words(SCENARIO.briefing) in text
        assert "No inject yet" not in text, "play has started: the waiting line goes"
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is console, "the console")


async def test_a_scenario_without_a_briefing_still_says_who_and_how(tmp_path: Path) -> None:
    text = SCENARIO_PATH.read_text(encoding="utf-8")
    bare = tmp_path / "bare.yaml"
    lines = text.splitlines(keepends=True)
    start = next(k for k, line in enumerate(lines) if line.startswith("briefing:"))
    end = next(k for k in range(start + 1, len(lines)) if lines[k].strip() and lines[k][0] != " ")
    bare.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    assert load_file(bare).require().briefing == ""
    _server, _control, team = before_start("grid", bare)
    app: ConsoleApp[Any] = make_team_app(link=ScriptedLink(team.drain()))
    async with app.run_test(size=(80, 24)) as pilot:
        shown = pane_text(await _briefing(pilot, app))
        assert "Team: Grid operator" in shown and "How to answer" in shown


async def test_the_flagship_welcome_carries_each_tracks_briefing() -> None:
    flagship = load_file(FLAGSHIP).require()
    assert flagship.briefing
    server = fake_server(1, FLAGSHIP)
    for role in flagship.teams:
        assert role.briefing, f"{role.id} has no briefing"
        welcome = next(
            m for m in server.link(f"team:{role.id}", "Jo").drain() if isinstance(m, Welcome)
        )
        briefing = welcome.exercise["briefing"]
        assert briefing["text"] == flagship.briefing
        assert briefing["role_text"] == role.briefing
        assert briefing["role"] == role.name


ODD = "Read [bold red]this[/] and [/] then [@click=app.quit]"
ODD_SCENARIO = f"""\
id: odd
title: Odd
duration: 1h
briefing: "{ODD}"
teams:
  - {{id: cert, name: "[b]CERT[/b]", role: "[/] [reverse]", briefing: "Yours: {ODD}"}}
"""


async def test_a_briefing_is_the_authors_text_never_markup(tmp_path: Path) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text(ODD_SCENARIO, encoding="utf-8")
    assert load_file(path).require().briefing == ODD
    _server, _control, team = before_start("cert", path)
    app: ConsoleApp[Any] = make_team_app(link=ScriptedLink(team.drain()))
    async with app.run_test(size=(120, 40)) as pilot:
        shown = pane_text(await _briefing(pilot, app))
        assert "Team: [b]CERT[/b]" in shown
        assert "[/] [reverse]" in shown
        assert ODD in shown and f"Yours: {ODD}" in shown
