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


UNCLOSED = (
    'a quote (") opened in this cell is never closed, so the rest of the sheet ran into it: '
    "close the quote (write a quote inside a cell as two quotes)"
)

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
    # a quote never closed swallowed the rest of the roster: soc-1 alone was fielded
    "a quote never closed": (
        b'team,role,name\nsoc-1,soc,"Security\ncomms-1,comms,Press\ncomms-2,comms,Web\n',
        f"roster.csv:2:3: {UNCLOSED}",
    ),
    "a quote never closed, in the header": (
        b'"team,role,name\nsoc-1,soc,Security\n' + b"comms-1,comms,Press\n" * 300,
        f"roster.csv:1:1: {UNCLOSED}",
    ),
    # the header's name for a column, in any case, trimmed
    "a column given twice": (
        b"team,role,name, Name \nsoc-1,soc,Security,Sec\ncomms-1,comms,Press,Pr\n",
        "roster.csv:1:4: column 'Name' is given twice (column 3 is the other): keep one",
    ),
    "a cell under a column with no name": (
        b"team,,role\nsoc-1,,soc\ncomms-1,Press,comms\n",
        "roster.csv:3:2: a cell in column 2, which the first row gives no name: name the "
        "column, or empty the cell",
    ),
    # Excel ends a header with an empty cell (team;role;name;members;): no column, so
    # the cut cell under it is found, and the column named is the last with a name
    "a cell cut under an empty header cell": (
        b"team;role;name;members;\r\nsoc-1;soc;Security;Ann;Bob\r\ncomms-1;comms;Press;Cy;\r\n",
        "roster.csv:2:5: a cell right of the last column (members): a cell that holds a "
        'semicolon ("a;b") must be quoted, or it is cut in two',
    ),
    "a cell cut two columns right of an empty header cell": (
        b"team;role;name;members;\r\nsoc-1;soc;Security;;\r\ncomms-1;comms;Press;Cy;Dee;Eve\r\n",
        "roster.csv:3:5: a cell right of the last column (members): a cell that holds a "
        'semicolon ("a;b") must be quoted, or it is cut in two',
    ),
    # rows as the spreadsheet numbers them: a blank line is a row, a cell's line break is not
    "a bad row after a blank line and a cell of two lines": (
        b'team,role,name\r\n\r\nsoc-1,soc,"Security,\r\nnorth"\r\nsoc 2,soc,South\r\n',
        "roster.csv:4:1: team: 'soc 2' is not a valid team id (letters, digits, - and _)",
    ),
    # what the refusal quotes of the first row is bounded
    "a long first row": (
        b"team|role|name|" + b"x" * 6_000 + b"\nsoc-1|soc|Security\n",
        "roster.csv:1:1: missing columns team, role; the columns are team, role, name, "
        "members, cell, tags, between commas, semicolons or tabs (the first row reads "
        "'team|role|name|" + "x" * 63 + "\u2026)",
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


def test_a_column_the_roster_does_not_know_is_ignored_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A planner's own column (``email``) or a misspelt one (``cells``) is read as no
    column, never silently: validate warns at its place (and --strict fails on it), and
    dry-run and serve print the same warning before they play."""
    raw = b"Team,Role,Name,cells\nsoc-1,soc,Security,bank\ncomms-1,comms,Press,bank\n"
    (tmp_path / "roster.csv").write_bytes(raw)
    (tmp_path / "sheets.yaml").write_text(SCENARIO, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    warned = (
        "roster.csv:1:4: warning: column 'cells' is not a roster column, so it is ignored (the"
        " columns are team, role, name, members, cell, tags; capitals do not matter)"
    )
    assert main(["validate", "sheets.yaml", "--roster", "roster.csv"]) == 0
    out = capsys.readouterr()
    assert out.out.splitlines() == [warned]
    assert out.err == "1 file checked: 0 invalid, 0 errors, 1 warning\n"
    assert main(["validate", "--strict", "sheets.yaml", "--roster", "roster.csv"]) == 1
    capsys.readouterr()
    done = sitroom(
        "dry-run",
        "--scenario",
        str(tmp_path / "sheets.yaml"),
        "--roster",
        str(tmp_path / "roster.csv"),
    )
    assert done.returncode == 0, done.stderr
    assert f"{tmp_path / warned}" in done.stderr.splitlines()


def _fielded(folder: Path, name: str, raw: bytes) -> Roster:
    """The teams ``dry-run`` fields from the roster ``raw``, as its log keeps them."""
    roster, db = folder / f"{name}.roster.csv", folder / f"{name}.db"
    roster.write_bytes(raw)
    db.unlink(missing_ok=True)
    out = sitroom("dry-run", str(folder / "sheets.yaml"), "--roster", str(roster), "--log", str(db))
    assert out.returncode == 0, out.stdout + out.stderr
    with EventLog.open(db) as log:
        return log.roster


def test_roster_columns_are_named_in_any_case(folder: Path) -> None:
    """``Cell``, ``Members``, ``Tags`` were ignored (the teams regrouped into cell-01,
    cell-02, no members), ``Team`` and ``Role`` refused as missing."""
    rows = [
        ["team", "role", "name", "members", "cell", "tags"],
        ["soc-1", "soc", "North", "Ann;Bob", "bank", "vip"],
        ["soc-2", "soc", "South", "", "hospital", ""],
        ["comms-1", "comms", "Press", "Cy", "hospital", ""],
        ["comms-2", "comms", "Web", "", "bank", ""],
    ]
    expected = _fielded(folder, "lower", sheet(rows))
    assert expected.cells() == {"bank": ["soc-1", "comms-2"], "hospital": ["soc-2", "comms-1"]}
    rows[0] = ["Team", " ROLE", "Name ", "Members", "Cell", "Tags"]
    assert _fielded(folder, "capitals", sheet(rows, "semicolon", "UTF-8 with BOM", "CRLF")) == (
        expected
    )


def test_the_separator_is_told_by_the_header_line(folder: Path) -> None:
    """The rows below the header must not outvote it: a comma roster whose members are
    between semicolons, not quoted (as scenarios/summit-flagship.roster.csv), and a
    semicolon roster whose names hold commas."""
    comma = (
        b"team,role,name,members\n"
        b"soc-1,soc,Security,Ann; Bob; Cy; Dee; Eve\n"
        b"comms-1,comms,Press,Fay; Gus; Hal; Ida; Jo\n"
    )
    read = _fielded(folder, "comma", comma)
    assert read.get("soc-1") == TeamSeat(
        "soc-1", "soc", "Security", ("Ann", "Bob", "Cy", "Dee", "Eve")
    )
    semicolon = (
        b"team;role;name\n"
        b"soc-1;soc;Security, north, east, west, south\n"
        b"comms-1;comms;Press, web, radio, TV, print\n"
    )
    read = _fielded(folder, "semicolon", semicolon)
    assert read.get("comms-1") == TeamSeat("comms-1", "comms", "Press, web, radio, TV, print")


def test_a_quote_in_the_middle_of_a_header_cell_is_a_character(
    scenario: Scenario,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A planner's own column ``desk (24" screen)``: the csv module reads its quote as a
    character, but the separator was told with every quote read as opening or closing
    a quoted cell, so the semicolons after it and the line break were hidden, up to the
    quote of ``"Security, north, east, west"``, whose commas outvoted the semicolons:
    the header was read as one column, refused as missing team and role."""
    (tmp_path / "roster.csv").write_bytes(
        b'team;role;name;desk (24" screen)\n'
        b'soc-1;soc;"Security, north, east, west";A1\n'
        b"comms-1;comms;Press;B2\n"
    )
    (tmp_path / "sheets.yaml").write_text(SCENARIO, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "sheets.yaml", "--roster", "roster.csv"]) == 0
    out = capsys.readouterr()
    assert out.out.splitlines() == [
        "roster.csv:1:4: warning: column 'desk (24\" screen)' is not a roster column, so it is "
        "ignored (the columns are team, role, name, members, cell, tags; capitals do not matter)"
    ]
    assert out.err == "1 file checked: 0 invalid, 0 errors, 1 warning\n"
    roster = read_roster(tmp_path / "roster.csv", scenario)
    assert roster.get("soc-1") == TeamSeat("soc-1", "soc", "Security, north, east, west")
    assert roster.get("comms-1") == TeamSeat("comms-1", "comms", "Press")


