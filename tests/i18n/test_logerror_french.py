"""A log that cannot be used, said in French: missing, damaged, foreign or locked.

These messages are what a French facilitator reads when ``sitroom report`` or ``sitroom
serve --db`` meets a bad log; they are made where the error is raised and are never
stored in a log. The same runs in English keep their English words (the tests in
tests/engine and tests/server hold the rest of the English). The CLI runs in process
(``tui.cli.main``); ``serve --resume`` is refused before it listens, so it returns.
A resumed server's notes and the codes file are read from ``prepare`` and the file.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from engine import i18n
from engine.eventlog import EventLog
from engine.net.server.runner import prepare
from engine.net.server.seats import codes_path, format_codes, read_codes, write_codes
from engine.roster import parse_roster
from engine.scenario import load_file
from tests.i18n.cli import sitroom
from tests.scoring.conftest import FIXTURE
from tests.scoring.logs import dry_run_log


def new_log(path: Path, speed: float | None = None) -> Path:
    """A server's log as ``serve`` leaves it (no codes file: ``serve`` writes that)."""
    loaded = load_file(FIXTURE)
    roster = parse_roster("team,role\na-01,a\nb-01,b\n", loaded.require())
    prepare(loaded, path, roster, speed=speed).room.close_log()
    return path


def test_a_missing_log_is_said_in_french_and_stays_english_in_english(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "nowhere.db"
    code, _out, err = sitroom(capsys, "report", str(missing))
    assert code == 1 and f"{missing}: no such log" in err

    monkeypatch.setenv("SITROOM_LANG", "fr")
    code, _out, err = sitroom(capsys, "report", str(missing))
    assert code == 1 and f"{missing} : journal introuvable" in err
    assert "no such log" not in err


def test_a_folder_and_a_foreign_sqlite_file_are_refused_in_french(
    tmp_path: Path, french: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = sitroom(capsys, "report", str(tmp_path))
    assert code == 1 and "c'est un dossier, pas un journal d'événements" in err

    foreign = tmp_path / "notes.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    conn.close()
    code, _out, err = sitroom(capsys, "report", str(foreign))
    assert code == 1 and "ce n'est pas un journal d'événements sitroom" in err
    assert "not a sitroom event log" not in err


@pytest.mark.parametrize(
    ("key", "value", "french_words"),
    [
        ("seed", "abc", "« seed » n'est pas un nombre ('abc')"),
        ("format_version", "three", "« format_version » n'est pas un nombre ('three')"),
        (
            "scenario_sha256",
            "0" * 64,
            "le texte du scénario qu'il contient ne correspond pas à son sha256 (modifié ?)",
        ),
    ],
)
def test_a_damaged_header_is_named_in_french(
    tmp_path: Path,
    french: None,
    capsys: pytest.CaptureFixture[str],
    key: str,
    value: str,
    french_words: str,
) -> None:
    db = new_log(tmp_path / "x.db")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE header SET value = ? WHERE key = ?", (value, key))
    conn.close()
    code, _out, err = sitroom(capsys, "report", str(db))
    assert code == 1, err
    assert f"{db} : l'en-tête du journal est endommagé : {french_words}" in err
    assert "header is damaged" not in err and "is not a number" not in err


def test_a_damaged_last_event_is_a_french_warning_and_the_english_is_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last row's checksum fails (a crash mid-write): the report leaves it out, and
    warns in the reader's language; its JSON keeps the warning as English data."""
    db = new_log(tmp_path / "x.db", speed=2.0)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT MAX(seq) FROM events").fetchone()[0] == 1
        conn.execute("UPDATE events SET crc = crc + 1 WHERE seq = 1")
    conn.close()
    code, _out, err = sitroom(capsys, "report", str(db))
    assert code == 0, err
    said = "event #1 is damaged (checksum mismatch); reporting the 0 events before it"
    assert f"sitroom: warning: {db}: {said}" in err
    code, english_json, err = sitroom(capsys, "report", str(db), "--format", "json")
    assert json.loads(english_json)["warnings"] == [f"{db}: {said}"]

    monkeypatch.setenv("SITROOM_LANG", "fr")
    code, text, err = sitroom(capsys, "report", str(db))
    assert code == 0, err
    said = (
        "l'événement n° 1 est endommagé (somme de contrôle incorrecte) ; "
        "le rapport porte sur les 0 événements qui le précèdent"
    )
    assert f"sitroom: avertissement : {db} : {said}" in err and "checksum" not in err
    assert "> **Avertissement :** " in text and f"{db.name} : {said}" in text
    code, french_json, err = sitroom(capsys, "report", str(db), "--format", "json")
    assert code == 0 and french_json == english_json


def test_a_log_in_use_is_refused_in_french_naming_its_holder(
    tmp_path: Path, french: None, capsys: pytest.CaptureFixture[str]
) -> None:
    db = new_log(tmp_path / "x.db")
    holder = EventLog.open(db)  # a writer: it holds the log's lock, as a server would
    try:
        code, _out, err = sitroom(capsys, "serve", str(FIXTURE), "--db", str(db), "--resume")
    finally:
        holder.close()
    assert code == 1, err
    assert f"{db} est utilisé par sitroom pid " in err
    assert "un journal n'a qu'un seul écrivain à la fois" in err
    assert "in use by" not in err and " on " not in err


def test_a_resumed_servers_notes_are_french_with_their_plurals(
    tmp_path: Path, french: None
) -> None:
    """No codes file (every code reissued) and a damaged last event (dropped)."""
    db = new_log(tmp_path / "x.db", speed=2.0)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE events SET crc = crc + 1 WHERE seq = (SELECT MAX(seq) FROM events)")
    conn.close()
    loaded = load_file(FIXTURE)
    roster = parse_roster("team,role\na-01,a\nb-01,b\n", loaded.require())
    prepared = prepare(loaded, db, roster, resume=True)
    prepared.room.close_log()
    notes = "\n".join(prepared.notes)
    assert "a supprimé 1 événement endommagé à la fin du journal" in notes
    seats = len(prepared.codes)
    assert f"{seats} codes n'étaient pas dans {codes_path(db)} : de nouveaux ont été émis" in notes
    assert "dropped" not in notes and "were not in" not in notes


def test_the_codes_file_is_french_and_read_in_either_language(tmp_path: Path) -> None:
    db = new_log(tmp_path / "x.db")
    loaded = load_file(FIXTURE)
    roster = parse_roster("team,role\na-01,a\nb-01,b\n", loaded.require())
    prepared = prepare(loaded, db, roster, resume=True)
    prepared.room.close_log()
    seats, codes = prepared.room.seats, prepared.codes
    url = "http://127.0.0.1:8470"
    english = format_codes(seats, codes, url, "Summit")
    with i18n.using("fr"):
        french = format_codes(seats, codes, url, "Summit")
    assert english[0] == "# sitroom join codes: Summit"
    assert french[0] == "# codes d'accès sitroom : Summit"
    assert "# Gardez ce fichier privé : un code permet" in "\n".join(french)
    assert "# rôle\tplace\tnom\tcode\tcommande" in french
    for lines in (english, french):
        write_codes(codes_path(db), lines)
        assert read_codes(codes_path(db)) == codes
    # A French file resumed by an English server: every code is still known, none reissued.
    again = prepare(loaded, db, roster, resume=True)
    again.room.close_log()
    assert again.codes == codes and not again.notes


def test_the_reports_json_is_the_same_english_data_for_a_french_reader(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Findings and the timeline are sentences in the Markdown, data in the JSON: the JSON
    a French reader gets is byte for byte the English one; the Markdown is French."""
    log = dry_run_log(tmp_path / "x.db", FIXTURE)
    code, english, err = sitroom(capsys, "report", str(log), "--format", "json")
    assert code == 0, err
    monkeypatch.setenv("SITROOM_LANG", "fr")
    code, french_json, err = sitroom(capsys, "report", str(log), "--format", "json")
    assert code == 0, err
    assert french_json == english
    assert "Sustain: keep this practice" in english
    code, text, err = sitroom(capsys, "report", str(log))
    assert code == 0 and "À pérenniser : garder cette pratique" in text


def test_a_missing_scenario_file_is_french(
    tmp_path: Path, french: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = sitroom(capsys, "validate", str(tmp_path / "nope.yaml"))
    assert code == 1 and "nope.yaml:0:0: fichier ou dossier introuvable" in out + err
    assert "1 fichier vérifié : 1 invalide, 1 erreur, 0 avertissement" in out + err
    code, out, err = sitroom(capsys, "validate", str(tmp_path))
    assert code == 1 and "aucun fichier .yaml ou .yml dans ce dossier" in out + err
