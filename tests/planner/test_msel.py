"""The MSEL spreadsheet round-trip, as a planner uses it: ``sitroom msel export|import``.

* every library scenario (a glob: new scenarios are covered as they land) and the
  every-feature scenario export, import back to the very same ``Scenario``, and the
  imported YAML validates with no problems; export → import → export is stable;
* sheets as spreadsheets save them (Excel's BOM and CRLF, semicolons, UTF-16,
  renamed or reordered columns, a planner's edits) import as expected;
* a sheet written by hand in the HSEEP layout imports with exactly what it lacks
  reported; each bad sheet in ``data/`` yields exactly its ``msel.csv:ROW:COLUMN:``
  lines and exit code 1, never a traceback;
* a property: mutated sheets (cells blanked or garbled, rows shuffled, duplicated,
  dropped) never raise, and every problem is one located line.

The CLI runs in-process through ``tui.cli.main`` (one subprocess test checks the
real command and its pipes); sheets are copied to ``msel.csv`` in a temporary
directory, so the expected lines read as the issue writes them.
"""

from __future__ import annotations

import csv
import io
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.msel import export_csv, export_rows, import_csv
from engine.problems import errors
from engine.scenario import Scenario, load_bytes, load_file
from engine.scenario.lang import one_language
from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
LIBRARY = sorted((ROOT / "scenarios").glob("*.yaml"))
EVERY_FEATURE = DATA / "every-feature.yaml"

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def sitroom(capsys: pytest.CaptureFixture[str]) -> Cli:
    """``sitroom ARGS…`` in-process: (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        return code, out, err

    return run


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def scenario_of(path: Path) -> Scenario:
    result = load_file(path)
    assert result.scenario is not None, [p.format() for p in result.problems]
    return result.scenario


def lines(err: str) -> list[str]:
    """The problem lines of an import's stderr (its summary line left out)."""
    return [line for line in err.splitlines() if not line.startswith("msel.csv: ")]


def rows_to_csv(rows: list[list[str]], delimiter: str = ",", line_end: str = "\n") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=line_end).writerows(rows)
    return buffer.getvalue()


def header_index(rows: list[list[str]]) -> int:
    return next(k for k, row in enumerate(rows) if row and row[0] == "Inject #")


# ------------------------------------------------------------------ round-trip


@pytest.mark.parametrize("path", [*LIBRARY, EVERY_FEATURE], ids=lambda p: p.stem)
def test_export_then_import_gives_the_same_scenario(path: Path) -> None:
    # A sheet holds one language: what it gives back is the scenario in that one.
    original = one_language(scenario_of(path))
    sheet = export_csv(original)
    result = import_csv(sheet.encode("utf-8"), "msel.csv", folder=path.parent)
    assert [p.format() for p in result.problems] == []
    assert result.scenario == original
    revalidated = load_bytes(result.yaml, "scenario.yaml", path=path)  # its attachment files
    assert [p.format() for p in revalidated.problems] == []
    assert revalidated.scenario == original
    assert export_csv(result.scenario) == sheet, "export(import(export(x))) != export(x)"


def test_the_library_is_there() -> None:
    assert len(LIBRARY) >= 7


def test_cli_round_trip_of_every_feature(sitroom: Cli, workdir: Path) -> None:
    code, out, err = sitroom("msel", "export", str(EVERY_FEATURE))
    assert (code, err) == (0, "")
    assert out.startswith("#sitroom-msel,1\n")
    Path("msel.csv").write_text(out, encoding="utf-8", newline="")
    code, out, err = sitroom("msel", "import", "msel.csv")
    assert code == 0, err
    assert err == "msel.csv: 8 injects read\n"
    assert load_bytes(out).scenario == scenario_of(EVERY_FEATURE)
    code, _, err = sitroom("msel", "import", "msel.csv", "-q", "-o", "scenario.yaml")
    assert (code, err) == (0, "")
    assert load_file("scenario.yaml").scenario == scenario_of(EVERY_FEATURE)


