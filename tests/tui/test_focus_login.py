"""The login's cursor starts in its first empty field, even for keys typed at once.

In a browser tab a player types the code from the card as the page opens. Textual
focuses a new screen's first input as it builds it (the server address, its text
selected) and the login moved the cursor to the code only afterwards, in a callback
queued behind keys already typed: a planner's code replaced the server address. The
login now tells Textual which field to start in, so the cursor goes there alone.
(The page's part, focusing the terminal itself, is in ``tui/web/templates/
app_index.html``; ``test_focus_web.py`` checks the page.) Driven through Pilot, at
80x24 and at a phone's 40 columns in French.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Input, Label

from engine import i18n
from tests.tui.pilots import until
from tui.console.login import LoginScreen


class _Watched(LoginScreen):
    """The login, noting every field the cursor goes to."""

    def __init__(self, **given: Any) -> None:
        super().__init__(**given)
        self.visited: list[str | None] = []

    def watch_focused(self, focused: Widget | None) -> None:
        self.visited.append(None if focused is None else focused.id)


async def _cursor_path(login: _Watched, typed: str = "") -> tuple[list[str | None], dict[str, str]]:
    """The fields the cursor went to as the login was shown, and each field's value after
    ``typed`` was typed."""
    app: App[Any] = App()
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(login)
        await until(pilot, lambda: login.is_mounted and login.focused is not None, "the cursor")
        await pilot.pause()
        await pilot.press(*typed)
        return list(login.visited), {box.id or "": box.value for box in login.query(Input)}


async def test_the_cursor_starts_in_the_code_and_stays_there() -> None:
    """Textual focused the address as it built the screen and the login moved the cursor
    to the code afterwards: in a browser tab, the code typed as the page opened went
    into the address (its text selected, so replaced)."""
    visited, values = await _cursor_path(_Watched(url="http://127.0.0.1:8470"), "K7Q9")
    assert visited == ["code"]
    assert values == {"url": "http://127.0.0.1:8470", "code": "K7Q9", "name": ""}


async def test_with_nothing_given_the_cursor_starts_in_the_address() -> None:
    visited, values = await _cursor_path(_Watched(), "h")
    assert visited == ["url"] and values["url"] == "h"


async def test_after_a_refused_name_the_name_is_selected_to_retype() -> None:
    login = _Watched(url="u", code="c", name="Bo", error="taken", wrong="name")
    visited, values = await _cursor_path(login, "Al")
    assert visited == ["name"]
    assert values["name"] == "Al"  # the old name was selected, and replaced


async def test_the_name_label_wraps_on_a_phone_in_french() -> None:
    i18n.activate("fr")
    app: App[Any] = App()
    async with app.run_test(size=(40, 30)) as pilot:
        login = LoginScreen(url="http://127.0.0.1:8470")
        app.push_screen(login)
        await until(pilot, lambda: login.is_mounted, "the login")
        await pilot.pause()
        label = login.query(Label).last()
        wanted = i18n.gettext("Your name (as your team will see it)")
        assert wanted != "Your name (as your team will see it)"  # French, not English
        lines = label.render_lines(Region(0, 0, label.size.width, label.size.height))
        assert " ".join(" ".join(strip.text for strip in lines).split()) == wanted
        box = label.parent
        assert isinstance(box, Widget)
        # Wrapped inside its box, not drawn on one line that the box cuts.
        assert label.region.right <= box.content_region.right, (label.region, box.content_region)
