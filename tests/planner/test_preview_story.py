"""Story time in the preview (issue 15): for a scenario with a ``start``, each inject's
earliest time is shown with the story clock's time then, in the printed preview and
in the app's timeline and details; a scenario without one is shown as before.

The story's time is read from :func:`engine.storyclock.story_clock`, the function the
consoles, the wall and the report read, so the expected texts here come from it too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.scenario import load_file
from engine.storyclock import story_clock
from tests.engine.conftest import FIXTURE
from tests.planner.test_preview import detail, loaded, timeline
from tui.cli import main
from tui.preview.app import make_preview_app

LIBRARY = Path(__file__).resolve().parents[2] / "scenarios"
AGENT = LIBRARY / "agent-excessive-agency.yaml"
"""Has a start (Thursday 07:00) and a jump at 1:48 to 13:20 (XA-71)."""
ELECTION = LIBRARY / "election-disinfo.yaml"

ROW = re.compile(r"^ *(≥?\d+:\d\d~?) +(≥?\w{3} \d\d:\d\d~?) +(\S+) ")


def printed(capsys: pytest.CaptureFixture[str], scenario: Path) -> str:
    """``sitroom preview FILE | less``: the plain-text preview (stdout is not a tty)."""
    assert main(["preview", str(scenario)]) == 0
    return capsys.readouterr().out


def test_the_printed_timeline_gives_each_inject_its_story_time(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = printed(capsys, AGENT)
    sc = load_file(AGENT).require()
    clock = story_clock(sc)
    assert clock is not None
    head = next(line for line in text.splitlines() if line.lstrip().startswith("Time "))
    assert re.match(r"^ +Time +Story +Id ", head), head
    rows = {m[3]: (m[1], m[2]) for line in text.splitlines() if (m := ROW.match(line))}
    assert len(rows) >= 60, "most injects have a time and a story time"
    for inject, (time, story) in rows.items():
        hours, minutes = time.strip("≥~").split(":")
        text = clock.text((int(hours) * 60 + int(minutes)) * 60_000)
        # ≥ (after an answer) and ~ (jitter) qualify the story time as they do the time
        assert story == time.replace(time.strip("≥~"), text), inject
    # The phase jump: 1:48 is 13:20 in the story, not 08:48.
    assert rows["XA-71"] == ("1:48", "Thu 13:20")
    assert rows["XA-57"] == ("1:45", "Thu 08:45")


def test_a_discussion_row_gives_the_story_time_too(capsys: pytest.CaptureFixture[str]) -> None:
    text = printed(capsys, ELECTION)
    assert "  0:43   Fri 15:43  ‖ Module 1 discussion: Friday afternoon" in text


def test_a_scenario_without_a_start_has_no_story_column(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert story_clock(load_file(FIXTURE).require()) is None
    text = printed(capsys, FIXTURE)
    assert "Story" not in text
    assert "\n  Time  Id       Pb   a   b        Title\n" in text
    assert "\n  0:10  A1            ●   ●        Opening decision\n" in text


async def test_the_app_shows_the_story_column_and_the_story_time_in_the_details() -> None:
    app = make_preview_app(AGENT, poll=0)
    async with app.run_test(size=(160, 48)) as pilot:
        await loaded(pilot)
        table = timeline(app)
        assert [str(c.label) for c in table.ordered_columns[:3]] == ["Time", "Story", "Id"]
        assert table.select_key("XA-71")
        await pilot.pause()
        row = table.get_row("XA-71")
        assert (str(row[0]), str(row[1])) == ("1:48", "Thu 13:20")
        assert "\nWhen  1:48 (story Thu 13:20)" in detail(app)


async def test_at_80_columns_the_story_time_is_in_the_details_only() -> None:
    """Five roles' lanes at 80 columns leave the titles no room for a story column:
    the selected inject's details give it, beside its time."""
    app = make_preview_app(AGENT, poll=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        table = timeline(app)
        assert "Story" not in [str(c.label) for c in table.ordered_columns]
        assert table.select_key("XA-71")
        await pilot.pause()
        assert "\nWhen  1:48 (story Thu 13:20)" in detail(app)


async def test_the_app_has_no_story_column_without_a_start() -> None:
    app = make_preview_app(FIXTURE, poll=0)
    async with app.run_test(size=(160, 48)) as pilot:
        await loaded(pilot)
        assert [str(c.label) for c in timeline(app).ordered_columns[:2]] == ["Time", "Id"]
        assert "story" not in detail(app)
