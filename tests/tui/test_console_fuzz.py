"""Console fuzz (issue 11): generated scenarios and messages whose every text field
carries markup, terminal escapes, bidi and zero-width characters, or runs to
thousands of characters, fed to the team, facilitator, observer, evaluator and
preview consoles. None may crash; each shows the text literally (made visible)
and puts no control, bidi or invisible character on the screen.

Bounded: a few examples per console (``SITROOM_FUZZ_EXAMPLES`` raises it), each
a second or two. Derandomised unless ``SITROOM_FUZZ_RANDOM`` is set, like the
loader's fuzz.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import OptionList, RichLog, TabbedContent

from engine.commands import MAX_SHORT
from engine.net.fake import FakeServer
from tests.tui.hostile import (
    BIDI,
    ESCAPES,
    INVISIBLE,
    MARKUP,
    assert_literal,
    assert_safe,
    play,
    shown,
    write_scenario,
)
from tests.tui.pilots import until
from tui.evaluator.app import GradeCard, make_evaluator_app
from tui.facilitator.app import make_facilitator_app
from tui.preview.app import make_preview_app
from tui.preview.widgets import TimelineTable
from tui.team.app import make_team_app
from tui.team.feed import FeedCard
from tui.team.inbox import InboxList
from tui.team.inject_view import InjectView

SIZE = (120, 40)
EXAMPLES = int(os.environ.get("SITROOM_FUZZ_EXAMPLES", "0")) or 4
"""Examples per console (five consoles: 20 in all by default)."""

PIECES = (*MARKUP, *ESCAPES, *BIDI, *INVISIBLE)
control = st.characters(categories=("Cc", "Cf", "Zl", "Zp"))
words = st.text(
    st.characters(categories=("L", "N", "P", "S", "Zs", "Mn"), exclude_characters="\\"),
    min_size=1,
    max_size=12,
)
piece = st.one_of(st.sampled_from(PIECES), words, control)
short = st.lists(piece, min_size=1, max_size=6).map(" ".join)
long = st.tuples(short, st.integers(1_000, 10_000)).map(
    lambda unit_size: ((unit_size[0] + " ") * (unit_size[1] // (len(unit_size[0]) + 1) + 1))[
        : unit_size[1]
    ]
)
trouble = st.one_of(short, short, short, long)
"""A text: a few pieces of trouble and words, or (one time in four) a very long one."""

BODIES = frozenset(f"body-{i}" for i in "DCTGH")
"""Markdown: shown safe, but not literally (Markdown has its own syntax)."""


async def frame(pilot: Any) -> None:
    """Let the console draw a frame. Keys are not pressed, actions are called: Pilot waits
    for an idle CPU after each key, which can take a second."""
    await pilot.pause(0.05)


def fuzz_settings() -> settings:
    return settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=not os.environ.get("SITROOM_FUZZ_RANDOM"),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


class Texts:
    """Each field's text, drawn the first time it is asked for."""

    def __init__(self, data: st.DataObject) -> None:
        self.data = data
        self.drawn: dict[str, str] = {}

    def __call__(self, field: str) -> str:
        if field not in self.drawn:
            self.drawn[field] = f"{field} " + self.data.draw(trouble, label=field)
        return self.drawn[field]

    def expected(self, *fields: str) -> dict[str, str]:
        return {f: self.drawn[f] for f in fields if f in self.drawn and f not in BODIES}


def run(check: Callable[[Texts, Path], Coroutine[Any, Any, None]], data: st.DataObject) -> None:
    texts = Texts(data)
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(check(texts, Path(folder)))


def serve(texts: Texts, folder: Path) -> tuple[FakeServer, dict[str, str]]:
    server = FakeServer.from_file(write_scenario(folder / "fuzz.yaml", texts), 1, wall=lambda: 0.0)
    return server, play(server, texts)


def members_of(members: dict[str, str]) -> dict[str, str]:
    return {k: v[:MAX_SHORT] for k, v in members.items()}


SCENARIO = ("scenario-title", "actor-name", *(f"title-{i}" for i in "DCTGH"))


