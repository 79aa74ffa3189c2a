"""Every part of the control room is usable at 80x24, and uses the room at 160x48
(issue 12, bug 7 and the column widths of bug 12).

At 80 columns the toolbar stopped at "Releas" (Broadcast and End off screen), the
footer was cut, the MSEL and team columns ran off the right edge. At 160 columns
titles and team names were cut with free space to their right.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.widget import Widget
from textual.widgets import Button, DataTable, OptionList
from textual.widgets._footer import FooterKey

from tests.tui.pilots import until
from tests.tui.scripted import ScriptedLink, fake_server, staff_traffic
from tui.console.base import ConsoleApp
from tui.console.screens import ConfirmScreen
from tui.evaluator.app import make_evaluator_app
from tui.facilitator.app import make_facilitator_app
from tui.facilitator.table_view import TableScreen
from tui.facilitator.tables import MselTable, TeamGrid

NARROW = (80, 24)
WIDE = (160, 48)
TOOLBAR = ("start", "pause", "speed", "jump", "release", "broadcast", "end")


def on_screen(widget: Widget, size: tuple[int, int]) -> bool:
    """Whether the widget is shown whole inside a terminal of ``size``."""
    region = widget.region
    width, height = size
    return (
        region.width > 0
        and region.height > 0
        and region.x >= 0
        and region.y >= 0
        and region.right <= width
        and region.bottom <= height
    )


def visible_columns(table: DataTable[Any]) -> list[str]:
    """Labels of the columns drawn whole without scrolling sideways."""
    room = table.scrollable_content_region.width
    shown, used = [], 0
    for column in table.ordered_columns:
        used += column.get_render_width(table)
        if used > room:
            break
        shown.append(column.label.plain)
    return shown


async def _room(pilot: Any, app: ConsoleApp[Any]) -> Any:
    console = app.console_screen
    await until(pilot, lambda: console.model.scenario is not None, "the welcome")
    await until(pilot, lambda: console.query_one(MselTable).row_count > 0, "the MSEL")
    await pilot.pause()
    return console


async def test_the_toolbar_footer_and_tables_fit_80_columns() -> None:
    messages, _ = staff_traffic()  # started, paused: Start is gone, Pause reads Resume
    app: ConsoleApp[Any] = make_facilitator_app(link=ScriptedLink(messages))
    async with app.run_test(size=NARROW) as pilot:
        console = await _room(pilot, app)
        shown = [b for b in TOOLBAR if console.query_one(f"#{b}", Button).display]
        assert shown == list(TOOLBAR[1:]), shown
        off = [b for b in shown if not on_screen(console.query_one(f"#{b}", Button), NARROW)]
        assert off == [], f"toolbar buttons off screen: {off}"
        keys = list(console.query(FooterKey))
        assert keys and all(on_screen(k, NARROW) for k in keys), [(k.key, k.region) for k in keys]
        assert "help" in {k.action for k in keys}
        msel = visible_columns(console.query_one(MselTable))
        assert msel == ["Inject", "When", "Title", "Status across teams", "Opened"], msel
        await pilot.press("2")
        await pilot.pause()
        teams = visible_columns(console.query_one(TeamGrid))
        key = ["Team", "Score", "Overdue", "Answered", "Delivered", "Members"]
        assert teams[: len(key)] == key, teams


async def test_before_the_start_the_whole_toolbar_fits_80_columns() -> None:
    server = fake_server(1)
    app: ConsoleApp[Any] = make_facilitator_app(link=server.link("facilitator:control"))
    async with app.run_test(size=NARROW) as pilot:
        console = await _room(pilot, app)
        off = [b for b in TOOLBAR if not on_screen(console.query_one(f"#{b}", Button), NARROW)]
    assert off == [], f"toolbar buttons off screen: {off}"


@pytest.mark.parametrize("key", ["r", "h", "c", "B", "j", "x", "E"])
async def test_each_dialog_fits_80x24_with_its_buttons_on_screen(key: str) -> None:
    messages, _ = staff_traffic()
    app: ConsoleApp[Any] = make_facilitator_app(link=ScriptedLink(messages))
    async with app.run_test(size=NARROW) as pilot:
        console = await _room(pilot, app)
        await pilot.press(key)
        await until(pilot, lambda: app.screen is not console, "the dialog")
        await pilot.pause()
        dialog = app.screen
        buttons = (
            ["#confirm", "#cancel"] if isinstance(dialog, ConfirmScreen) else ["#ok", "#cancel"]
        )
        off = [b for b in buttons if not on_screen(dialog.query_one(b, Button), NARROW)]
    assert off == [], f"{type(dialog).__name__}: {off} off screen"


async def test_the_table_view_fits_80x24() -> None:
    messages, _ = staff_traffic()
    app: ConsoleApp[Any] = make_facilitator_app(link=ScriptedLink(messages))
    async with app.run_test(size=NARROW) as pilot:
        console = await _room(pilot, app)
        await pilot.press("2", "enter")
        await until(pilot, lambda: isinstance(app.screen, TableScreen), "the table view")
        await pilot.pause()
        screen = app.screen
        parts = [screen.query_one("#table-head"), *screen.query(FooterKey)]
        assert all(on_screen(p, NARROW) for p in parts), [p.region for p in parts]
        assert console is not screen


async def test_at_160_columns_titles_and_names_use_the_free_width() -> None:
    messages, roster = staff_traffic()
    app: ConsoleApp[Any] = make_facilitator_app(link=ScriptedLink(messages))
    async with app.run_test(size=WIDE) as pilot:
        console = await _room(pilot, app)
        msel = console.query_one(MselTable)
        room = msel.scrollable_content_region.width
        used = sum(c.get_render_width(msel) for c in msel.ordered_columns)
        longest = max(len(i.title) for i in console.model.scenario.injects)
        title = msel.columns[next(k for k in msel.columns if k.value == "title")].width
        await pilot.press("2")
        await pilot.pause()
        grid = console.query_one(TeamGrid)
        name = grid.columns[next(k for k in grid.columns if k.value == "name")].width
    assert room - 2 <= used <= room, (used, room)
    # What the other columns leave at 160 (their widest, the Opened count's 8 included).
    assert title >= min(longest, 66), (title, longest)
    assert name >= max(len(t.name) for t in roster.teams), name


async def test_the_evaluator_lists_one_team_a_line_at_80_columns() -> None:
    messages, roster = staff_traffic(role="evaluator")
    app: ConsoleApp[Any] = make_evaluator_app(link=ScriptedLink(messages))
    async with app.run_test(size=NARROW) as pilot:
        console = app.console_screen
        teams = console.query_one("#team-list", OptionList)
        await until(pilot, lambda: teams.option_count == len(roster.teams), "the teams")
        # The footer is laid out on a later refresh than the list is filled (a CI run on a
        # loaded machine read every key's region as empty after one pause).
        await until(
            pilot,
            lambda: (keys := list(console.query(FooterKey))) and all(k.region.width for k in keys),
            "the footer laid out",
        )
        lines = teams.virtual_size.height
        keys = list(console.query(FooterKey))
        assert keys and all(on_screen(k, NARROW) for k in keys), [k.region for k in keys]
    assert lines == len(roster.teams), (lines, len(roster.teams))
