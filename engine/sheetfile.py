"""A spreadsheet a planner saved, read into rows: one decoding and one dialect for every sheet.

sitroom reads three kinds of sheet: the MSEL (``sitroom msel import``), the roster
(``--roster``) and the answers ``sitroom rubric`` grades. Excel, LibreOffice and
Numbers save a sheet as CSV in UTF-8 (Excel puts a byte-order mark before it) or in
UTF-16 behind its byte-order mark (Excel's "Unicode Text"), with commas, semicolons
(Excel where the decimal mark is a comma) or tabs between cells, and with ``\\r\\n`` or
``\\n`` between rows. Each of the three reads bytes into text with :func:`decode` and
text into records with :func:`rows`, so a sheet one of them reads, the others read too.

Records are what the spreadsheet numbers as rows: one per record however many line
breaks its cells hold, and a blank line is an empty record, so a caller that counts
them counts as the spreadsheet does. A line break inside a cell is read as one ``\\n``
whichever way the spreadsheet wrote it. A quote opened in a cell and never closed would
swallow the rest of the sheet into that cell without a word from the csv module: it
raises :class:`UnclosedQuote` instead, so each reader refuses it where it opened.
"""

from __future__ import annotations

import csv
import heapq
import io
import re
from collections.abc import Iterator

from engine.i18n import N_, _
from engine.textfile import utf8_text

SEPARATORS = (",", ";", "\t")
"""What spreadsheets put between cells; on a tie, the first wins."""


def decode(raw: bytes, name: str) -> str:
    """A sheet's text: UTF-8 (with or without its byte-order mark), or UTF-16 behind its mark.

    Anything else raises :class:`engine.textfile.NotUtf8` (named ``name``), whose advice
    says how Excel saves CSV UTF-8; each reader reports it in its own form.
    """
    return utf8_text(raw, name, sheet=True, utf16=True)


def delimiter(text: str, *, header: bool = False) -> str | None:
    """The separator used most, outside quotes, in the first record that has one.

    The first record with a separator, not the first record: a sheet written by hand
    may open with a bare title line (the MSEL allows one). A sheet whose first record
    is its header (``header``: the roster, the answers) is told by that record alone,
    and None says it has no separator there: the sheet has one column, and a ``,`` ``;``
    or tab in the rows below is part of a cell (an answer, one per row, holds them).

    Each separator is read as :func:`rows` will split on it (:func:`_records`): a quote
    opens a quoted cell only at the start of a cell, so where quoted cells are depends
    on the separator, and a record is a line, or more when a quoted cell holds line
    breaks. Of the first records that a separator splits, the one that starts first
    decides. Where they start at one place, the fewest stray quotes hiding the separator
    win: quotes read as a character right after another separator, where that one would
    open a quoted cell holding this one (``a;"b, c, d"`` read with commas is ``a;"b``,
    `` c``, `` d"``), as a spreadsheet quotes cells so that its own separator reads none;
    then the most separators (``team;role;name,"nick"``, a cell written by hand, is a
    semicolon sheet); then the fewest other stray quotes (a spreadsheet's own separator
    reads none: a header of ``;`` and a quoted quote, tab between, is a tab sheet); then
    the first of :data:`SEPARATORS`. The separators are read side by side, up to that
    record: a sheet of a few megabytes is not read whole.
    """
    streams = (_ranked(text, rank, sep, header) for rank, sep in enumerate(SEPARATORS))
    first = next(
        (rank for _start, _hiding, fewer, _other, rank in heapq.merge(*streams) if fewer), None
    )
    if first is not None:
        return SEPARATORS[first]
    return None if header else ","


def _ranked(
    text: str, rank: int, sep: str, header: bool
) -> Iterator[tuple[int, int, int, int, int]]:
    """``sep``'s records as :func:`delimiter` merges them: (where the record starts, its
    stray quotes hiding ``sep``, minus its separators, its other stray quotes, ``rank``),
    so that of records starting at one place the one :func:`delimiter` prefers comes
    first. The first record alone for a ``header``."""
    for start, count, hiding, other in _records(text, sep):
        yield start, hiding, -count, other, rank
        if header:
            return