def test_bom_export_is_excel_shaped_and_reimports(sitroom: Cli, workdir: Path) -> None:
    code, _, err = sitroom("msel", "export", str(EVERY_FEATURE), "--bom", "-o", "msel.csv")
    assert (code, err) == (0, "")
    raw = Path("msel.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf#sitroom-msel,1\r\n")
    records = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert all("\r" not in cell for row in records for cell in row), "cells keep \\n breaks"
    code, _, err = sitroom("msel", "import", "msel.csv", "-q", "-o", "scenario.yaml")
    assert (code, err) == (0, "")
    assert load_file("scenario.yaml").scenario == scenario_of(EVERY_FEATURE)


def test_the_real_command_pipes_and_exits(tmp_path: Path) -> None:
    """``sitroom msel export FILE > msel.csv`` and ``sitroom msel import msel.csv > x.yaml``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def sitroom(*args: str) -> subprocess.CompletedProcess[bytes]:
        command = [sys.executable, "-m", "tui.cli", "msel", *args]
        return subprocess.run(command, cwd=tmp_path, env=env, capture_output=True)

    exported = sitroom("export", str(LIBRARY[0]))
    assert exported.returncode == 0 and exported.stderr == b""
    (tmp_path / "msel.csv").write_bytes(exported.stdout)
    imported = sitroom("import", "msel.csv")
    assert imported.returncode == 0, imported.stderr
    assert load_bytes(imported.stdout).scenario == scenario_of(LIBRARY[0])
    shutil.copy(DATA / "bad-rows.csv", tmp_path / "bad.csv")
    bad = sitroom("import", "bad.csv", "-o", "out.yaml")
    assert bad.returncode == 1
    assert b"Traceback" not in bad.stderr
    assert bad.stderr.startswith(b"bad.csv:1:1: warning: ")


# ------------------------------------------------------------------ as spreadsheets save it


def test_sheets_as_spreadsheets_save_them_import_the_same() -> None:
    original = scenario_of(EVERY_FEATURE)
    rows = export_rows(original)
    variants = {
        "excel bom crlf": ("\ufeff" + rows_to_csv(rows, line_end="\r\n")).encode("utf-8"),
        "european semicolons": rows_to_csv(rows, delimiter=";").encode("utf-8"),
        "utf-16 tabs": rows_to_csv(rows, delimiter="\t", line_end="\r\n").encode("utf-16"),
        "crlf inside cells": rows_to_csv(
            [[cell.replace("\n", "\r\n") for cell in row] for row in rows], line_end="\r\n"
        ).encode("utf-8"),
        "trailing empty cells": rows_to_csv([[*row, "", ""] for row in rows]).encode(),
    }
    for name, raw in variants.items():
        result = import_csv(raw, "msel.csv")
        assert [p.format() for p in result.problems] == [], name
        assert result.scenario == original, name


def test_columns_found_by_name_in_any_order_and_hseep_spelling() -> None:
    original = scenario_of(LIBRARY[0])
    rows = export_rows(original)
    top = header_index(rows)
    renamed = {"Inject #": "Inject No.", "Time": "Scheduled Time", "Synopsis": "Event Synopsis"}
    rows[top] = [renamed.get(title, title) for title in rows[top]]
    order = list(range(len(rows[top])))[::-1]
    for k in range(top, len(rows)):
        rows[k] = [rows[k][j] for j in order]
    result = import_csv(rows_to_csv(rows), "msel.csv")
    assert [p.format() for p in result.problems] == []
    assert result.scenario == original


def test_a_planners_edits_are_imported_and_summaries_checked() -> None:
    original = scenario_of(LIBRARY[0])
    rows = export_rows(original)
    top = header_index(rows)
    time_col = rows[top].index("Time")
    first = next(k for k in range(top + 1, len(rows)) if rows[k][time_col])
    rows[first][time_col] = "T+0:07"
    result = import_csv(rows_to_csv(rows), "msel.csv")
    assert [p.format() for p in result.problems] == []
    assert result.scenario is not None
    edited = first - top - 1
    assert result.scenario.injects[edited].at == 7 * 60_000
    others = [i for k, i in enumerate(result.scenario.injects) if k != edited]
    assert others == [i for k, i in enumerate(original.injects) if k != edited]

    action_col = rows[top].index("Expected action")
    with_action = next(k for k in range(top + 1, len(rows)) if rows[k][action_col])
    rows[with_action][action_col] = "Something else entirely"
    result = import_csv(rows_to_csv(rows), "msel.csv")
    assert [p.format() for p in result.problems] == [
        f"msel.csv:{with_action + 1}:{action_col + 1}: warning: Expected action: differs from "
        "the Expectations column, which is what was imported (Expected action only "
        "summarises it)"
    ]


# ------------------------------------------------------------------ a sheet written by hand

HSEEP_GAPS = [
    "msel.csv:0:0: no scenario id: add a row #id,your-scenario-id above the table",
    "msel.csv:0:0: no scenario title: add a row #title,… above the table",
    "msel.csv:0:0: no scenario duration: add a row #duration,3h above the table "
    "(the last timed inject is at 1d3h)",
    "msel.csv:1:1: warning: ignored: rows above the table are #key rows "
    "(#id, #title, #team …) or ## comments",
    "msel.csv:3:1: warning: Inject No.: inject number '1.1' is not an id "
    "(ids use letters, digits, - and _): it became '1-1'",
    "msel.csv:3:2: warning: Move: phase 'Move 1' is not defined above the table: "
    "added with the id 'move-1', made from its name",
    "msel.csv:3:3: Scheduled Time: '09:30' is a clock time, but the sheet has no start: "
    "add a #start row (e.g. 2025-02-11T09:00) or pass --start HH:MM",
    "msel.csv:3:5: warning: Simulated Sender: actor 'SOC analyst' is not defined above the "
    "table: added with the id 'soc-analyst', made from its name",
    "msel.csv:3:6: warning: Recipient Player: team 'National CERT' is not defined above the "
    "table: added with the id 'national-cert', made from its name",
    "msel.csv:3:10: warning: Objective / Capability: objective 'Detect the compromise' is not "
    "defined above the table: added with the id 'detect-the-compromise', made from its name",
    "msel.csv:3:12: warning: Actual Time: actual delivery times are recorded during play: "
    "not imported",
    "msel.csv:4:1: warning: Inject No.: inject number '1.2' is not an id "
    "(ids use letters, digits, - and _): it became '1-2'",
    "msel.csv:4:5: warning: Simulated Sender: actor 'Tech reporter' is not defined above the "
    "table: added with the id 'tech-reporter', made from its name",
    "msel.csv:4:6: warning: Recipient Player: team 'Communications' is not defined above the "
    "table: added with the id 'communications', made from its name",
    "msel.csv:4:10: warning: Objective / Capability: objective 'Inform the public' is not "
    "defined above the table: added with the id 'inform-the-public', made from its name",
    "msel.csv:5:1: warning: Inject No.: inject number '1.3' is not an id "
    "(ids use letters, digits, - and _): it became '1-3'",
    "msel.csv:5:5: warning: Simulated Sender: actor 'Model vendor' is not defined above the "
    "table: added with the id 'model-vendor', made from its name",
    "msel.csv:6:1: warning: Inject No.: inject number '2.1' is not an id "
    "(ids use letters, digits, - and _): it became '2-1'",
    "msel.csv:6:2: warning: Move: phase 'Move 2' is not defined above the table: "
    "added with the id 'move-2', made from its name",
    "msel.csv:6:10: warning: Objective / Capability: one objective per expected action: "
    "linked 'Inform the public' only; give the others their own expectation",
    "msel.csv:7:1: warning: Inject No.: inject number '2.2' is not an id "
    "(ids use letters, digits, - and _): it became '2-2'",
    "msel.csv:7:5: warning: Simulated Sender: actor 'Data regulator' is not defined above the "
    "table: added with the id 'data-regulator', made from its name",
    "msel.csv:7:6: warning: Recipient Player: team 'Legal' is not defined above the table: "
    "added with the id 'legal', made from its name",
    "msel.csv:7:10: warning: Objective / Capability: objective 'Meet legal duties' is not "
    "defined above the table: added with the id 'meet-legal-duties', made from its name",
    "msel.csv:8:1: warning: Inject No.: inject number '2.3' is not an id "
    "(ids use letters, digits, - and _): it became '2-3'",
]
CLOCK_GAP = HSEEP_GAPS[6]


def test_hand_written_hseep_sheet_reports_what_it_lacks(sitroom: Cli, workdir: Path) -> None:
    shutil.copy(DATA / "hseep.csv", "msel.csv")
    code, out, err = sitroom("msel", "import", "msel.csv")
    assert code == 1
    assert lines(err) == HSEEP_GAPS
    assert err.splitlines()[-1] == "msel.csv: 6 injects read; 4 errors, 21 warnings"
    assert "id: null  # MISSING: add a row #id,your-scenario-id above the table" in out

    code, out, err = sitroom("msel", "import", "msel.csv", "--start", "09:00", "-q")
    assert code == 1
    assert lines(err) == [line for line in HSEEP_GAPS if line != CLOCK_GAP]
    assert "# 09:30 on the sheet: 30m after the 09:00 start" in out


def test_hand_written_sheet_with_its_gaps_filled_is_a_valid_scenario(
    sitroom: Cli, workdir: Path
) -> None:
    filled = "#id,lantern\n#title,Operation Lantern\n#duration,1d4h\n#start,2025-02-11T09:00\n"
    Path("msel.csv").write_text(filled + (DATA / "hseep.csv").read_text(), encoding="utf-8")
    code, out, err = sitroom("msel", "import", "msel.csv", "-o", "lantern.yaml")
    assert (code, out) == (0, ""), err
    assert [p.format() for p in load_file("lantern.yaml").problems] == []
    sc = scenario_of(Path("lantern.yaml"))
    minute, hour = 60_000, 3_600_000
    assert [(i.id, i.at, i.contingency) for i in sc.injects] == [
        ("1-1", 30 * minute, False),  # 09:30, the start being 09:00
        ("1-2", 15 * minute, False),  # T+15
        ("1-3", hour, False),  # T+1:00
        ("2-1", 26 * hour, False),  # D+1 H+2
        ("2-2", 27 * hour, False),  # D+1 H+3
        ("2-3", None, True),  # Contingency
    ]
    assert [t.id for t in sc.teams] == ["national-cert", "communications", "legal"]
    assert [i.channel for i in sc.injects] == [
        "email",
        "phone",
        "email",
        "social",
        "document",
        "news",
    ]
    assert sc.injects[3].to == "all"
    assert sc.injects[0].tags == ["controller:Jane Doe"]
    assert sc.injects[0].notes == "Backbone inject: everything follows from it."
    manual = sc.injects[0].expects[0]
    assert (manual.kind, manual.prompt, manual.objective) == (
        "manual",
        "Open an incident and scope the affected hosts",
        "detect-the-compromise",
    )
    assert sc.injects[2].expects == []  # no expected action: nothing invented


# ------------------------------------------------------------------ bad sheets

BAD = {
    "bad-rows.csv": [
        "msel.csv:1:1: warning: ignored: rows above the table are #key rows "
        "(#id, #title, #team …) or ## comments",
        "msel.csv:4:2: #id: #id is given twice (also row 3)",
        "msel.csv:5:3: #title: unexpected cell: the value spans several cells "
        "(put it in quotes in the CSV)",
        "msel.csv:6:1: #titel: unknown row #titel (did you mean #title?)",
        "msel.csv:11:7: warning: Owner: not a column sitroom reads: ignored",
        "msel.csv:11:9: Notes: a second Notes column (the first is column 8): ignored",
        "msel.csv:13:10: this row has more cells than the header (9): is there a comma in an "
        "earlier cell? Put that cell in quotes",
        "msel.csv:14:1: Inject #: inject number 'I-01' is also row 12: number each inject once",
        "msel.csv:16:1: Inject #: no inject number",
        "msel.csv:17:2: Time: no time: write T+15, D+1 H+2 or a clock time such as 09:30, or "
        "Contingency for an inject the control room releases, or fill After or If no response",
        'msel.csv:19:3: a quote (") opened in this cell is never closed, so the rest of the '
        "sheet ran into it: close the quote (write a quote inside a cell as two quotes)",
    ],
    "bad-cells.csv": [
        "msel.csv:5:2: #seed: expected a whole number, got the text 'seven'",
        "msel.csv:6:2: #start: expected a date and time such as 2025-02-10T09:00:00, got the "
        "text 'tomorrow morning'",
        "msel.csv:7:3: #setting show_results: expected true or false, got the text 'perhaps'",
        "msel.csv:8:3: #setting colour: unknown field 'colour'; allowed here: "
        "flood_threshold, show_results, grade_rule",
        "msel.csv:9:5: #team size: expected a whole number, got the text 'many'",
        "msel.csv:13:5: #objective P: thresholds must satisfy P >= S >= M "
        "(got P=0.5, S=0.9, M=0.1)",
        "msel.csv:15:3: Time: 'T+x' is not a time: write T+15, T+1:30, D+1 H+2, +15m or a "
        "clock time such as 09:30",
        "msel.csv:16:3: Time: 'T-5' is before the start: injects happen at T+0 or later",
        "msel.csv:17:3: Time: '0930' is a bare number: write T+930 for 930 minutes after the "
        "start, or 09:30 for that time of day",
        "msel.csv:18:3: Time: '09:30' is a clock time, but the sheet has no start: add a "
        "#start row (e.g. 2025-02-11T09:00) or pass --start HH:MM",
        "msel.csv:19:2: Phase: unknown phase 'p2'; phases are the #phase rows",
        "msel.csv:20:5: From: unknown actor 'presse' (did you mean 'press'?); actors are the "
        "#actor rows",
        "msel.csv:21:6: To: unknown team 'legal'; teams are the #team rows",
        "msel.csv:22:7: Method: 'pigeon' is not a delivery method sitroom knows: write email, "
        "news, social, phone, alert, ticket, document, chat",
        "msel.csv:23:10: Delay: a delay counts from After or If no response; this row has neither",
        "msel.csv:24:11: Jitter: 'a bit' is not a duration: write 90s, 15m, 1h30m or ISO 8601 "
        "such as PT15M",
        "msel.csv:25:12: Contingency: 'maybe' is not yes or no (leave the cell empty for no)",
        "msel.csv:26:13: Priority: 'urgent' is not one of low, normal, high, critical",
        "msel.csv:27:14: Tags: starts with [ but is not a JSON list: Unterminated string "
        "starting at",
        "msel.csv:28:15: References: 'CVE-2024-1' is neither a MITRE ATLAS id (AML.T0051) nor "
        "an OWASP LLM id (LLM01); name incidents as {incidents: [...]}",
        "msel.csv:29:16: Attachments: expected a list (items start with '- ')",
        "msel.csv:30:17: When: expected a mapping ({…})",
        "msel.csv:31:18: Expectations: not valid YAML (line 1 of the cell): did not find "
        "expected ',' or ']'",
        "msel.csv:32:8: warning: Expected action: differs from the Expectations column, which "
        "is what was imported (Expected action only summarises it)",
        "msel.csv:32:18: Expectations: expects[0].options: needs at least 2 items",
        "msel.csv:32:18: Expectations: expects[0].due: 'soon' is not a duration: write 90s, "
        "15m, 1h30m or ISO 8601 such as PT15M",
        "msel.csv:33:9: warning: Objective: differs from the objectives in the Expectations "
        "column, which is what was imported",
    ],
    "bad-refs.csv": [
        "msel.csv:10:7: After: unknown inject 'I-99'",
        "msel.csv:11:7: After: unknown inject 'I-98' in 'I-98.q'",
        "msel.csv:12:9: When: when.chose: I-01.q has no option 'c'; options are a, b",
        "msel.csv:13:8: If no response: inject 'I-02' has no expectation 'x'; it has no "
        "expectations",
        "msel.csv:14:10: Expectations: expects[0].objective: unknown objective 'verfy' "
        "(did you mean 'verify'?)",
        "msel.csv:15:1: Inject #: inject number 'I-01' is also row 9: number each inject once",
    ],
    "bad-timing.csv": [
        "msel.csv:8:10: Expectations: expects[0].due: the deadline of I-01.q falls at 2h5m at "
        "the earliest, after the scenario ends (1h)",
        "msel.csv:9:2: Time: I-02 fires at 1h30m at the earliest, after the scenario ends (1h)",
        "msel.csv:10:7: After: I-03 fires at 1h40m at the earliest, after the scenario ends (1h)",
        "msel.csv:11:8: If no response: I-04 fires at 2h5m at the earliest, after the scenario "
        "ends (1h)",
        "msel.csv:12:2: Time: I-05 fires at 1d2h at the earliest, after the scenario ends (1h)",
    ],
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_sheet_yields_exactly_its_located_problems(
    name: str, sitroom: Cli, workdir: Path
) -> None:
    shutil.copy(DATA / name, "msel.csv")
    code, out, err = sitroom("msel", "import", "msel.csv", "-q")
    assert code == 1
    assert err.splitlines() == BAD[name]
    assert out, "the YAML is still written, to be fixed"


NOT_SHEETS = {
    "empty": (b"", "msel.csv:0:0: the sheet is empty: nothing to import"),
    "only a BOM and blank rows": (
        b"\xef\xbb\xbf\r\n,,,\r\n",
        "msel.csv:0:0: the sheet is empty: nothing to import",
    ),
    "an image": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "msel.csv:1:0: not UTF-8 text (byte 0x89 at offset 0): save the sheet as CSV UTF-8 "
        "(in Excel: Save As, CSV UTF-8)",
    ),
    "binary that decodes": (
        b"Inject #,Time\x00\x01\x02",
        "msel.csv:0:0: not a CSV sheet (it holds binary data): save the sheet as CSV UTF-8",
    ),
    "latin-1 from an old Excel": (
        "Inject #,Time,Synopsis\n1,T+5,Café crème\n".encode("latin-1"),
        "msel.csv:2:0: not UTF-8 text (byte 0xe9 at offset 32): save the sheet as CSV UTF-8 "
        "(in Excel: Save As, CSV UTF-8)",
    ),
    "truncated UTF-16": (
        b"\xff\xfeI\x00n\x00j",
        "msel.csv:0:0: not UTF-16 text (byte 0x6a at offset 6): save the sheet as CSV UTF-8 "
        "(in Excel: Save As, CSV UTF-8)",
    ),
    "a scenario file": (
        EVERY_FEATURE.read_bytes(),
        "msel.csv:0:0: no MSEL table: this looks like a scenario (YAML), not a sheet; "
        "`sitroom msel export` turns a scenario into a sheet",
    ),
    "prose": (
        b"Dear all,\nplease find the exercise plan attached.\n",
        "msel.csv:0:0: no MSEL table: no row names the columns (Inject #, Time, Synopsis, From, "
        "To, Method …); write them in one row above the injects",
    ),
}


@pytest.mark.parametrize("case", sorted(NOT_SHEETS))
def test_not_a_sheet_is_one_clear_error(case: str, sitroom: Cli, workdir: Path) -> None:
    raw, expected = NOT_SHEETS[case]
    Path("msel.csv").write_bytes(raw)
    Path("keep.yaml").write_text("precious: true\n")
    code, out, err = sitroom("msel", "import", "msel.csv", "-o", "keep.yaml")
    assert code == 1
    assert err.splitlines() == [expected, "msel.csv: 0 injects read; 1 error, 0 warnings"]
    assert out == ""
    assert Path("keep.yaml").read_text() == "precious: true\n", "nothing read, nothing written"


def test_a_definition_row_without_its_id_is_reported_at_its_cell() -> None:
    """Found by the property below: a blanked ``#team`` id once raised a KeyError."""
    sheet = (DATA / "bad-timing.csv").read_text(encoding="utf-8")
    result = import_csv(sheet.replace("#team,cert,CERT", "#team,,CERT"), "msel.csv")
    found = [p.format() for p in result.problems]
    assert found[:2] == [
        "msel.csv:5:2: #team id: required field is missing",
        "msel.csv:8:5: To: unknown team 'cert'; teams are the #team rows",
    ]


