"""``sitroom preview``: the pure model on real scenarios, the app driven by Pilot
(timeline, roles, branches, problems, reload on save), and snapshots of every
screen at 80×24 and 160×48.

Update the snapshots after an intended visual change with ``pytest
tests/planner/test_preview.py --snapshot-update`` and look at them before
committing.
"""

from __future__ import annotations

import argparse
import os
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from engine.scenario import load_bytes, load_file
from engine.scenario.branches import branch_edges, dead_options, describe_condition
from engine.scenario.preview import (
    QUARTER,
    Preview,
    build_preview,
    excerpt,
    rows_for_role,
    sparkline,
)
from tui.commands import preview as preview_command
from tui.preview.app import PreviewApp, make_preview_app
from tui.preview.render import DEFAULT_PALETTE, detail_text, source_text
from tui.preview.widgets import BranchTree, ProblemTable, TimelineTable

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"
EVERY = DATA / "every-feature.yaml"
PROBLEMS = DATA / "preview-problems.yaml"
SUMMIT = ROOT / "scenarios" / "summit-deepfake.yaml"
SIZES = [(80, 24), (160, 48)]


def preview_of(path: Path) -> Preview:
    return build_preview(load_file(path))


# --------------------------------------------------------------------- model


def test_every_feature_timeline_times_and_marks() -> None:
    p = preview_of(EVERY)
    got = [(r.inject, r.time_label, r.flags) for r in p.rows]
    assert got == [
        ("A7", "0:00", ("fixed",)),
        ("A1", "0:05:30", ("fixed",)),
        ("A3", "≥0:05:30", ("conditional", "answer")),
        ("A2", "0:07~", ("fixed",)),  # 1m30s after A1, up to 2m of jitter
        ("A6", "0:15:30", ("contingency", "escalation", "conditional")),
        ("A4", "0:26:30", ("escalation", "conditional")),
        ("A8", "1d 1:01:01", ("fixed",)),
        ("A5", "held", ("contingency",)),
    ]
    assert [r.short for r in p.roles] == ["red", "blu", "gre"]
    a2 = p.row("A2")
    assert a2 is not None and a2.lanes == (True, True, False)
    assert [r.inject for r in rows_for_role(p, "green")] == ["A7", "A1", "A8", "A5"]


def test_every_feature_branches() -> None:
    sc = load_file(EVERY).require()
    edges = branch_edges(sc)
    got = [(e.expectation or e.source, e.outcome, e.target, e.compound) for e in edges]
    assert got == [
        ("A1", "delivered", "A2", False),
        ("A1.choose", "chose a or b", "A3", False),
        ("A1.tick", "no answer by 20m and did not tick one and missed its deadline", "A4", True),
        ("A1.choose", "not met", "A4", True),
        ("A1.say", "not answered", "A4", True),
        ("A1.choose", "no answer by 10m", "A6", False),
        ("A1.tick", "ticked two", "A6", False),
    ]
    assert dead_options(sc, edges) == {"A1.choose": ["c"]}
    a4 = sc.inject_by_id["A4"]
    assert a4.when is not None
    assert describe_condition(a4.when) == (
        "A1.tick did not tick one and (A1.choose not met or A1.say not answered) "
        "and A1.tick missed its deadline"
    )
    a6 = sc.inject_by_id["A6"]
    assert a6.when is not None
    assert describe_condition(a6.when, positive=False) == "A1.tick did not tick two"


def test_every_feature_load_per_quarter() -> None:
    p = preview_of(EVERY)
    load = p.load
    assert load is not None
    assert len(load.starts) == 104  # 1d2h in quarters
    assert load.starts[1] == QUARTER
    assert load.fixed["green"][0] == 2  # A7 at 0, A1 at 5m30s
    assert load.fixed["red"][0] == 2 and load.branch["red"][0] == 1  # A1, A2; A3 on a branch
    assert load.branch["red"][1] == 1 and load.branch["blue"][1] == 1  # A6, A4
    assert load.fixed["green"][100] == 1  # A8 at 1d1h1m
    assert load.held == 1  # A5
    assert load.peak == 3


