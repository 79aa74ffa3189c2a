"""Every sheet a planner saves is read the same way, whichever dialect her spreadsheet wrote.

sitroom reads three sheets: the MSEL, the roster (``--roster``) and the answers
``sitroom rubric`` grades. The MSEL import read UTF-16 (Excel's "Unicode Text") and
semicolons or tabs between cells; the roster and the answers read UTF-8 with commas
only, so a French planner's roster (European Excel saves CSV with semicolons) was
refused with ``missing columns team, role``, and answers saved as "Unicode Text" with
``not UTF-8 text (byte 0xff on line 1)``. The three now read through one module,
:mod:`engine.sheetfile`.
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from engine import library
from engine.eventlog import EventLog
from engine.roster import Roster, TeamSeat, read_roster
from engine.scenario import Scenario, load_file
from engine.scenario.common import ID_PATTERN
from tests.engine.test_dryrun_cli import sitroom
from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
FLAGSHIP_ROSTER = ROOT / "scenarios" / "summit-flagship.roster.csv"

SCENARIO = """\
id: sheets
title: Sheets
duration: 1h
teams: [{id: soc, name: Security}, {id: comms, name: Communications}]
actors: [{id: x, name: X}]
injects:
  - id: I1
    at: 1m
    to: all
    channel: email
    from: x
    title: The sheet
"""

SEPARATORS = {"comma": ",", "semicolon": ";", "tab": "\t"}
ENCODINGS: dict[str, Callable[[str], bytes]] = {
    "UTF-8": lambda text: text.encode("utf-8"),
    "UTF-8 with BOM": lambda text: text.encode("utf-8-sig"),
    "UTF-16 with BOM": lambda text: text.encode("utf-16"),
}
LINE_ENDS = {"LF": "\n", "CRLF": "\r\n"}
DIALECTS = [(sep, enc, end) for sep in SEPARATORS for enc in ENCODINGS for end in LINE_ENDS]


def sheet(rows: list[list[str]], sep: str = "comma", enc: str = "UTF-8", end: str = "LF") -> bytes:
    """``rows`` as a spreadsheet saves them: a cell holding the separator, a quote or a
    line break (``\\r`` too, which Python's csv writer leaves bare) is quoted."""
    mark = SEPARATORS[sep]

    def cell(text: str) -> str:
        if any(c in text for c in (mark, '"', "\r", "\n")):
            return '"' + text.replace('"', '""') + '"'
        return text

    lines = (mark.join(cell(text) for text in row) + LINE_ENDS[end] for row in rows)
    return ENCODINGS[enc]("".join(lines))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sheets")
    (path / "sheets.yaml").write_text(SCENARIO, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def scenario(folder: Path) -> Scenario:
    loaded = load_file(folder / "sheets.yaml")
    assert loaded.scenario is not None, loaded.problems
    return loaded.scenario


# --- the roster ------------------------------------------------------------------------

HEADER = ["team", "role", "name", "members", "cell", "tags"]
ROLE_NAMES = {"soc": "Security", "comms": "Communications"}

ids = st.from_regex(ID_PATTERN, fullmatch=True)
words = st.text(max_size=12)  # no surrogates: any text a sheet saves
people = st.lists(words.map(lambda w: w.replace(";", " ").strip()).filter(bool), max_size=3)
seats = st.tuples(
    st.sampled_from(sorted(ROLE_NAMES)), words, people, ids | st.just(""), st.lists(ids, max_size=2)
)


def _as_read(cell: str) -> str:
    return cell.replace("\r\n", "\n").strip()


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ids, min_size=1, max_size=5, unique=True), st.lists(seats, min_size=5, max_size=5))
@example(
    teams=["soc-1", "comms-1"],
    rows=[
        ("soc", 'Security;\r\nnorth, "the" desk', ["Ann", "Bo, b"], "bank", ["x", "y"]),
        ("comms", "\tPress\t", [], "", []),
    ],
)
def test_any_roster_reads_the_same_in_every_dialect(
    scenario: Scenario, teams: list[str], rows: list[tuple[str, str, list[str], str, list[str]]]
) -> None:
    """A roster saved with commas, semicolons or tabs, in UTF-8 (with or without its
    byte-order mark) or UTF-16, with CRLF or LF, is the roster the comma UTF-8 one is;
    a spreadsheet quotes the members and tags (``"a;b"``) in a semicolon sheet. (A line
    break in a cell is read as ``\\n``, however it was written.)"""
    table = [HEADER] + [
        [team, role, name, ";".join(members), cell, ";".join(tags)]
        for team, (role, name, members, cell, tags) in zip(teams, rows, strict=False)
    ]
    expected = Roster(
        tuple(
            TeamSeat(
                team,
                role,
                _as_read(name) or f"{ROLE_NAMES[role]} ({team})",
                tuple(_as_read(m) for m in members),
                cell,
                tuple(tags),
            )
            for team, (role, name, members, cell, tags) in zip(teams, rows, strict=False)
        )
    )
    with tempfile.TemporaryDirectory() as tmp:
        for sep, enc, end in DIALECTS:
            path = Path(tmp) / f"{sep} {enc} {end}.csv"
            path.write_bytes(sheet(table, sep, enc, end))
            assert read_roster(path, scenario) == expected, (sep, enc, end)


