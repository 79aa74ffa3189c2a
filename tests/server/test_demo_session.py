"""The demo's headless half (``engine.demo``): a real server in-process, bots as real
clients, a conductor that starts the clock and has the report written at the end.

No console here: the consoles' side is ``tests/tui/test_demo.py``. The report
writer is passed in (reports are ``scoring``'s); here it only records the call.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from engine.demo.bots import BotEvaluator, BotTeam
from engine.demo.session import DemoError, DemoOptions, DemoSession
from engine.eventlog import EventLog


async def test_the_bots_play_to_the_end_and_the_report_is_written(tmp_path: Path) -> None:
    written: list[Path] = []

    def write(log: Path) -> str:
        written.append(log)
        return f"report of {log.name}"

    session = DemoSession(DemoOptions(speed=3600, log_dir=tmp_path), write)
    reports: list[tuple[str | None, str]] = []
    session.on_report = lambda report, error: reports.append((report, error))
    await session.start()
    try:
        await asyncio.wait_for(session.ended.wait(), 60)
        for _ in range(500):
            if reports:
                break
            await asyncio.sleep(0.01)
    finally:
        await session.stop()
    assert reports == [(f"report of {session.db.name}", "")] and written == [session.db]
    teams = [b for b in session.bots if isinstance(b, BotTeam)]
    (grader,) = [b for b in session.bots if isinstance(b, BotEvaluator)]
    assert {b.team for b in teams} == set(session.bot_teams)
    assert all(b.sent > 0 and b.unreadable == 0 for b in teams)
    # The evaluator bot grades in its seat's name: nothing refused as someone else's.
    assert not [r for b in session.bots for r in b.refused if "grade as" in r or "play team" in r]
    with EventLog.open(session.db, readonly=True) as log:
        events = list(log.events())
    answered = {e.team for e in events if e.kind == "respond"}
    assert answered == set(session.bot_teams)  # your team is yours: no bot answers for it
    grades = [e for e in events if e.kind == "grade"]
    assert grades and grader.sent == len(grades)
    assert all(e.payload["evaluator"] == "lead" for e in grades)
    assert any(e.kind == "ended" for e in events)


def test_bad_options_say_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(DemoError, match="no such scenario"):
        DemoSession(DemoOptions(scenario=tmp_path / "none.yaml"), str)
    with pytest.raises(DemoError, match="no team"):
        DemoSession(DemoOptions(team="nobody", log_dir=tmp_path), str)