def test_summit_every_inject_once_in_time_order() -> None:
    p = preview_of(SUMMIT)
    sc = p.scenario
    assert sc is not None and not p.problems
    assert sorted(r.inject for r in p.rows) == sorted(i.id for i in sc.injects)
    times = [r.time for r in p.rows if r.time is not None]
    assert times == sorted(times)
    assert p.rows[-1].inject == "I-08" and p.rows[-1].time_label == "held"
    assert p.held == ("I-08",)
    # "35m after I-13 is delivered, if I-13.holding is not met" is one edge.
    to_i43 = [e for e in p.edges if e.target == "I-43"]
    assert [(e.expectation, e.outcome) for e in to_i43] == [("I-13.holding", "not met")]
    first_move = [e.target for e in p.edges if e.expectation == "I-01.first-move"]
    assert first_move == ["I-15", "I-16", "I-03"]


def test_summit_load_counts_every_timed_inject_per_role() -> None:
    p = preview_of(SUMMIT)
    load = p.load
    assert load is not None
    for k, role in enumerate(p.roles):
        expected = sum(1 for r in p.rows if r.lanes[k] and r.time is not None)
        counted = sum(load.total(role.id, q) for q in range(len(load.starts)))
        assert counted == expected, role.id
    assert len(load.starts) == 10  # 2h30m


def test_every_bundled_scenario_previews() -> None:
    """Whether a scenario is valid is ``sitroom validate``'s test; here: each one
    previews, with every inject on the timeline at a known time."""
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        p = preview_of(path)
        if p.scenario is None or p.errors:
            continue
        assert len(p.rows) == len(p.scenario.injects), path.name
        assert all(r.time_label != "?" for r in p.rows), path.name
        assert p.load is not None and p.load.peak > 0, path.name


def test_problem_placed_at_its_inject() -> None:
    p = preview_of(PROBLEMS)
    assert (p.errors, p.warnings) == (1, 1)
    assert [(r.inject, r.problem.severity) for r in p.problems] == [
        (None, "warning"),
        ("I-03", "error"),
    ]
    row = p.row("I-03")
    assert row is not None and (row.errors, row.warnings) == (1, 0)
    text = detail_text(p, "I-03", DEFAULT_PALETTE).plain
    assert "43:44 injects[2].when.chose: I-01.first has no option 'dney'" in text
    source = source_text(p, p.problems[1].problem, DEFAULT_PALETTE).plain
    assert "43 │     when: {expectation: I-01.first, chose: dney}" in source
    assert "│" + " " * 44 + "^" in source


def test_broken_schema_keeps_the_last_good_scenario() -> None:
    good = load_file(PROBLEMS).scenario
    assert good is not None
    text = PROBLEMS.read_text().replace("due: 15m", "due: soon")
    p = build_preview(load_bytes(text, "x.yaml"), good)
    assert p.stale and p.scenario is good and p.result.scenario is None
    placed = [(r.inject, r.problem.path) for r in p.problems]
    assert placed == [("I-01", "injects[0].expects[0].due")]
    assert len(p.rows) == 6


def test_broken_yaml_with_nothing_to_show() -> None:
    p = build_preview(load_bytes("id: [unclosed\n", "x.yaml"))
    assert p.scenario is None and not p.stale and not p.rows and p.errors == 1
    assert p.problems[0].inject is None


def test_sparkline_and_excerpt() -> None:
    assert sparkline([0, 1, 2, 4], 4) == " ▂▄█"
    assert sparkline([0, 0], 0) == "  "
    assert excerpt("a\nb\nc\nd\n", 1, around=1) == [(1, "a"), (2, "b")]
    assert excerpt("a\n", 0) == []


# ------------------------------------------------------------------- the app


