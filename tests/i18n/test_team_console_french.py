"""The team console in French, through Pilot, compared with stored SVG snapshots at 80×24.

French words run about a fifth longer than English: these show that the tabs, the
footer's keys, the clock bar's status and the inject's form still fit at 80 columns.
The traffic is the same fake server's as ``tests/tui/test_team_snapshots.py``; only
the language differs (activated before the console is built, as ``sitroom join`` does
from ``SITROOM_LANG``). Update with ``--snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from typing import Any

import pytest

from engine import i18n
from tests.tui.test_team_snapshots import SCREENS


@pytest.mark.parametrize("screen", ["team-briefing", "team-wrapped-options"])
def test_team_console_in_french(snap_compare: Any, screen: str) -> None:
    i18n.activate("fr")  # the suite's autouse fixture speaks English again afterwards
    app, run_before = SCREENS[screen]()
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_the_footer_speaks_the_language_active_when_it_is_drawn() -> None:
    """Bindings are written at import, in English: the footer translates them when shown,
    so a language chosen later (at login) reaches the keys too."""
    from textual.binding import ActiveBinding

    from tui.console.keys import translated
    from tui.team.app import TeamScreen

    bindings = {b.key: b for b in TeamScreen.BINDINGS if not isinstance(b, tuple)}
    active = {k: ActiveBinding(None, b, True) for k, b in bindings.items()}  # type: ignore[arg-type]
    with i18n.using("fr"):
        words = {k: a.binding.description for k, a in translated(active).items()}
        group = translated(active)["1"].binding.group
    assert words["n"] == "Non lu" and words["ctrl+q"] == "Quitter"
    assert group is not None and group.description == "Onglets"
    assert {k: a.binding.description for k, a in translated(active).items()}["n"] == "Next unread"


async def test_a_language_chosen_after_the_console_is_built_reaches_its_tabs() -> None:
    """The tabs are labelled when the screen is built (before the login); the welcome,
    which comes after a player chose a language there, labels them again."""
    from textual.widgets import TabbedContent

    from tests.tui.scripted import ScriptedLink
    from tests.tui.test_snapshots import settle
    from tests.tui.test_team_snapshots import _play
    from tui.team.app import make_team_app

    _server, _control, team = _play("cert", None)
    link = ScriptedLink()
    app = make_team_app(link=link)
    async with app.run_test(size=(80, 24)) as pilot:
        tabs = app.console_screen.query_one(TabbedContent)
        assert str(tabs.get_tab("log").label) == "Team log"
        i18n.activate("fr")
        link.push(*team.drain())
        await settle(pilot)
        labels = [str(tabs.get_tab(t).label) for t in ("inbox", "feed", "messages", "log")]
        assert labels == ["Réception", "Fil", "Messages", "Journal d'équipe"]