def rows(text: str, sep: str | None = ",") -> Iterator[list[str]]:
    """The sheet's records, cells split on ``sep`` (None: one column, cells read whole).

    ``sep`` is what :func:`delimiter` found. A carriage return alone, outside quotes,
    ends a record as a line break does (old Mac sheets end every row so). A quote
    opened at the start of a cell and never closed would swallow every row after it
    into that cell, without a word from the csv module: the record it opened in is not
    yielded, and :class:`UnclosedQuote` says where it opened. Reading raises
    :class:`csv.Error` on what the csv module cannot read (a cell past
    :func:`csv.field_size_limit`); the caller says where, from the records read.
    """
    split = sep or _absent(text)
    unclosed = ends_quoted(text, split)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=split)
    held: list[str] | None = None
    count = 0
    try:
        for cells in reader:
            if held is not None:
                yield held
            held = [cell.replace("\r\n", "\n") for cell in cells]
            count += 1
    except csv.Error:
        if held is not None:
            yield held  # the records before the one the csv module cannot read
        raise
    if held is None:
        return
    if unclosed:
        raise UnclosedQuote(count, len(held), held)
    yield held


class UnclosedQuote(csv.Error):
    """A quote opened in a cell is never closed, so the rest of the sheet ran into it.

    ``row`` is the record it opened in (as the spreadsheet numbers rows), ``column``
    the cell (1-based: the record's last), ``cells`` the record as read, the rest of
    the sheet in its last cell.
    """

    def __init__(self, row: int, column: int, cells: list[str]) -> None:
        super().__init__(f"a quote opened in row {row}, cell {column}, is never closed")
        self.row = row
        self.column = column
        self.cells = cells


def ends_quoted(text: str, sep: str) -> bool:
    """Whether the text ends inside a quoted cell, read as :mod:`csv` reads it with ``sep``."""
    return any(close == len(text) for _open, close in _quoted(text, sep))


def _quoted(text: str, sep: str) -> Iterator[tuple[int, int]]:
    """Every quoted cell of ``text`` read with ``sep``, from the first (:func:`_next_quoted`)."""
    at = 0
    while (cell := _next_quoted(text, sep, at, len(text))) is not None:
        yield cell
        at = cell[1] + 1


def _next_quoted(text: str, sep: str, at: int, before: int) -> tuple[int, int] | None:
    """The first quoted cell that opens at ``at`` or after and before ``before``, as
    :mod:`csv` reads ``text`` with ``sep`` (the default dialect: a quote doubled is a
    quote, not strict), ``at`` being outside quotes: the index of its opening quote and
    of its closing quote, ``len(text)`` when it is never closed.

    The one place the quoting is decided, for :func:`delimiter` and :func:`rows`. A
    quote opens a quoted cell only at the start of a cell: first in the text, or after
    ``sep`` or a line break read outside quotes. Elsewhere it is a character of the
    cell, and so is any quote after a quoted cell closed and before the next separator
    (``"abc"d"e`` is one cell, ``abc"d"e``): the csv module appends what follows a
    closing quote to the cell. Inside a quoted cell, two quotes are a quote and one
    closes it. Only the quotes are visited, so this is quick.
    """
    starts = (sep, "\n", "\r")
    i = text.find('"', at, before)
    while i > 0 and text[i - 1] not in starts:
        i = text.find('"', i + 1, before)  # mid-cell: a character
    if i == -1:
        return None
    return i, _closing(text, i)


def _closing(text: str, quote: int) -> int:
    """Where the quoted cell opened by the quote at ``quote`` closes, as :mod:`csv` reads
    it (two quotes are a quote): the index of its closing quote, ``len(text)`` if none."""
    close = text.find('"', quote + 1)
    while close != -1 and text.startswith('""', close):
        close = text.find('"', close + 2)
    return len(text) if close == -1 else close


_BREAK = re.compile("\r\n?|\n")
"""A line break, as the csv module ends a record outside quotes (and :func:`io.StringIO`
with ``newline=""`` splits lines): ``\r\n``, ``\n`` or ``\r`` alone."""
_STRAY = re.compile("[" + "".join(SEPARATORS) + ']"')
"""A quote right after one of :data:`SEPARATORS`: stray where it is not a cell's start,
and counted against a separator when the cell it would open holds it (:func:`_hides`)."""


def _hides(text: str, quote: int, sep: str) -> bool:
    """Whether the quoted cell a stray quote at ``quote`` would open, read with the
    separator before it, holds ``sep``: then ``sep`` cuts a cell the sheet quoted
    (``a;"b, c, d"`` read with commas). One that holds none says nothing against ``sep``
    (``team;role;name,"nick"`` is a semicolon sheet, its last cell written by hand)."""
    return text.find(sep, quote + 1, _closing(text, quote)) != -1