def test_export_of_a_broken_scenario_refuses(sitroom: Cli, workdir: Path) -> None:
    Path("broken.yaml").write_text("id: x\ntitle: X\nduration: soon\nteams: []\n")
    code, out, err = sitroom("msel", "export", "broken.yaml")
    assert code == 1 and out == ""
    assert err.splitlines()[-1] == "sitroom: broken.yaml has errors: fix them before exporting"
    assert all(line.startswith("broken.yaml:") for line in err.splitlines()[:-1])


# ------------------------------------------------------------------ time spellings

MINUTE, HOUR, DAY = 60_000, 3_600_000, 86_400_000


def one_inject(time: str, start: str = "") -> bytes:
    meta = "#id,t\n#title,T\n#duration,3d\n#team,cert,CERT\n#actor,press,Press\n"
    meta += f"#start,{start}\n" if start else ""
    return (
        meta + f"Inject #,Time,Synopsis,From,To,Method\nI-1,{time},X,press,cert,email\n"
    ).encode()


@pytest.mark.parametrize(
    ("time", "ms"),
    [
        ("T+15", 15 * MINUTE),
        ("T+0", 0),
        ("t + 15", 15 * MINUTE),
        ("T+1:30", 90 * MINUTE),
        ("T+1:30:15", 90 * MINUTE + 15_000),
        ("T+15m", 15 * MINUTE),
        ("T+15 min", 15 * MINUTE),
        ("15 minutes", 15 * MINUTE),
        ("D+1 H+2", DAY + 2 * HOUR),
        ("D+0 H+1:30", 90 * MINUTE),
        ("D+1", DAY),
        ("H+2", 2 * HOUR),
        ("D+0 H+0 M+45", 45 * MINUTE),
        ("+15m", 15 * MINUTE),
        ("1h30m", 90 * MINUTE),
        ("PT15M", 15 * MINUTE),
        ("09:30", 30 * MINUTE),
        ("9:30 AM", 30 * MINUTE),
        ("1:15 pm", 4 * HOUR + 15 * MINUTE),
        ("09:30:30", 30 * MINUTE + 30_000),
    ],
)
def test_time_spellings_planners_write(time: str, ms: int) -> None:
    result = import_csv(one_inject(time, start="2025-02-11T09:00"), "msel.csv")
    assert [p.format() for p in result.problems] == []
    assert result.scenario is not None and result.scenario.injects[0].at == ms


