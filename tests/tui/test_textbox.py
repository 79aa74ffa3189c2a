"""A text area drawn after it was removed, or before it was styled, draws blank lines
instead of taking the console down (Textual 8.2.x, issue #6528: ``KeyError`` on
"text-area--gutter"; seen once in the suite under load, on a team's answer form)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import TextArea

from tui.console.textbox import TextBox

ROOT = Path(__file__).resolve().parents[2]


class _One(App[None]):
    def __init__(self, area: TextArea) -> None:
        super().__init__()
        self.area = area

    def compose(self) -> ComposeResult:
        yield self.area


async def test_a_removed_text_area_draws_blank_not_a_crash() -> None:
    box = TextBox("the holding line")
    async with _One(box).run_test() as pilot:
        drawn = box.render_lines(Region(0, 0, 20, 2))
        assert "the holding line" in "".join(s.text for s in drawn)
        await box.remove()
        await pilot.pause()
        blank = box.render_lines(Region(0, 0, 20, 2))
        assert [s.text for s in blank] == [" " * 20, " " * 20]


async def test_textuals_own_text_area_still_has_the_race() -> None:
    """What TextBox guards against; when a Textual upgrade fixes it, this fails and the
    guard can go (with this test)."""
    area = TextArea("x")
    async with _One(area).run_test() as pilot:
        await area.remove()
        await pilot.pause()
        with pytest.raises(KeyError, match="text-area--gutter"):
            area.render_lines(Region(0, 0, 5, 1))


def test_no_console_builds_a_bare_text_area() -> None:
    """Every text area the consoles build is a TextBox: no call of ``TextArea(…)`` (or
    ``TextArea.code_editor``) anywhere in ``tui/`` but the guard's own module."""
    found = []
    for path in sorted((ROOT / "tui").rglob("*.py")):
        if path.name == "textbox.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else ""
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                name = func.value.id
            if name == "TextArea":
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


class _Broken(TextBox):
    boom = False

    def render_line(self, y: int) -> Strip:
        if self.boom:
            raise KeyError("a real bug")
        return super().render_line(y)


async def test_a_real_error_while_styled_and_in_place_is_not_swallowed() -> None:
    box = _Broken("x")
    async with _One(box).run_test() as pilot:
        await pilot.pause()
        box.boom = True
        box._styles_cache.clear()
        with pytest.raises(KeyError, match="a real bug"):
            box.render_lines(Region(0, 0, 10, 3))