@pytest.mark.parametrize(
    ("sep", "enc", "end"),
    [("semicolon", "UTF-8 with BOM", "CRLF"), ("tab", "UTF-16 with BOM", "CRLF")],
)
def test_the_flagship_roster_saved_by_excel_validates_as_the_comma_one(
    tmp_path: Path, sep: str, enc: str, end: str
) -> None:
    """The bundled roster (members ``Vera Yamada; Quentin Novak; …``, names with
    commas) saved as European Excel's CSV and as Excel's "Unicode Text"."""
    with FLAGSHIP_ROSTER.open(encoding="utf-8", newline="") as file:
        table = list(csv.reader(file))
    roster = tmp_path / "roster.csv"
    roster.write_bytes(sheet(table, sep, enc, end))
    said = sitroom("validate", "summit-flagship", "--roster", str(roster))
    assert said.returncode == 0, said.stdout + said.stderr
    assert (said.stdout, said.stderr) == ("", "1 file checked: all valid\n")
    flagship = load_file(library.resolve("summit-flagship")).require()
    assert read_roster(roster, flagship) == read_roster(FLAGSHIP_ROSTER, flagship)


def test_a_french_planners_roster_is_read(folder: Path) -> None:
    """The case of the report: ``team;role;name`` was refused as missing team and role."""
    roster = folder / "french.roster.csv"
    roster.write_bytes(b"team;role;name\nsoc-1;soc;\xc3\x89quipe un\ncomms-1;comms;Presse\n")
    out = sitroom("validate", str(folder / "sheets.yaml"), "--roster", str(roster))
    assert out.returncode == 0, out.stdout + out.stderr
    assert (out.stdout, out.stderr) == ("", "1 file checked: all valid\n")


def test_a_dry_run_plays_the_teams_of_a_unicode_text_roster(folder: Path) -> None:
    """Excel's "Unicode Text" (UTF-16, tabs, CRLF) fields the teams the comma sheet does."""
    rows = [
        ["team", "role", "name", "members", "cell"],
        ["soc-1", "soc", "Sécurité, nord", "Ann; Bob", "bank"],
        ["comms-1", "comms", "Presse", "Cy", "bank"],
        ["soc-2", "soc", "Sécurité, sud", "", ""],
    ]
    rosters: dict[str, Roster] = {}
    outputs: dict[str, str] = {}
    for enc, sep, end in [("UTF-8", "comma", "LF"), ("UTF-16 with BOM", "tab", "CRLF")]:
        roster, db = folder / f"{sep}.roster.csv", folder / f"{sep}.db"
        roster.write_bytes(sheet(rows, sep, enc, end))
        args = ["--roster", str(roster), "--format", "json", "--log", str(db)]
        out = sitroom("dry-run", str(folder / "sheets.yaml"), *args)
        assert out.returncode == 0, out.stdout + out.stderr
        outputs[sep] = out.stdout
        with EventLog.open(db) as log:
            rosters[sep] = log.roster
    assert rosters["tab"] == rosters["comma"]
    assert rosters["tab"].get("soc-1") == TeamSeat(
        "soc-1", "soc", "Sécurité, nord", ("Ann", "Bob"), "bank"
    )
    assert outputs["tab"] == outputs["comma"]
    assert json.loads(outputs["tab"])["teams"] == 3