@pytest.mark.parametrize(
    ("time", "message"),
    [
        ("15", "'15' is a bare number: write T+15 for 15 minutes after the start"),
        ("9.30", "'9.30' is a bare number: write a clock time such as 09:30, or T+15 for "),
        ("09h30", "'09h30': write 09:30 for that time of day, or T+9:30 for that long after"),
        ("2025-02-12 09:30", "'2025-02-12 09:30': the Time column does not read dates; "),
        ("08:30", "'08:30' is before the start (09:00); for the next day write D+1 H+…"),
        ("T+1:75", "'T+1:75': minutes and seconds go up to 59"),
        ("13:00 PM", "'13:00 PM': with AM or PM the hour goes from 1 to 12"),
        ("soonish", "'soonish' is not a time: write T+15, T+1:30, D+1 H+2"),
    ],
)
def test_times_that_could_mean_two_things_are_refused(time: str, message: str) -> None:
    result = import_csv(one_inject(time, start="2025-02-11T09:00"), "msel.csv")
    assert result.scenario is None
    [problem] = result.problems
    assert problem.format().startswith(f"msel.csv:8:2: Time: {message}")


# ------------------------------------------------------------------ property: never raises

SCALE = int(os.environ.get("SITROOM_FUZZ_EXAMPLES", "0")) or None
SEED_ROWS = [
    export_rows(scenario_of(EVERY_FEATURE)),
    list(csv.reader(io.StringIO((DATA / "hseep.csv").read_text(encoding="utf-8")))),
    list(csv.reader(io.StringIO((DATA / "bad-refs.csv").read_text(encoding="utf-8")))),
]
TOKENS = [
    "", " ", "#team", "#id", "##", "#objective", "Inject #", "Time", "T+", "T+15", "D+1 H+2",
    "09:30", "25:99", "0930", "Contingency", "all", "yes", "maybe", "I-01", "I-01.choose",
    "a, b", "[", '["x"', "{", "{expectation: A1.choose, chose: z}", "- ", "- id: x", "&a *a",
    '"', ",", ";", "\t", "\n", "\r\n", "\ufeff", "é日本", "x" * 300, "-1", "1e400", "nan",
]  # fmt: skip


