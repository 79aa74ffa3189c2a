"""The facilitator's console in French, through Pilot: the team grid as a stored SVG
snapshot at 80×24, and the words of its dialogs, scores, sim cell, table view, help
and hotwash.

The traffic is the same as ``tests/tui/test_snapshots.py``'s control room; only the
language differs (activated before the console is built, as ``sitroom join`` and
``sitroom demo`` do from ``SITROOM_LANG``). Update with ``--snapshot-update`` and look
at the SVG.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, Label, Static, TabbedContent

from engine import i18n
from tests.tui.test_snapshots import facilitator_app, settle, steps


def _cells(widget: Any) -> str:
    """Every word a widget shows, its table headers included."""
    return " ".join(str(c.label) for c in widget.columns.values())


def test_the_team_grid_in_french(snap_compare: Any) -> None:
    i18n.activate("fr")  # the suite's autouse fixture speaks English again afterwards
    assert snap_compare(facilitator_app(), terminal_size=(80, 24), run_before=steps("2"))


async def test_the_control_room_speaks_french() -> None:
    i18n.activate("fr")
    app = facilitator_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        screen = app.console_screen
        assert app.title == "sitroom · animation"
        assert _cells(screen.query_one("#msel-table")).startswith("Inject Quand Titre")
        assert "Retard Répondu Remis Membres" in _cells(screen.query_one("#team-grid"))
        await pilot.press("5")
        await settle(pilot)
        assert "Part des points" in _cells(screen.query_one("#score-table"))
        summary = str(screen.query_one("ScoreSummary", Static).render())
        assert "score moyen" in summary and "tous les rôles" in summary
        await pilot.press("3")
        await settle(pilot)
        assert "Attente Pour Équipe" in _cells(screen.query_one("#simcell-table"))
        assert str(screen.query_one("SimCellSummary", Static).render()).startswith("Vous :")

        await pilot.press("j")  # the jump dialog
        await settle(pilot)
        dialog = app.screen
        assert str(dialog.query_one(".title", Static).render()) == "Sauter en avant"
        await pilot.press("escape")
        await pilot.press("B")  # the broadcast dialog
        await settle(pilot)
        labels = [str(label.render()) for label in app.screen.query(Label)]
        assert {"À", "De", "Titre", "Message"} <= set(labels)
        assert app.screen.query_one("#title", Input).placeholder == "facultatif"
        await pilot.press("escape")

        await pilot.press("question_mark")  # the help names the grid's marks in French
        await settle(pilot)
        help_text = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "Dans la grille des équipes" in help_text and "{behind_mark}" not in help_text
        await pilot.press("escape")

        await pilot.press("2", "enter")  # a table's own view
        await settle(pilot)
        tabs = app.screen.query_one(TabbedContent)
        assert str(tabs.get_tab("answers").label) == "2 Réponses"
        assert "membres" in str(app.screen.query_one("#table-head", Static).render())