REFUSED = {
    # a sheet that is none of those read, or a row cut in two: (bytes, what is said)
    "members not quoted in a semicolon sheet": (
        b"team;role;name;members\nsoc-1;soc;Security;Ann;Bob\n",
        "roster.csv:2:5: a cell right of the last column (members): a cell that holds a "
        'semicolon ("a;b") must be quoted, or it is cut in two',
    ),
    "a name with a comma not quoted": (
        b"team,role,name\nsoc-1,soc,Security, north\n",
        "roster.csv:2:4: a cell right of the last column (name): a cell that holds a comma "
        '("a,b") must be quoted, or it is cut in two',
    ),
    "pipes between cells": (
        b"team|role|name\nsoc-1|soc|Security\n",
        "roster.csv:1:1: missing columns team, role; the columns are team, role, name, "
        "members, cell, tags, between commas, semicolons or tabs (the first row reads "
        "'team|role|name')",
    ),
    "UTF-16 cut short": (
        "team\trole\r\nsoc-1\tsoc\r\n".encode("utf-16")[:-1],
        "roster.csv:0:0: not UTF-16 text (byte 0x0a): save it as UTF-8 "
        "(in Excel: Save As, CSV UTF-8)",
    ),
    "a cell the csv module cannot read": (
        b"team;role;name\nsoc-1;soc;Security\ncomms-1;comms;" + b"n" * 140_000 + b"\n",
        "roster.csv:3:0: not a CSV roster: field larger than field limit (131072)",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_roster_that_cannot_be_read_is_refused_where_it_goes_wrong(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    raw, said = REFUSED[case]
    (tmp_path / "roster.csv").write_bytes(raw)
    (tmp_path / "sheets.yaml").write_text(SCENARIO, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "sheets.yaml", "--roster", "roster.csv"]) == 1
    out = capsys.readouterr()
    assert out.out.splitlines() == [said]
    assert out.err == "1 file checked: 1 invalid, 1 error, 0 warnings\n"


# --- the answers sitroom rubric grades --------------------------------------------------

GOOD = (
    "No shutdown of the power grid is planned; we are verifying the video, and will post "
    "updates on the government's official channels within the hour."
)
OTHER = "Nothing to add, for now."

ANSWERS = {
    # how the answers were saved: their bytes
    "European Excel (semicolons, BOM, CRLF)": sheet(
        [["team", "text"], ["a", GOOD], ["b", OTHER]], "semicolon", "UTF-8 with BOM", "CRLF"
    ),
    'Excel "Unicode Text" (UTF-16, tabs)': sheet(
        [["team", "text"], ["a", GOOD], ["b", OTHER]], "tab", "UTF-16 with BOM", "CRLF"
    ),
    # one column, written by hand: an answer's own commas and semicolons are its own
    "one column, not quoted": f"text\n{GOOD}\n\n{OTHER}\n".encode(),
}


@pytest.mark.meaning
@pytest.mark.parametrize("saved", sorted(ANSWERS))
def test_answers_are_read_in_every_dialect(
    saved: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "answers.csv"
    answers.write_bytes(ANSWERS[saved])
    code = main(["rubric", "summit-deepfake", "I-13.holding", str(answers), "--format", "json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    doc = json.loads(out.out)
    assert [d["text"] for d in doc] == [GOOD, OTHER]
    assert doc[0]["status"] == "met"


@pytest.mark.meaning
def test_answers_the_csv_module_cannot_read_are_refused_at_their_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A cell past the csv module's limit stopped the command with csv's traceback."""
    answers = tmp_path / "answers.csv"
    answers.write_bytes(b"team;text\na;Fine\nb;" + b"n" * 140_000 + b"\n")
    code = main(["rubric", "summit-deepfake", "I-13.holding", str(answers)])
    out = capsys.readouterr()
    assert code == 1
    assert out.err.splitlines() == [
        f"sitroom: {answers}:3:0: cannot read this row as CSV "
        "(field larger than field limit (131072))"
    ]
