"""How a list and a file's size are written in the reader's language.

French puts a space before ``;`` and writes ``4,2 Mo`` where English writes ``4.2 MB``.
Every console and the report write lists of labels and sizes through these two, so
the language decides their punctuation and units in one place (the catalog), not in
each caller.
"""

from __future__ import annotations

from collections.abc import Iterable

from engine.i18n import _, pgettext

__all__ = ["listed", "size_text"]


def listed(items: Iterable[str]) -> str:
    """``items`` (labels, names) as one list: ``a; b`` in English, ``a ; b`` in French."""
    return _("; ").join(items)


def size_text(size: int) -> str:
    """Bytes as people read them: ``900 B``, ``120 KB``, ``4.2 MB`` (``4,2 Mo`` in French).

    Decimal units (1 KB = 1,000 bytes), as file managers show them today."""
    if size < 1000:
        return _("{n} B").format(n=size)
    if size < 1_000_000:
        return _("{n} KB").format(n=f"{size / 1000:.0f}")
    figure = f"{size / 1_000_000:.1f}".replace(".", pgettext("decimal separator", "."))
    return _("{n} MB").format(n=figure)
