"""The wall in French, through Pilot: a stored SVG snapshot at 80×24 and its words.

The room's projector speaks the room's language: the captions over the large figures,
the channel badges, the empty boards and the banner that stops play. The traffic is
the same as ``tests/tui/test_wall_snapshots.py``'s; only the language differs
(activated before the console is built, as ``sitroom join`` does from
``SITROOM_LANG``). Update with ``--snapshot-update`` and look at the SVG.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Label, Static

from engine import i18n
from tests.tui.test_snapshots import settle
from tests.tui.test_wall_snapshots import _settled, wall_app


def test_the_wall_in_play_in_french(snap_compare: Any) -> None:
    i18n.activate("fr")  # the suite's autouse fixture speaks English again afterwards
    assert snap_compare(wall_app("running"), terminal_size=(80, 24), run_before=_settled)


async def test_the_wall_before_the_start_speaks_french() -> None:
    i18n.activate("fr")
    app = wall_app("ready")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        screen = app.console_screen
        captions = [str(label.render()) for label in screen.query(".caption").results(Label)]
        assert captions[0] == "TEMPS D'EXERCICE"
        assert "DE LA CELLULE D'ANIMATION" in captions
        assert str(screen.query_one("#stop-text", Static).render()).strip() == (
            "L'exercice commence bientôt"
        )
        assert str(screen.query_one("#posts", Static).render()).startswith("Avant de commencer")
        assert "PAS COMMENCÉ" in str(screen.query_one("#wall-head", Static).render())
        assert app.title == "sitroom · mur"
