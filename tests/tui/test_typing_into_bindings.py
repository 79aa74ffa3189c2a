"""A player who starts typing a statement before the answer box has the keyboard (the
inject opened with ``n``, the focus still on the inbox) sends every letter to the
console's bindings in one burst: ``t`` opens the transcript, ``l`` jumps in it, Esc or
``t`` closes it, ``?`` opens help, and so on, all before the console has drawn a frame.
Nothing of that may crash the console.

Found in tmux at 80x24: the transcript's scroll to the latest block, deferred to after
the next refresh, ran once Esc had closed the screen, and the console died with
``NoMatches``. Headless, Pilot refreshes at once, so no burst of keys reproduces that
race (the burst tests pass on the tree before the fix too): the test of the closed
transcript makes the late calls by hand, and fails there. The bursts guard the rest of
the class, any key of the console pressed in any order before a frame is drawn: the
keys are queued at once as a terminal delivers typing
(:func:`tests.tui.pilots.queue_keys`), a sentence and generated bursts.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.tui.pilots import queue_keys, until
from tests.tui.scripted import ScriptedLink, team_traffic
from tui.console.base import ConsoleApp
from tui.team.app import TeamScreen, make_team_app
from tui.team.transcript import TranscriptScreen

SENTENCE = (
    "Yes: overnight criminals tricked our chat assistant into moving some customers' "
    "numbers to SIM cards they control. We have stopped these changes and are returning "
    "the numbers. If your phone loses signal, call us from another phone or visit a shop."
)
EXAMPLES = int(os.environ.get("SITROOM_FUZZ_EXAMPLES", "0")) or 6


async def _burst(text: str) -> None:
    app: ConsoleApp[Any] = make_team_app(link=ScriptedLink(team_traffic()))
    async with app.run_test(size=(80, 24)) as pilot:
        console = app.console_screen
        assert isinstance(console, TeamScreen)
        await until(pilot, lambda: len(console.model.inbox) >= 3, "the injects")
        handled = queue_keys(app, text)
        await until(pilot, handled.is_set, "the keys handled")
        # A key that opened a screen hands the ones after it on: let them all land.
        await pilot.pause()
        await pilot.pause()
        # Whatever the keys opened, Esc brings the player back; the console still runs.
        for _ in range(6):
            if app.screen is console:
                break
            await pilot.press("escape")
        await pilot.pause()
        assert app.is_running
        assert app.screen is console


async def test_a_sentence_typed_into_the_inbox_crashes_nothing() -> None:
    await _burst(SENTENCE)


async def test_the_transcript_closed_ignores_its_timer_and_deferred_scroll() -> None:
    # In a terminal, "l" pressed where the text is already at the latest block changes
    # nothing on screen, so its scroll waits for the next refresh: the one Esc's closing
    # makes. It then ran on a screen with no text area left (NoMatches, the console
    # gone). Headless, Pilot refreshes at once, so the late calls are made here by hand,
    # as the refresh and the one-second follow timer make them.
    app: ConsoleApp[Any] = make_team_app(link=ScriptedLink(team_traffic()))
    async with app.run_test(size=(80, 24)) as pilot:
        console = app.console_screen
        await until(pilot, lambda: len(console.model.inbox) >= 3, "the injects")
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TranscriptScreen), "the transcript")
        screen = app.screen
        assert isinstance(screen, TranscriptScreen)
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is console, "back to the console")
        screen.action_latest()
        screen.follow()
        await pilot.pause()
        assert app.is_running and app.screen is console


KEYS = "tl?nbjk1234 "  # the team console's and the transcript's one-letter keys


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("SITROOM_FUZZ_RANDOM"),
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.text(st.sampled_from(KEYS + "abcdefghiopqrsuvwxyz.:,'"), min_size=4, max_size=40))
def test_bursts_of_the_consoles_keys_crash_nothing(text: str) -> None:
    asyncio.run(_burst(text))
