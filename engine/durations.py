"""Durations as planners write them, held as whole milliseconds.

Exercise time everywhere in the engine is an ``int`` of milliseconds: integer
arithmetic keeps the schedule exact, so a replay computes the very same times as
the live run and a golden trace never differs by a rounding error.

Accepted spellings: ``90s``, ``15m``, ``1h30m``, ``2d``, ``1h 30m``, ``0`` and
ISO 8601 durations (``PT15M``, ``PT1H30M``, ``P1DT2H``).
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

MS_PER_UNIT = {"d": 86_400_000, "h": 3_600_000, "m": 60_000, "s": 1_000, "ms": 1}

_COMPACT = re.compile(r"^\s*(?:(\d+(?:\.\d+)?)\s*(ms|d|h|m|s)\s*)+$")
_COMPACT_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|d|h|m|s)")
_ISO = re.compile(
    r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$",
    re.IGNORECASE,
)

DURATION_PATTERN = (
    r"^(0|(\s*\d+(\.\d+)?\s*(ms|d|h|m|s)\s*)+|P(\d+(\.\d+)?D)?(T(\d+(\.\d+)?H)?"
    r"(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?)$"
)


class DurationError(ValueError):
    """A duration that could not be read; the message says how to write one."""


def parse_duration(text: str | int | float) -> int:
    """Return the duration in milliseconds, or raise :class:`DurationError`."""
    if isinstance(text, bool):
        raise DurationError("expected a duration such as 90s, 15m or 1h30m, got a boolean")
    if isinstance(text, (int, float)):
        if text == 0:
            return 0
        if not math.isfinite(text) or text < 0:
            raise DurationError(f"expected a duration such as 15m or 1h30m, got {text}")
        raise DurationError(
            f"a duration needs a unit: write {text:g}m or {text:g}s, not a bare number"
        )
    value = text.strip()
    if value == "0":
        return 0
    if _COMPACT.match(value):
        total = 0.0
        for number, unit in _COMPACT_PART.findall(value):
            total += float(number) * MS_PER_UNIT[unit]
        return _whole(total, text)
    iso = _ISO.match(value)
    if iso and value.upper() not in ("P", "PT") and any(iso.groupdict().values()):
        parts = iso.groupdict()
        total = sum(float(parts[k] or 0) * MS_PER_UNIT[k] for k in ("d", "h", "m", "s"))
        return _whole(total, text)
    raise DurationError(
        f"{text!r} is not a duration: write 90s, 15m, 1h30m or ISO 8601 such as PT15M"
    )


def _whole(total: float, text: str) -> int:
    if not math.isfinite(total):
        raise DurationError(f"{text[:40]!r} is too long to be a duration")
    return round(total)


def format_duration(ms: int) -> str:
    """The shortest compact spelling of ``ms`` that :func:`parse_duration` reads back."""
    if ms == 0:
        return "0"
    sign = "-" if ms < 0 else ""
    rest = abs(ms)
    out = []
    for unit in ("d", "h", "m", "s"):
        size = MS_PER_UNIT[unit]
        if rest >= size:
            count, rest = divmod(rest, size)
            out.append(f"{count}{unit}")
    if rest:
        out.append(f"{rest}ms")
    return sign + "".join(out)


def format_clock(ms: int) -> str:
    """``H:MM:SS`` for a clock display (negative values get a minus sign)."""
    sign = "-" if ms < 0 else ""
    seconds = abs(ms) // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours}:{minutes:02d}:{secs:02d}"


def _validate(value: Any) -> int:
    if not isinstance(value, (str, int, float)):
        kinds = {dict: "a mapping", list: "a list", type(None): "nothing"}
        kind = kinds.get(type(value), f"a {type(value).__name__}")
        raise ValueError(f"expected a duration such as 15m or 1h30m, got {kind}")
    try:
        return parse_duration(value)
    except DurationError as exc:
        raise ValueError(str(exc)) from None


Duration = Annotated[
    int,
    BeforeValidator(_validate),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": DURATION_PATTERN,
            "description": "A duration: 90s, 15m, 1h30m, or ISO 8601 such as PT15M.",
            "examples": ["15m", "1h30m", "PT15M"],
        }
    ),
]
"""A duration field: written ``15m``, validated to an ``int`` of milliseconds."""
