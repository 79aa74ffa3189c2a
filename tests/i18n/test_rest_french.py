"""The last of sitroom's own words in French: a result's reasons, an inject's trigger,
the control room's log and alerts, dry-run's warnings and the CLI's remaining lines.

Reasons, triggers and warnings are English data too (the report's JSON, dry-run's
``--format json``): each test reads the French where a person reads it and checks the
data beside it stayed English. The CLI runs in process (``tui.cli.main``) with
``SITROOM_LANG=fr``; the consoles run through Pilot with French activated before they
are built, as ``sitroom join`` does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Static

from engine import i18n
from tests.i18n.cli import sitroom
from tests.scoring.conftest import FIXTURE
from tests.scoring.logs import dry_run_log
from tests.tui.pilots import until
from tests.tui.scripted import ScriptedLink, staff_traffic
from tests.tui.test_evaluator_queue_snapshots import evaluator_app
from tests.tui.test_snapshots import settle
from tui.console.base import ConsoleApp
from tui.facilitator.app import make_facilitator_app


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return dry_run_log(tmp_path_factory.mktemp("rest") / "fixture.db", FIXTURE)


def test_the_report_says_why_and_when_in_french_and_its_json_stays_english(
    log: Path, french: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text, err = sitroom(capsys, "report", str(log))
    assert code == 0, err
    # The scorecards' "Why": scoring's reasons, each said in French.
    for french_words in (
        "aucune réponse avant l'échéance (20m)",
        "après l'échéance (décroissance par paliers) : garde ",
        "après l'échéance (les réponses tardives gardent tous leurs points) : garde 100% ",
        "1 membre sur 1 a répondu",
        "noté 7.5 par eval-bot : bot evaluator (diligent)",
        "| à 10m |",  # the injects' table: when each fires
    ):
        assert french_words in text, french_words
    for english in ("no answer by the deadline", "after the deadline", "members answered"):
        assert english not in text, english
    assert "| at 10m |" not in text

    code, out, err = sitroom(capsys, "report", str(log), "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    why = [reason for team in report["teams"] for row in team["results"] for reason in row["why"]]
    assert "no answer by the deadline (20m)" in why
    assert "1 of 1 members answered" in why
    assert {row["trigger"] for row in report["injects"]} >= {"at 10m", "at 20m"}


def test_dry_run_warns_in_french_and_its_json_stays_english(
    french: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text, err = sitroom(capsys, "dry-run", str(FIXTURE), "--teams", "1")
    assert code == 0, err
    assert "Avertissements" in text
    assert "  ! rôle a : aucun inject pendant 160 min entre 0:20:00 et 3:00:00" in text
    assert "no inject for" not in text
    code, out, err = sitroom(capsys, "dry-run", str(FIXTURE), "--teams", "1", "--format", "json")
    assert code == 0, err
    warnings = json.loads(out)["warnings"]
    assert any(w.startswith("role a: no inject for 160 min between 0:20:00") for w in warnings)


def test_the_cli_lines_left_speak_french(
    french: None, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, text, err = sitroom(capsys, "scenarios")
    assert code == 0
    assert "5 rôles (cert, comms, grid, energy, summit) · 44 injects · 2h30m" in text
    assert "scénarios. Un nom vaut un fichier de scénario partout" in err
    empty = tmp_path / "code.txt"
    empty.write_text("# nothing\n", encoding="utf-8")
    code, _, err = sitroom(capsys, "join", "http://127.0.0.1:9", "--code-file", str(empty))
    assert code == 1
    assert f"{empty} ne contient aucun code de connexion" in err
    sheet = tmp_path / "msel.csv"
    assert sitroom(capsys, "msel", "export", str(FIXTURE), "-o", str(sheet))[0] == 0
    code, _, err = sitroom(capsys, "msel", "import", str(sheet), "-o", str(tmp_path / "b.yaml"))
    assert code == 0, err
    assert f"{sheet} : 6 injects lus ; 0 erreur, 1 avertissement" in err, err


async def test_the_evaluator_card_says_why_in_french() -> None:
    i18n.activate("fr")  # the suite's autouse fixture speaks English again afterwards
    app = evaluator_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("q", "e")  # the first queued item's card: not answered yet
        await settle(pilot)
        body = str(app.console_screen.query_one("GradeCard .body", Static).render())
    assert "en attente de réponse" in body and "awaiting an answer" not in body


async def test_the_control_room_msel_log_and_alerts_in_french() -> None:
    i18n.activate("fr")
    messages, _roster = staff_traffic()
    app: ConsoleApp[Any] = make_facilitator_app(link=ScriptedLink(messages))
    async with app.run_test(size=(160, 48)) as pilot:
        console = app.console_screen
        model = console.model
        await until(pilot, lambda: model.clock.status == "paused", "the traffic")
        await pilot.pause()
        msel = console.query_one("#msel-table", DataTable)
        when = {str(msel.get_cell(key.value or "", "when")) for key in msel.rows}
        log = [line.text for line in model.log]
        alerts = [(n.title, n.message) for n in app._notifications]
        who = model.who
    assert any(w.startswith("à ") for w in when), when
    assert not any(w.startswith("at ") or " after " in w for w in when), when
    assert "début" in log
    assert any(" remis à " in line for line in log), log
    assert not any(" delivered to " in line for line in log), log
    behind = [m for title, m in alerts if title == "Table en retard"]
    assert behind and all(
        " prend du retard : " in m and m.endswith("ont dépassé leur échéance sans réponse")
        for m in behind
    ), alerts
    assert who.startswith("animateur · ")
