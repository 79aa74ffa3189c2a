"""How a list, a count and a file's size are written in the reader's language.

French puts a space before ``;``, writes ``31 598`` where English writes ``31,598`` (a
comma is French's decimal point, so ``31,598`` reads as thirty-one and a bit) and
``4,2 Mo`` where English writes ``4.2 MB``. Every console, message and the report
write lists, counts and sizes through these, so the language decides their
punctuation and units in one place (the catalog), not in each caller.
"""

from __future__ import annotations

from collections.abc import Iterable

from engine.i18n import _, pgettext

__all__ = ["Count", "grouped", "listed", "size_text"]


def listed(items: Iterable[str]) -> str:
    """``items`` (labels, names) as one list: ``a; b`` in English, ``a ; b`` in French."""
    return _("; ").join(items)


def grouped(n: int) -> str:
    """A whole number with its thousands grouped as the reader's language writes them:
    ``2,000,000`` in English, ``2 000 000`` in French (a no-break space, so a count is
    never split across lines)."""
    return f"{n:,}".replace(",", pgettext("thousands separator", ","))


class Count(int):
    """A count kept in a :class:`~engine.i18n.phrase.Phrase`: ``1,234`` in the Phrase's
    English data, grouped as the reader's language writes it when the Phrase is said.

    A plain ``int`` value stays as it is (a close code, an event's number), so only a
    value the caller calls a count is grouped."""

    def __format__(self, spec: str) -> str:
        return format(int(self), spec or ",")


def size_text(size: int) -> str:
    """Bytes as people read them: ``900 B``, ``120 KB``, ``4.2 MB`` (``4,2 Mo`` in French).

    Decimal units (1 KB = 1,000 bytes), as file managers show them today."""
    if size < 1000:
        return _("{n} B").format(n=size)
    if size < 1_000_000:
        return _("{n} KB").format(n=f"{size / 1000:.0f}")
    figure = f"{size / 1_000_000:.1f}".replace(".", pgettext("decimal separator", "."))
    return _("{n} MB").format(n=figure)