@st.composite
def mutated_sheet(draw: st.DrawFn) -> str:
    rows = [list(row) for row in draw(st.sampled_from(SEED_ROWS))]
    shuffle = random.Random(draw(st.integers(0, 2**16)))
    for _ in range(draw(st.integers(1, 6))):
        if not rows:
            rows.append([])
        k = draw(st.integers(0, len(rows) - 1))
        row = rows[k]
        col = draw(st.integers(0, max(len(row) - 1, 0)))
        op = draw(st.integers(0, 7))
        if op == 0 and row:
            row[col] = ""
        elif op == 1:
            end = draw(st.integers(k, len(rows)))
            part = rows[k:end]
            shuffle.shuffle(part)
            rows[k:end] = part
        elif op == 2:
            rows.insert(draw(st.integers(0, len(rows))), list(row))
        elif op == 3:
            del rows[k]
        elif op == 4 and row:
            row[col] = draw(st.text(max_size=12))
        elif op == 5 and row:
            row[col] = draw(st.sampled_from(TOKENS))
        elif op == 6:
            rows.insert(k, draw(st.lists(st.sampled_from(TOKENS), max_size=8)))
        else:
            del row[col:]
    text = rows_to_csv(rows)
    if draw(st.booleans()):  # a raw splice: stray quotes and separators break the CSV itself
        where = draw(st.integers(0, len(text)))
        text = text[:where] + draw(st.sampled_from(['"', ",", "\n", '""', ';"'])) + text[where:]
    return text


@settings(
    max_examples=SCALE or 250,
    deadline=None,
    database=None,
    derandomize=not os.environ.get("SITROOM_FUZZ_RANDOM"),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated_sheet())
def test_mutated_sheets_never_raise_and_every_problem_is_located(text: str) -> None:
    result = import_csv(text.encode("utf-8"), "fuzz.csv")
    last_row = text.count("\n") + 1
    for problem in result.problems:
        line = problem.format()
        assert line.startswith(f"fuzz.csv:{problem.line}:{problem.column}: "), line
        assert "\n" not in line and "\r" not in line, line
        assert 0 <= problem.line <= last_row, (line, last_row)
        assert problem.column >= 0 and problem.message, line
        assert "first at line" not in line, "a YAML line number leaked into a sheet problem"
    has_errors = bool(errors(result.problems))
    assert (result.scenario is None) == has_errors, "no scenario needs an error saying why"
    if not has_errors:
        assert load_bytes(result.yaml).ok