def _records(text: str, sep: str) -> Iterator[tuple[int, int, int, int]]:
    """``text``'s records as :mod:`csv` reads them with ``sep``: where each starts, how
    many separators split it (a blank line is a record with none), how many of its stray
    quotes hide ``sep`` (:func:`_hides`) and how many others it holds, until no separator
    is left ahead. Separators and line breaks count
    only outside the quoted cells :func:`_next_quoted` finds; a stray quote is one read
    as a character of a cell not quoted, right after another of :data:`SEPARATORS`
    (where that separator would open a quoted cell). Lazy, a line at a time: a caller
    that stops at a record has read the text up to the line break that ends it."""
    end = len(text)
    start = at = count = stray = hiding = 0  # the record being read starts at start; at at
    ahead = text.find(sep)  # the next separator character, in quotes or not
    line = _BREAK.search(text)  # the next line break, in quotes or not
    while ahead != -1 or count:
        if line is not None and line.start() < at:
            line = _BREAK.search(text, at)
        stop = end if line is None else line.start()
        cell = _next_quoted(text, sep, at, stop)
        upto = stop if cell is None else cell[0]  # outside quotes, from at
        count += text.count(sep, at, upto)
        for m in _STRAY.finditer(text, at, upto):
            stray += 1
            hiding += _hides(text, m.end() - 1, sep)
        if cell is not None:  # its separators and line breaks are its own
            at = cell[1] + 1
            if at > end:  # never closed: the rest of the text is in it
                yield start, count, hiding, stray - hiding
                return
        else:
            yield start, count, hiding, stray - hiding
            if line is None:
                return
            start = at = line.end()
            count = stray = hiding = 0
            if ahead > at:
                # The lines before the next separator's, up to the first quote, hold none
                # and no quoted cell: records that none splits. Stepped over at once, not
                # a line at a time (5 MB of blank lines took 4.5 s); the search stops at
                # that quote (searching to the separator each line, lines with a quote
                # each took 39 s).
                quote = text.find('"', at, ahead)
                limit = ahead if quote == -1 else quote
                skip = max(text.rfind("\n", at, limit), text.rfind("\r", at, limit))
                if skip >= at:
                    start = at = skip + 1
        if -1 < ahead < at:
            ahead = text.find(sep, at)


def width(header: list[str]) -> int:
    """How many columns a header row names: up to its last cell not blank. A spreadsheet
    often ends the header with empty cells (``team;role;name;``); they are no column."""
    return next((i + 1 for i in range(len(header) - 1, -1, -1) if header[i].strip()), 0)


def past(cells: list[str], columns: int) -> int | None:
    """The 0-based index of the first cell not blank right of the first ``columns``, or
    None. A cell that held the separator, not quoted, was cut in two and lands there."""
    return next((i for i in range(columns, len(cells)) if cells[i].strip()), None)


_HELD = {",": N_('a comma ("a,b")'), ";": N_('a semicolon ("a;b")'), "\t": N_("a tab")}
"""What a cell cut in two held, by separator."""
SHOWN = 80
"""The most of a row a refusal quotes."""


def unclosed_reason() -> str:
    """What every reader says of an :class:`UnclosedQuote`, at the cell it opened in."""
    return _(
        'a quote (") opened in this cell is never closed, so the rest of the sheet ran into '
        "it: close the quote (write a quote inside a cell as two quotes)"
    )


def cut_reason(column: str, sep: str | None) -> str:
    """What every reader says of a cell right of the last column (:func:`past`): a cell
    that held the separator, not quoted (``amira;jonas`` in a semicolon sheet)."""
    held = _(_HELD.get(sep or "", _HELD["\t"]))
    return _(
        "a cell right of the last column ({column}): a cell that holds {held} must be "
        "quoted, or it is cut in two"
    ).format(column=column, held=held)


def shown(text: str) -> str:
    """``text`` as a refusal quotes it: at most :data:`SHOWN` characters."""
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def _absent(text: str) -> str:
    """A character ``text`` does not hold, to split a one-column sheet on: the ASCII unit
    separator, or else the first private-use character it lacks."""
    held = set(text)
    if "\x1f" not in held:
        return "\x1f"
    code = 0xE000
    while chr(code) in held:
        code += 1
    return chr(code)
