"""The last of sitroom's own words in French: each answer's reasons (the report's "Why"),
``sitroom rubric``'s lines, ``serve``'s status lines, ``cards``' notes, ``migrate``'s
errors and the ``sitroom preview`` console.

The reasons are English data too (the report's JSON): the test reads the French where a
person reads it and checks the JSON beside it stayed English. The CLI runs in process
(``tui.cli.main``) with ``SITROOM_LANG=fr``; ``serve`` runs in process on a loopback port
and stops as it does when its engine fails; the preview runs through Pilot.
"""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

import pytest
from textual.widgets import Input, Static, TabbedContent

from engine.net.server.runner import prepare, serve
from engine.roster import parse_roster
from engine.scenario import load_file
from tests.i18n.cli import sitroom
from tests.scoring.conftest import FIXTURE
from tests.scoring.logs import dry_run_log
from tests.test_cards import served_log
from tests.tui.pilots import until
from tests.tui.test_tracks import room
from tui.facilitator.app import make_facilitator_app
from tui.facilitator.simcell import SimCellTable
from tui.facilitator.simcell_dialogs import PassDialog
from tui.preview.app import make_preview_app

ROOT = Path(__file__).resolve().parents[2]
SUMMIT = ROOT / "scenarios" / "summit-deepfake.yaml"


def test_each_answers_reasons_are_french_in_the_report_and_english_in_its_json(
    tmp_path: Path, french: None, capsys: pytest.CaptureFixture[str]
) -> None:
    log = dry_run_log(tmp_path / "fixture.db", FIXTURE)
    code, text, err = sitroom(capsys, "report", str(log))
    assert code == 0, err
    for french_words in (
        "a choisi good : Good",
        "fait : Do x (+3)",
        "aucun élément coché",
        "2 termes requis sur 3",  # tests grade text by keywords (tests/conftest.py)
        "manquant : says no shutdown",
        "interdit : no comment",
    ):
        assert french_words in text, french_words
    for english in ("chose good: Good", "done: Do x", "no item ticked", "required terms"):
        assert english not in text, english

    code, out, err = sitroom(capsys, "report", str(log), "--format", "json")
    assert code == 0, err
    why = {r for team in json.loads(out)["teams"] for row in team["results"] for r in row["why"]}
    assert {"chose good: Good", "done: Do x (+3)", "no item ticked"} <= why
    assert {"2 of 3 required terms", "missing: says no shutdown", "forbidden: no comment"} <= why


@pytest.mark.meaning
def test_rubric_lines_are_french_and_its_json_stays_english(
    french: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = "This is a Russian operation. No comment.\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(answers))
    code, out, err = sitroom(capsys, "rubric", "summit-deepfake", "I-13.holding")
    assert code == 0, err
    assert "non atteint" in out and "! interdit, dit : no comment" in out
    assert "manquant" in out and "failed" not in out and "forbidden" not in out
    monkeypatch.setattr("sys.stdin", io.StringIO(answers))
    code, out, err = sitroom(
        capsys, "rubric", "summit-deepfake", "I-13.holding", "--format", "json"
    )
    assert code == 0, err
    (doc,) = json.loads(out)
    assert doc["status"] == "failed" and {e["how"] for e in doc["required"]} <= {
        "keyword",
        "meaning",
        "contradicted",
        "missing",
    }


async def test_serve_says_its_status_in_french(tmp_path: Path, french: None) -> None:
    loaded = load_file(FIXTURE)
    roster = parse_roster("team,role\na-01,a\n", loaded.require())
    prepared = prepare(loaded, tmp_path / "x.db", roster)
    out = io.StringIO()
    task = asyncio.ensure_future(serve(prepared, port=0, out=out, print_codes=False))
    for _ in range(500):
        if "sert" in out.getvalue() or task.done():
            break
        await asyncio.sleep(0.01)
    prepared.room.failed.set()  # stop as when the engine fails: the same closing lines
    assert await asyncio.wait_for(task, 20) == 1
    text = out.getvalue()
    assert "sitroom: codes écrits dans " in text and "(lisible par le seul propriétaire)" in text
    assert "sitroom: sert " in text and "(prêt) sur http://127.0.0.1:" in text
    assert "sitroom: arrêt en cours…" in text
    assert "sitroom: arrêté ; journal fermé à l'événement n° " in text
    assert "serving" not in text and "codes written" not in text


def test_cards_notes_and_migrate_errors_are_french(
    tmp_path: Path, french: None, capsys: pytest.CaptureFixture[str]
) -> None:
    db = served_log(tmp_path)
    code, _out, err = sitroom(capsys, "cards", str(db))
    assert code == 0, err
    assert "les cartes envoient les navigateurs vers http://192.168.7.7:8471" in err
    code, _out, err = sitroom(capsys, "cards", str(db), "--url", "http://localhost:8471")
    assert code == 0 and "est l'adresse de cette machine même" in err
    assert "cannot open it" not in err

    code, _out, err = sitroom(capsys, "migrate", str(db), str(tmp_path / "new.db"))
    assert code == 1 and "est déjà au format de journal" in err and "nothing to migrate" not in err


def test_preview_printed_is_french(
    tmp_path: Path, french: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = sitroom(capsys, "preview", str(SUMMIT))
    assert code == 0, err
    for french_words in (
        "Chronologie de ",
        "Branches (ce qui mène où)",
        "Charge par 15 minutes",
        " rôles · ",
        " injects · ",
    ):
        assert french_words in out, french_words
    assert "Timeline of" not in out and "Load per 15 minutes" not in out


async def test_the_preview_console_is_french(french: None) -> None:
    app = make_preview_app(SUMMIT, poll=0, name="summit.yaml")
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: app.preview is not None, "the preview to load")
        await pilot.pause()
        status = str(app.query_one("#status", Static).render())
        head = str(app.query_one("#timeline-head", Static).render())
        tabs = app.query_one("#tabs", TabbedContent)
        problems = str(tabs.get_tab("problems").label)
        detail = str(app.query_one("#timeline-detail-text", Static).render())
        keys = {b.binding.description for b in app.screen.active_bindings.values()}
    assert " rôles · " in status and ("valide" in status or "avertissement" in status)
    assert head.startswith("Chronologie de ") and "fixe" in head
    assert problems.startswith("Problèmes (")
    assert "Quand " in detail and "\nÀ     " in detail
    assert {"Chronologie", "Rôle suivant", "Quitter"} <= keys


async def test_the_sim_cells_pass_dialog_is_french(french: None) -> None:
    r = room(passed=False, answered=False)
    app = make_facilitator_app(link=r.control2)
    async with app.run_test(size=(120, 36)) as pilot:
        console = app.console_screen
        await until(pilot, lambda: len(console.model.questions) == 4, "the questions")
        await pilot.press("3")
        table = console.query_one(SimCellTable)
        await until(pilot, lambda: table.row_count == 4, "the sim cell")
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, PassDialog), "the pass dialog")
        dialog = app.screen
        words = [str(w.render()) for w in dialog.query(Static)]
        placeholder = dialog.query_one("#note", Input).placeholder
    assert "Passer une question à un autre contrôleur" in words
    assert placeholder == "facultatif : pourquoi"