async def loaded(pilot: Pilot[Any], count: int = 1) -> PreviewApp:
    """Wait (bounded) until the app has applied ``count`` loads and settled."""
    app = pilot.app
    assert isinstance(app, PreviewApp)
    for _ in range(400):
        await pilot.pause()
        if app.loads >= count:
            break
    assert app.loads >= count, f"only {app.loads} load(s) applied"
    await pilot.pause()
    await pilot.pause()
    return app


def timeline(app: PreviewApp) -> TimelineTable:
    return app.query_one(TimelineTable)


def detail(app: PreviewApp, pane: str = "#timeline-detail") -> str:
    return str(app.query_one(f"{pane}-text").render())


async def test_open_and_move_through_the_timeline() -> None:
    app = make_preview_app(SUMMIT, poll=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        table = timeline(app)
        assert table.row_count == 44
        assert table.current_key == "I-01"
        assert "I-01 Video of the energy minister" in detail(app)
        await pilot.press("down", "down")
        await pilot.pause()
        assert table.current_key == "I-03"
        text = detail(app)
        assert "If    I-01.first-move chose deny" in text
        assert "I-01.first-move: chose deny" in text  # where it comes from
        await pilot.press("end")
        await pilot.pause()
        assert table.current_key == "I-08"
        assert "when a controller releases it" in detail(app)


async def test_role_filter_cycles_and_keeps_the_selection() -> None:
    app = make_preview_app(SUMMIT, poll=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        table = timeline(app)
        await pilot.press("down", "down")
        assert table.current_key == "I-03"  # comms only
        await pilot.press("r")
        await pilot.pause()
        assert app.role == "cert"
        assert app.preview is not None
        cert = [r.inject for r in rows_for_role(app.preview, "cert")]
        assert table.row_count == len(cert) < 44
        assert table.current_key == "I-16"  # the next inject in time that cert gets
        await pilot.press("R")
        await pilot.pause()
        assert app.role is None and table.row_count == 44
        assert table.current_key == "I-03"  # back where the planner was


async def test_branch_view_and_back_to_the_timeline() -> None:
    app = make_preview_app(SUMMIT, poll=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("b")  # I-01, selected in the timeline, in the branches
        await pilot.pause()
        await pilot.pause()
        tree = app.query_one(BranchTree)
        assert app.query_one("#tabs").active == "branches"  # type: ignore[attr-defined]
        assert tree.current_inject == "I-01"
        await pilot.press("down", "down")  # first-move, then its first outcome
        await pilot.pause()
        node = tree.cursor_node
        assert node is not None and node.data is not None
        assert node.data.key == "I-01.first-move>I-15"
        assert "I-15 The crisis cell calls" in detail(app, "#branch-detail")
        await pilot.press("enter")
        await pilot.pause()
        assert app.query_one("#tabs").active == "timeline"  # type: ignore[attr-defined]
        assert timeline(app).current_key == "I-15"


async def test_problem_shown_at_its_inject(tmp_path: Path) -> None:
    app = make_preview_app(PROBLEMS, poll=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        table = timeline(app)
        badge = table.get_cell("I-03", "problems")
        assert str(badge) == "✗1"
        assert str(table.get_cell("I-01", "problems")) == ""
        await pilot.press("n")
        await pilot.pause()
        assert table.current_key == "I-03"
        assert "I-01.first has no option 'dney'" in detail(app)
        await pilot.press("4")
        await pilot.pause()
        problems = app.query_one(ProblemTable)
        assert problems.row_count == 2
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.query_one("#tabs").active == "timeline"  # type: ignore[attr-defined]
        assert table.current_key == "I-03"


async def test_reload_on_save_keeps_the_place(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    shutil.copy(SUMMIT, path)
    app = make_preview_app(path, poll=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("r", "r")  # comms
        await pilot.press("down", "down", "down")
        await pilot.pause()
        table = timeline(app)
        place = table.current_key
        assert app.role == "comms" and place == "I-16"
        # Break the file: a test for an option the decision does not have.
        text = path.read_text()
        path.write_text(text.replace("chose: wait}", "chose: wiat}", 1))
        await pilot.press("ctrl+r")
        app = await loaded(pilot, 2)
        assert app.preview is not None and app.preview.errors == 1
        assert app.role == "comms" and table.current_key == place
        assert str(table.get_cell("I-16", "problems")) == "✗1"
        # Break the schema: the last scenario stays on screen, with the problem.
        path.write_text(text.replace("due: 15m", "due: soon", 1))
        await pilot.press("ctrl+r")
        app = await loaded(pilot, 3)
        assert app.preview is not None and app.preview.stale
        assert table.current_key == place and table.row_count > 0
        # Fixed again.
        path.write_text(text)
        await pilot.press("ctrl+r")
        app = await loaded(pilot, 4)
        assert app.preview is not None and not app.preview.problems
        assert table.current_key == place


async def test_polling_notices_a_save(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    shutil.copy(PROBLEMS, path)
    app = make_preview_app(path, poll=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert app.preview is not None and app.preview.errors == 1
        fixed = path.read_text().replace("chose: dney", "chose: deny")
        path.write_text(fixed)
        stat = path.stat()  # a new mtime even on a coarse clock
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        app = await loaded(pilot, 2)
        assert app.preview is not None and app.preview.errors == 0


async def test_a_file_broken_from_the_start_opens_on_its_problems(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("id: x\ntitle: [unclosed\n")
    app = make_preview_app(path, poll=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert app.query_one("#tabs").active == "problems"  # type: ignore[attr-defined]
        assert app.query_one(ProblemTable).row_count == 1
        await pilot.press("1", "2", "3", "r", "n", "b")  # nothing to show: nothing breaks
        await pilot.pause()


async def test_missing_file_then_created(tmp_path: Path) -> None:
    path = tmp_path / "later.yaml"
    app = make_preview_app(path, poll=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert app.preview is not None and "cannot read" in app.preview.problems[0].problem.message
        shutil.copy(PROBLEMS, path)
        await pilot.press("ctrl+r")
        app = await loaded(pilot, 2)
        assert app.preview is not None and app.preview.scenario is not None


async def test_help_and_theme() -> None:
    app = make_preview_app(SUMMIT, poll=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        await pilot.pause()
        dark = app.theme
        await pilot.press("t")
        await pilot.pause()
        assert app.theme != dark and app.palette["error"] != DEFAULT_PALETTE["error"]


def test_command_refuses_a_folder(capsys: pytest.CaptureFixture[str]) -> None:
    args = argparse.Namespace(file=str(DATA), poll=1.0)
    assert preview_command.run(args) == 1
    assert "is a folder" in capsys.readouterr().err


# ----------------------------------------------------------------- snapshots


async def settle(pilot: Pilot[Any]) -> None:
    await loaded(pilot)
    pilot.app.clear_notifications()
    await pilot.pause()


def steps(*keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await pilot.pause()
        await pilot.pause()

    return run


def summit(theme: str | None = None) -> PreviewApp:
    return make_preview_app(SUMMIT, poll=0, theme=theme, name="scenarios/summit-deepfake.yaml")


def problems_app() -> PreviewApp:
    return make_preview_app(PROBLEMS, poll=0, name="preview-problems.yaml")


SCREENS: dict[str, tuple[Callable[[], PreviewApp], Callable[[Pilot[Any]], Awaitable[None]]]] = {
    "timeline": (summit, steps("down", "down")),
    "timeline-role": (summit, steps("r", "r")),
    "branches": (summit, steps("2", "down", "down")),
    "load": (summit, steps("3")),
    "help": (summit, steps("question_mark")),
    "light": (lambda: summit("textual-light"), steps("down", "down")),
    "problem-at-inject": (problems_app, steps("n")),
    "problems": (problems_app, steps("4", "down")),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_screen(snap_compare: Any, screen: str, size: tuple[int, int]) -> None:
    make, run_before = SCREENS[screen]
    assert snap_compare(make(), terminal_size=size, run_before=run_before)