def test_a_quote_never_closed_in_the_flagship_roster_is_refused() -> None:
    """A stray quote before a name on row 39 of the bundled roster: ``validate`` said
    all valid and ``dry-run`` fielded 38 teams of 40 (the last two ran into the name)."""
    lines = FLAGSHIP_ROSTER.read_text(encoding="utf-8").splitlines(keepends=True)
    team, role, rest = lines[38].split(",", 2)
    lines[38] = f'{team},{role},"{rest}'
    with tempfile.TemporaryDirectory() as tmp:
        roster = Path(tmp) / "tables.csv"
        roster.write_text("".join(lines), encoding="utf-8")
        said = f"{roster}:39:3: {UNCLOSED}\n"
        checked = sitroom("validate", "summit-flagship", "--roster", str(roster))
        assert (checked.returncode, checked.stdout) == (1, said), checked.stderr
        played = sitroom("dry-run", "summit-flagship", "--roster", str(roster), "--format", "json")
        assert (played.returncode, played.stdout) == (1, said), played.stderr


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


ANSWERS_REFUSED = {
    # how the answers were saved: their bytes, and where and what is said
    "an answer cut at a semicolon not quoted": (
        f"team;text\r\na;{GOOD}\r\nb;{OTHER}\r\n".encode(),
        "2:3: a cell right of the last column (text): a cell that holds a semicolon "
        '("a;b") must be quoted, or it is cut in two',
    ),
    "an answer cut at a comma, under an empty header cell": (
        f"text,team,\nNo shutdown, we verify,a\n{OTHER},b\n".encode(),
        "2:3: a cell right of the last column (team): a cell that holds a comma "
        '("a,b") must be quoted, or it is cut in two',
    ),
    "a quote never closed in one column": (
        f'text\n{OTHER}\n"No shutdown is planned,\nWe are verifying.\n{OTHER}\n'.encode(),
        f"3:1: {UNCLOSED}",
    ),
    "a quote never closed in the header": (
        b'"team;text\na;Fine\n',
        f"1:1: {UNCLOSED}",
    ),
    # a line break (here a carriage return alone) not quoted ends the row: the rest of
    # the answer, on a row of its own left of the text column, was dropped
    "an answer cut by a line break not quoted": (
        b"team;text\na;No shutdown is planned.\rWe are verifying.\nb;Fine\n",
        "3:1: this row ends before the 'text' column (column 2): a cell that holds a line "
        "break must be quoted, or its row is cut in two",
    ),
    "no text column, in a long header": (
        b"team;answer " + b"x" * 500 + b"\na;Fine\n",
        "1:0: the CSV has no 'text' column (its columns: team, answer " + "x" * 66 + "\u2026)",
    ),
}


@pytest.mark.parametrize("saved", sorted(ANSWERS_REFUSED))
def test_answers_cut_or_run_together_are_refused_where_it_goes_wrong(
    saved: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each was graded as something the planner did not write: the first part of an
    answer, two answers as one, the rest of the sheet as one answer. Refused before
    any grading."""
    raw, said = ANSWERS_REFUSED[saved]
    answers = tmp_path / "answers.csv"
    answers.write_bytes(raw)
    code = main(["rubric", "summit-deepfake", "I-13.holding", str(answers), "--format", "json"])
    out = capsys.readouterr()
    assert (code, out.out) == (1, "")
    assert out.err.splitlines() == [f"sitroom: {answers}:{said}"]
