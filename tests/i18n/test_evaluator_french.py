"""The evaluator console in French, through Pilot: the queue as a stored SVG snapshot
at 80×24, and the grade form and objectives' words.

The traffic is the same holding server's as
``tests/tui/test_evaluator_queue_snapshots.py``; only the language differs (activated
before the console is built, as ``sitroom join`` does from ``SITROOM_LANG``). Update
with ``--snapshot-update`` and look at the SVG.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Button, Input, RadioButton, Static, TabbedContent

from engine import i18n
from tests.tui.test_evaluator_queue_snapshots import evaluator_app
from tests.tui.test_snapshots import settle, steps


def test_the_queue_in_french(snap_compare: Any) -> None:
    i18n.activate("fr")  # the suite's autouse fixture speaks English again afterwards
    assert snap_compare(evaluator_app(), terminal_size=(80, 24), run_before=steps("q"))


async def test_the_grade_form_and_the_objectives_speak_french() -> None:
    i18n.activate("fr")
    app = evaluator_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("q", "e")  # the queued answer's grade form
        await settle(pilot)
        screen = app.console_screen
        tabs = screen.query_one(TabbedContent)
        assert str(tabs.get_tab("queue").label) == "File (3)"
        assert str(tabs.get_tab("objectives").label) == "Objectifs"
        card_body = str(screen.query_one("GradeCard .body", Static).render())
        assert "Pas encore de réponse." in card_body
        reason = screen.query_one("GradeCard Input.reason", Input)
        assert reason.placeholder.startswith("Motif (obligatoire")
        assert str(screen.query_one("GradeCard Button.grade", Button).label) == "Noter"
        await pilot.press("o")
        await settle(pilot)
        ratings = [str(b.label) for b in screen.query(RadioButton)]
        assert ratings[0] == "P · Réalisé sans difficulté"
        assert any(str(b.label).startswith("Apprécier ") for b in screen.query(Button))
        assert app.title == "sitroom · évaluation"