async def team(texts: Texts, folder: Path) -> None:
    fake, members = serve(texts, folder)
    app = make_team_app(link=fake.link("team:a", members["member-1"]))
    seen: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        screen = app.console_screen
        await until(pilot, lambda: len(screen.model.inbox) == 5, "five injects")
        inbox = screen.query_one(InboxList)
        view = screen.query_one(InjectView)
        for index in range(inbox.option_count):
            inbox.highlighted = index
            wanted = inbox.get_option_at_index(index).id

            def opened(w: str | None = wanted) -> bool:
                return view.entry is not None and view.entry.inject == w

            await until(pilot, opened, "it")
            await frame(pilot)
            seen += shown(app)
        for tab in ("feed", "messages", "log"):
            screen.action_tab(tab)
            if tab == "feed":
                await until(pilot, lambda: len(screen.query(FeedCard)) == 2, "the feed")
            await frame(pilot)
            seen += shown(app)
        assert app.is_running
    assert_safe(seen)
    fields = (*SCENARIO, "prompt-pick", "option-good", "option-bad", "prompt-list", "item-1")
    fields += ("item-2", "prompt-say", "reply", "question-open", "team-note", "broadcast")
    assert_literal(seen, texts.expected(*fields) | members_of(members), prefix=60)


async def control_room(texts: Texts, folder: Path, role: str) -> None:
    fake, members = serve(texts, folder)
    seat = "observer:observer" if role == "observer" else "facilitator:control"
    app = make_facilitator_app(
        role="observer" if role == "observer" else "facilitator", link=fake.link(seat)
    )
    seen: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        screen = app.console_screen
        await until(pilot, lambda: len(screen.model.open_questions()) == 2, "the questions")
        # The pause is the last thing played: everything before it is folded too (the
        # team's note came after the questions, and was once not yet shown).
        await until(pilot, lambda: screen.model.clock.status == "paused", "the pause")
        log = screen.query_one("#event-log", RichLog)
        for tab in ("msel", "teams", "simcell", "log", "scores"):
            screen.action_tab(tab)
            if tab == "log":
                # A RichLog holds back what it was given while hidden until it has a size.
                await until(
                    pilot,
                    lambda: log._size_known and not log._deferred_renders,
                    "the event log drawn",
                )
            await frame(pilot)
            seen += shown(app)
        assert app.is_running
    assert_safe(seen)
    fields = (*SCENARIO, "team-a", "team-b", "question-open", "question-b", "team-note", "note")
    assert_literal(seen, texts.expected(*fields) | members_of(members), prefix=60)


async def evaluator(texts: Texts, folder: Path) -> None:
    fake, members = serve(texts, folder)
    app = make_evaluator_app(link=fake.link("evaluator:lead"))
    seen: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        screen = app.console_screen
        teams = screen.query_one("#team-list", OptionList)
        await until(pilot, lambda: teams.option_count == 2, "the teams")
        for index in range(2):
            teams.highlighted = index
            await until(pilot, lambda: len(screen.query(GradeCard)) == 4, "the cards")
            for tab in ("grade", "objectives", "observe"):
                screen.query_one(TabbedContent).active = tab
                await frame(pilot)
                seen += shown(app)
        assert app.is_running
    assert_safe(seen)
    fields = ("team-a", "team-b", *(f"title-{i}" for i in "DCTG"), "prompt-brief", "rubric")
    fields += ("answer-say", "answer-g", "objective-title")
    assert_literal(seen, texts.expected(*fields) | members_of(members), prefix=60)


async def preview(texts: Texts, folder: Path) -> None:
    path = write_scenario(folder / "fuzz.yaml", texts)
    app = make_preview_app(path, poll=0)
    seen: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.preview is not None, "the first load")
        for tab in ("timeline", "branches", "load", "problems"):
            app.action_tab(tab)
            await frame(pilot)
            seen += shown(app)
        app.action_tab("timeline")
        table = app.query_one(TimelineTable)
        for _ in range(5):  # each inject's details
            table.action_cursor_down()
            await frame(pilot)
            seen += shown(app)
        assert app.is_running
    assert_safe(seen)
    assert_literal(
        seen, texts.expected("scenario-title", *(f"title-{i}" for i in "DCTGH")), prefix=60
    )


@pytest.mark.parametrize("console", ["team", "facilitator", "observer", "evaluator", "preview"])
@fuzz_settings()
@given(data=st.data())
def test_no_console_crashes_on_generated_hostile_text(console: str, data: st.DataObject) -> None:
    checks: dict[str, Callable[[Texts, Path], Coroutine[Any, Any, None]]] = {
        "team": team,
        "facilitator": lambda t, f: control_room(t, f, "facilitator"),
        "observer": lambda t, f: control_room(t, f, "observer"),
        "evaluator": evaluator,
        "preview": preview,
    }
    run(checks[console], data)
