"""The language a browser asks for (``Accept-Language``), among those sitroom speaks.

``sitroom web`` starts one console process per browser tab; passing it the
browser's language makes the login and the language question start in the
player's language rather than the server's. The header is untrusted input: only
a code in :data:`engine.i18n.LANGUAGES` ever comes out of it, and a header too long
or too odd to read gives nothing (the server's own language then stands).
"""

from __future__ import annotations

import re

from engine.i18n import LANGUAGES

__all__ = ["accepted_language"]

MAX_HEADER = 500
"""Longest header read, in characters (browsers send under 100)."""
MAX_RANGES = 20
"""Most language ranges read from one header."""

_RANGE = re.compile(r"^([A-Za-z]{1,8})(?:-[A-Za-z0-9]{1,8})*$")
_QUALITY = re.compile(r"^q=(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$")


def accepted_language(header: str | None) -> str | None:
    """The language sitroom speaks that the header prefers most (``fr-FR,fr;q=0.9,en;
    q=0.8`` gives ``fr``), or None: no header, none sitroom speaks, or unreadable."""
    if not header or len(header) > MAX_HEADER:
        return None
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")[:MAX_RANGES]):
        tag, _sep, params = part.strip().partition(";")
        match = _RANGE.match(tag.strip())
        if match is None:
            continue
        quality = 1.0
        if params:
            q = _QUALITY.match(params.strip().replace(" ", ""))
            if q is None:
                continue
            quality = float(q.group(1))
        code = match.group(1).lower()
        if quality > 0 and code in LANGUAGES:
            ranked.append((-quality, index, code))
    return min(ranked)[2] if ranked else None
