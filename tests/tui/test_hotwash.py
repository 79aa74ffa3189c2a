"""The facilitator's hotwash (issue 12): offered when the exercise ends, opened with w,
the scenario's prompts (or the default set) on screen, notes recorded under the prompt
chosen as ``note`` commands of category ``hotwash``, and the feedback forms counted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Input, Static

from engine import commands as c
from engine.feedback import DEFAULT_HOTWASH
from engine.net.fake import FakeServer
from tests.tui.pilots import until
from tests.tui.scripted import SCENARIO_PATH, M, fake_server, send
from tui.console.base import ConsoleApp
from tui.facilitator.app import FacilitatorScreen, make_facilitator_app
from tui.facilitator.hotwash import HotwashScreen


def _notes(server: FakeServer) -> list[c.Note]:
    return [e.body for e in server.events if isinstance(e.body, c.Note)]


def _shown(app: ConsoleApp[Any], selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_the_hotwash_records_notes_under_its_prompts_and_counts_feedback() -> None:
    server = fake_server(1)
    control = server.link("facilitator:control", "Fay")
    team = server.link("team:cert", "Amira")
    send(server, control, c.Start())
    server.advance_to(10 * M)
    app: ConsoleApp[FacilitatorScreen] = make_facilitator_app(link=control)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        room = app.console_screen
        await until(pilot, lambda: room.model.clock.status == "running", "the running clock")
        await pilot.press("w")
        assert app.screen is room, "no hotwash before the end"
        send(server, control, c.End(reason="time"))
        await until(
            pilot,
            lambda: any("w opens the hotwash" in n.message for n in app._notifications),
            "the hotwash offered at the end",
        )
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, HotwashScreen), "the hotwash")
        hotwash = app.screen
        assert isinstance(hotwash, HotwashScreen)
        note = hotwash.query_one("#hotwash-note", Input)
        await until(pilot, lambda: hotwash.focused is note, "the note focused")
        await pilot.pause()
        prompts = hotwash.query_one("#hotwash-prompts")
        shown = "\n".join(prompts.render_line(y).text for y in range(prompts.size.height))
        assert all(p in shown for p in DEFAULT_HOTWASH), shown
        assert "Feedback forms received: 0" in _shown(app, "#hotwash-head")

        await pilot.press(*"Calm", "enter")
        await until(pilot, lambda: len(_notes(server)) == 1, "the first note")
        # Back to the prompts (shift+tab), the next one, and a note under it.
        await pilot.press("shift+tab", "down", "tab", *"Verify", "enter")
        await until(pilot, lambda: len(_notes(server)) == 2, "the second note")
        send(server, team, c.Feedback(team="cert", member="Amira", ratings={"again": 5}))
        await until(
            pilot,
            lambda: (
                "Verify" in _shown(app, "#hotwash-notes-text")
                and "Feedback forms received: 1" in _shown(app, "#hotwash-head")
            ),
            "the notes and the form counted",
        )
        notes = _shown(app, "#hotwash-notes-text")
        assert notes.index(DEFAULT_HOTWASH[0]) < notes.index("Calm")
        assert notes.index(DEFAULT_HOTWASH[1]) < notes.index("Verify")
        assert hotwash.query_one("#hotwash-note", Input).value == "", "cleared once recorded"
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is room, "back to the control room")
    assert _notes(server) == [
        c.Note(author="Fay", text="Calm", category="hotwash", prompt=DEFAULT_HOTWASH[0]),
        c.Note(
            author="Fay",
            text="Verify",
            category="hotwash",
            prompt=DEFAULT_HOTWASH[1],
        ),
    ]


async def test_a_scenarios_own_prompts_replace_the_default_and_observers_only_read(
    tmp_path: Path,
) -> None:
    text = SCENARIO_PATH.read_text(encoding="utf-8")
    own = ["Did the verification chain hold?", "Who spoke for the government, and when?"]
    path = tmp_path / "summit.yaml"
    path.write_text(text + "\nhotwash:\n" + "".join(f"  - {p}\n" for p in own), encoding="utf-8")
    server = FakeServer.from_file(path, 1, wall=lambda: 0.0)
    control = server.link("facilitator:control")
    send(server, control, c.Start())
    send(server, control, c.End())
    observer = server.link("observer:observer", "guest")
    app: ConsoleApp[FacilitatorScreen] = make_facilitator_app(role="observer", link=observer)
    async with app.run_test(size=(160, 48)) as pilot:
        room = app.console_screen
        await until(pilot, lambda: room.model.clock.status == "ended", "the welcome")
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, HotwashScreen), "the hotwash")
        await pilot.pause()
        prompts = app.screen.query_one("#hotwash-prompts")
        shown = "\n".join(prompts.render_line(y).text for y in range(prompts.size.height))
        assert all(p in shown for p in own) and DEFAULT_HOTWASH[0] not in shown, shown
        assert not app.screen.query("#hotwash-note"), "an observer has no field"
