""":func:`engine.sheetfile.delimiter` reads quotes as the csv module that reads the rows does.

``delimiter`` guessed the separator by counting separators outside quotes, and every
quote flipped "outside": a quote in the middle of a cell not quoted (``12" screen``),
or after a quoted cell's closing quote (``"Size" (")``), which the csv module reads as a
character, hid the separators after it, and line breaks too, up to the next quote. The
separators are now read with the csv module's own quoting, one reading per separator.

Oracles: the csv module itself (a character-by-character port of its reader, checked
against :func:`csv.reader` on every text it reads), and tables written as spreadsheets
and by hand, whose separator is known.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from engine.sheetfile import SEPARATORS, delimiter, ends_quoted, rows


@dataclass
class Record:
    """A record as the csv module reads it: where it starts, its cells, its stray quotes
    (quotes read as a character of a cell not quoted, right after another separator)."""

    start: int
    cells: list[str] = field(default_factory=list)
    stray: int = 0
    hiding: int = 0
    """Stray quotes whose cell, read with the separator before them, would hold ``sep``
    (up to the next lone quote, two quotes being one)."""


def read(text: str, sep: str) -> tuple[list[Record], bool]:
    """``text``'s records as ``csv.reader(..., delimiter=sep)`` reads them (the default
    dialect: doublequote, not strict), and whether it ends inside a quoted cell: CPython's
    ``parse_process_char``, one character at a time."""
    records: list[Record] = []
    state = "record"  # record, field, in, quoted, quote (after a quote in a quoted cell)
    cell: list[str] = []
    record = Record(0)
    i = 0
    while i <= len(text):
        c = text[i] if i < len(text) else ""
        if state == "record":
            if c == "":
                break
            record = Record(i)
            if c in "\r\n":  # a blank line: an empty record
                records.append(record)
                i += 2 if text.startswith("\r\n", i) else 1
                continue
            state = "field"
        if state in ("field", "in", "quote") and (c in ("\r", "\n", "") or c == sep):
            record.cells.append("".join(cell))
            cell = []
            if c == sep:
                state = "field"
            else:
                records.append(record)
                state = "record"
                i += 2 if text.startswith("\r\n", i) else 1
                continue
        elif state == "field":
            if c == '"':
                state = "quoted"
            else:
                cell.append(c)
                state = "in"
        elif state == "in":
            if c == '"' and text[i - 1] in SEPARATORS:
                record.stray += 1
                j = i + 1
                while j < len(text) and (text[j] != '"' or text.startswith('""', j)):
                    j += 2 if text.startswith('""', j) else 1
                record.hiding += sep in text[i + 1 : j]
            cell.append(c)
        elif state == "quoted":
            if c == "":  # never closed: csv, not strict, yields the cell
                record.cells.append("".join(cell))
                records.append(record)
                return records, True
            if c == '"':
                state = "quote"
            else:
                cell.append(c)
        elif state == "quote":
            cell.append(c)  # a quote doubled, or text after a quoted cell
            state = "quoted" if c == '"' else "in"
        i += 1
    return records, False


def expected(text: str, header: bool) -> str | None:
    """The separator :func:`delimiter` documents, from the csv module's readings: the first
    record some separator splits; then fewest stray quotes hiding the separator, most
    cells, fewest other stray quotes, first separator."""
    found = []
    for rank, sep in enumerate(SEPARATORS):
        records, _ = read(text, sep)
        split = [r for r in records[: 1 if header else None] if len(r.cells) > 1]
        if split:
            r = split[0]
            found.append((r.start, r.hiding, -len(r.cells), r.stray - r.hiding, rank))
    if found:
        return SEPARATORS[min(found)[4]]
    return None if header else ","


TRICKY = '"",;\t\r\n ab'
"""Characters that make a sheet's quoting: quotes (twice as likely), the separators,
line breaks, a space and letters."""


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=TRICKY, max_size=24), st.booleans())
@example('Title "x\ntime;inject;to\n', False)  # a mid-cell quote on a title line
@example('"a"b"c;d";e,f\n', False)  # a quote after a quoted cell's text
@example('a;"b, c, d"\n', True)  # commas a semicolon sheet quoted
def test_the_separator_is_read_as_the_csv_module_reads_the_sheet(text: str, header: bool) -> None:
    for sep in SEPARATORS:
        records, unclosed = read(text, sep)
        with_csv = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
        assert [r.cells for r in records] == with_csv  # the port reads as csv reads
        assert ends_quoted(text, sep) == unclosed
    assert delimiter(text, header=header) == expected(text, header)


@pytest.mark.parametrize("lead", ["\n", "\r", "\r\n", "title\n", "a b\r\n"])
@pytest.mark.parametrize("quoted", ["", '"x\n;y"\n', 'he said "hi" there\n'])
def test_many_lines_before_the_first_separator_are_read_as_csv_reads_them(
    lead: str, quoted: str
) -> None:
    """Records none splits are stepped over, not read a line at a time (5 MB of blank
    lines took 4.5 s), unless a quote before the separator may open a cell across them."""
    text = lead * 2_000 + quoted + lead * 2_000 + "a\tb,c,d\n"
    assert delimiter(text) == expected(text, False)


# --- tables whose separator is known ---------------------------------------------------

CELL = st.text(alphabet='"",;\t\r\n abé', max_size=8)


def by_hand(table: list[list[str]], sep: str) -> str:
    """``table`` as a planner types it: a cell is quoted only when it must be (it holds
    the separator or a line break, or starts with a quote); a quote in the middle of a
    cell is left as it is, as the csv module reads it."""

    def cell(text: str) -> str:
        if sep in text or "\r" in text or "\n" in text or text.startswith('"'):
            return '"' + text.replace('"', '""') + '"'
        return text

    def line(row: list[str]) -> str:
        return '""' if row == [""] else sep.join(cell(text) for text in row)  # not a blank line

    return "".join(line(row) + "\r\n" for row in table)


def written(table: list[list[str]], sep: str, style: str) -> str:
    """``table`` as the csv module writes it: as a spreadsheet does ("minimal": a cell is
    quoted when it holds the separator, a quote or a line break), or every cell quoted
    ("quote all", as LibreOffice can), or :func:`by_hand`."""
    if style == "by hand":
        return by_hand(table, sep)
    out = io.StringIO(newline="")
    if style == "quote all":
        csv.writer(out, delimiter=sep, quoting=csv.QUOTE_ALL).writerows(table)
    else:
        csv.writer(out, delimiter=sep, quoting=csv.QUOTE_MINIMAL).writerows(table)
    return out.getvalue()


def left_bare(cell: str, sep: str, style: str) -> bool:
    """Whether ``style`` writes ``cell`` without quotes."""
    if style == "quote all":
        return False
    if style == "by hand":
        return not (sep in cell or "\r" in cell or "\n" in cell or cell.startswith('"'))
    return not any(c in cell for c in (sep, '"', "\r", "\n"))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(SEPARATORS),
    st.sampled_from(["minimal", "quote all", "by hand"]),
    st.lists(st.lists(CELL, min_size=1, max_size=4), min_size=1, max_size=4),
    st.lists(CELL, min_size=2, max_size=4),
    st.none() | st.text(alphabet='" abé', min_size=1, max_size=10),
)
@example(";", "by hand", [["x"]], ['He said "yes', "ok"], None)
@example(";", "by hand", [["a", "b"]], ["a", "b"], 'Ice storm: 2" of ice')
@example("\t", "minimal", [["x"]], ["team", "role, if any"], None)
def test_a_table_is_read_with_the_separator_it_was_written_with(
    sep: str, style: str, body: list[list[str]], first: list[str], title: str | None
) -> None:
    """A table written with ``sep`` by a spreadsheet (quoting what must be, or every
    cell) or by hand (a quote in the middle of a cell left bare), under an optional
    title line of its own (no separator; a quote in it, not at its start): ``delimiter``
    finds ``sep`` (the header's alone too, with no title), and ``rows`` reads the table.

    ``sep`` is certain when no cell of the first row written bare holds another
    separator (``a;b,c,d`` is as much three commas as one semicolon): a separator
    inside a quoted cell is split by another separator's reading only after a quote
    that reading takes for a character (a stray quote), which ``sep``'s never has."""
    table = [first, *body]
    title = None if title is None or title.startswith('"') else title
    text = (title + "\n" if title is not None else "") + written(table, sep, style)
    others = [other for other in SEPARATORS if other != sep]
    certain = not any(
        left_bare(cell, sep, style) and any(other in cell for other in others) for cell in first
    )
    found = delimiter(text)
    assert found == expected(text, header=False)
    if not certain:
        return
    assert found == sep
    if title is None:
        assert delimiter(text, header=True) == sep
    read = [[cell.replace("\r\n", "\n") for cell in row] for row in table]
    assert list(rows(text, sep)) == ([[title]] if title is not None else []) + read


# --- by hand ---------------------------------------------------------------------------

FOUND = {
    # what a planner typed: (header, the separator)
    "a mid-cell quote hid the header's semicolons after it, and the line break": (
        'team;role;name;desk (24" screen)\nsoc-1;soc;"Security, north, east, west";A1\n',
        True,
        ";",
    ),
    "a mid-cell quote on a title line hid the line break after it": (
        'Ice storm: 2" of ice overnight\nNo.;Time;Synopsis;To\n1;09:00;"Power out, roads'
        ' closed, schools shut";soc\n',
        False,
        ";",
    ),
    "an odd mid-cell quote hid the rest of the line": (
        'Title, draft;He said "yes;no;x\n',
        False,
        ";",
    ),
    "a quote after a quoted cell's text hid the semicolon after it": (
        '"Size" (");Room;Screen\n"Ann, Bob, Cy, Dee";B2;12\n',
        True,
        ";",
    ),
    "a quote after a quoted cell's text, then more": ('"a"b"c;d";e,f\n', False, ";"),
    # a review's cases: a stray quote whose cell would hold no comma says nothing for it
    "a hand-written quoted nickname after a comma in a semicolon header": (
        'team;role;name,"nick"\nsoc-1;soc;Ana\n',
        True,
        ";",
    ),
    "a hand-written quoted word after a comma in a tab header": (
        'team\trole\tname,"nick"\n',
        True,
        "\t",
    ),
    "a quoted annex after a comma in a semicolon MSEL header": (
        'time;inject;to;note: see,"annex"\n',
        True,
        ";",
    ),
    "a title line's quote opened a cell the csv module does not open": (
        'Blackout "v2\n\nat,to,title\n5m,soc,"Mail; the CEO; again"\n',
        False,
        ",",
    ),
}


@pytest.mark.parametrize("case", sorted(FOUND))
def test_hand_written_quotes_are_read_as_csv_reads_them(case: str) -> None:
    text, header, sep = FOUND[case]
    assert delimiter(text, header=header) == sep
    assert delimiter(text, header=header) == expected(text, header)


DOCUMENTED = {
    # what delimiter says of a sheet as its docstring says: (text, header, the separator)
    "the first record with a separator, not a title line": (
        "Blackout\n\na;b;c,d\ne,f,g\n",
        False,
        ";",
    ),
    "a header with no separator is one column": ("text\nNo; not yet, we verify\n", True, None),
    "no separator at all: a comma": ("text\nanswer\n", False, ","),
    "a tie: the first of , ; tab": ("a,b;c\n", True, ","),
    "a record of two lines, its line break quoted": ('"a\nb";c\nd,e,f,g\n', False, ";"),
}


@pytest.mark.parametrize("case", sorted(DOCUMENTED))
def test_what_delimiter_documents_is_kept(case: str) -> None:
    text, header, sep = DOCUMENTED[case]
    assert delimiter(text, header=header) == sep
