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
whichever way the spreadsheet wrote it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

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
    """The separator used most, outside quotes, on the first line that has one.

    The first line with a separator, not the first line: a sheet written by hand may
    open with a bare title line (the MSEL allows one). A sheet whose first line is its
    header (``header``: the roster, the answers) is told by that line alone, and None
    says it has no separator there: the sheet has one column, and a ``,`` ``;`` or tab
    in the rows below is part of a cell (an answer, one per row, holds them).
    """
    counts = dict.fromkeys(SEPARATORS, 0)
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char == "\n" and not quoted and (header or any(counts.values())):
            break
        elif char in counts and not quoted:
            counts[char] += 1
    best = max(counts, key=lambda c: counts[c])
    if counts[best]:
        return best
    return None if header else ","


def rows(text: str, sep: str | None = ",") -> Iterator[list[str]]:
    """The sheet's records, cells split on ``sep`` (None: one column, cells read whole).

    ``sep`` is what :func:`delimiter` found. Reading raises :class:`csv.Error` on what
    the csv module cannot read (a carriage return alone in an unquoted cell, a cell
    past :func:`csv.field_size_limit`); the caller says where, from the records read.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep or _absent(text))
    for cells in reader:
        yield [cell.replace("\r\n", "\n") for cell in cells]


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
