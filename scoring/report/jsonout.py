"""The report as JSON: everything in the model, for other tools.

Byte-identical for the same log: keys sorted, floats rounded to six decimals (the
scoring's own precision), no wall-clock time anywhere. Control, bidi and invisible
characters in people's text are written as ``\\uXXXX`` escapes: the data is exact,
and the file is safe to print to a terminal.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from engine.textsafe import is_clean
from scoring.report.model import Report


def plain(value: Any) -> Any:
    """Dataclasses, tuples and dicts as JSON-ready values (floats rounded)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, float):
        rounded = round(value, 6)
        return 0.0 if rounded == 0 else rounded
    return value


def _escape_unsafe(text: str) -> str:
    """JSON text with every control, bidi and invisible character written as a ``\\uXXXX``
    escape: the same data to a parser, nothing a terminal or an editor acts on.

    ``json.dumps`` escapes C0 controls itself but, with ``ensure_ascii=False``, writes
    C1 controls, bidi overrides and zero-width characters as they are. Outside strings
    JSON is ASCII, so only characters inside strings are rewritten.
    """
    if is_clean(text):
        return text
    return "".join(
        ch if is_clean(ch) else "".join(f"\\u{unit:04x}" for unit in _utf16(ch)) for ch in text
    )


def _utf16(ch: str) -> tuple[int, ...]:
    """The UTF-16 code units of one character (two for one beyond the BMP)."""
    data = ch.encode("utf-16-be", "surrogatepass")
    return tuple(int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2))


def render_json(report: Report) -> str:
    text = json.dumps(plain(report), indent=1, sort_keys=True, ensure_ascii=False, allow_nan=False)
    return _escape_unsafe(text) + "\n"
