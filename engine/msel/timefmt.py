"""Inject times as MSEL spreadsheets write them, read into exercise milliseconds.

Planners write times in several notations; each is read one way, and anything
that could mean two things is refused with the spelling to use instead:

* ``T+15`` (minutes), ``T+1:30`` (hours and minutes), ``T+1:30:15``, ``T+15m``;
* ``D+1 H+2`` (HSEEP day and hour: one day and two hours after the start),
  ``H+2``, ``H+1:30``, ``D+0 H+0 M+45``;
* ``+15m``, ``15m``, ``1h30m``, ``PT15M`` (sitroom durations);
* ``09:30``, ``9:30 AM``, ``09:30:00`` (clock times: they need the start's time of
  day, from the sheet's ``#start`` row or ``--start``).

* ``T+15 min``, ``15 minutes`` (minutes, spelled out).

A bare number (``15``, ``0930``) is refused: minutes, hours or a time of day?
The message suggests ``T+15`` or ``09:30``. So are dates (use ``D+1 H+2``) and the
French ``09h30`` (write ``09:30``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.durations import DurationError, format_duration, parse_duration

MINUTE = 60_000
HOUR = 3_600_000
DAY = 86_400_000

_T_CLOCK = re.compile(r"^T\s*\+\s*(\d+)(?::(\d{1,2}))?(?::(\d{1,2}))?$", re.IGNORECASE)
_T_DURATION = re.compile(r"^T\s*\+\s*(.+)$", re.IGNORECASE)
_DHM = re.compile(
    r"^(?:D\s*\+\s*(?P<d>\d+))?\s*,?\s*"
    r"(?:H\s*\+\s*(?P<h>\d+)(?::(?P<hm>\d{1,2}))?)?\s*,?\s*"
    r"(?:M\s*\+\s*(?P<m>\d+))?$",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM|am|pm)?$")
_NEGATIVE = re.compile(r"^(T|D|H|M)?\s*-", re.IGNORECASE)

RELEASE_WORDS = frozenset({"contingency", "on release", "as needed", "hold", "held"})
"""Time cells that mark a contingency inject (held until a controller releases it)."""


class TimeError(ValueError):
    """A time cell that could not be read; the message says how to write it."""


@dataclass(frozen=True, slots=True)
class ClockTime:
    """A time of day (``09:30``), in milliseconds after midnight."""

    ms: int

    def __str__(self) -> str:
        return format_clock_of_day(self.ms)


def format_clock_of_day(ms: int) -> str:
    hours, rest = divmod(ms // 1000, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}" + (f":{seconds:02d}" if seconds else "")


def format_offset(ms: int) -> str:
    """How the export writes an inject's time: ``T+0:05``, ``T+1:10:30``, or ``+5m0s250ms``.

    Whole minutes and whole seconds use the ``T+H:MM`` notation planners know;
    anything finer falls back to a sitroom duration, so no time is ever rounded.
    """
    if ms % 1000:
        return "+" + format_duration(ms)
    seconds = ms // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"T+{hours}:{minutes:02d}"
    return text + (f":{secs:02d}" if secs else "")


def parse_offset(text: str) -> int | ClockTime:
    """Milliseconds after the start, or a :class:`ClockTime` still to be anchored."""
    value = " ".join(text.split())
    if _NEGATIVE.match(value):
        raise TimeError(f"{text!r} is before the start: injects happen at T+0 or later")
    if m := _MINUTES.match(value):
        return int(m[1]) * MINUTE
    if m := _T_CLOCK.match(value):
        return _hms(int(m[1]), m[2], m[3], text, minutes_first=m[2] is None)
    if m := _T_DURATION.match(value):
        return _duration(m[1], text)
    if (m := _DHM.match(value)) and any(m.groupdict().values()):
        return _dhm(m, text)
    if m := _CLOCK.match(value):
        return _clock(m, text)
    if value.startswith("+"):
        return _duration(value[1:], text)
    if value != "0" and (m := _BARE.match(value)):
        raise TimeError(_bare_hint(text, value, m))
    if _DATE.match(value):
        raise TimeError(
            f"{text!r}: the Time column does not read dates; write D+1 H+2 (days and hours "
            "after the start) or a clock time such as 09:30"
        )
    if m := _FRENCH_CLOCK.match(value):
        raise TimeError(
            f"{text!r}: write {int(m[1]):02d}:{m[2]} for that time of day, or "
            f"T+{int(m[1])}:{m[2]} for that long after the start"
        )
    return _duration(value, text)


_MINUTES = re.compile(r"^(?:T\s*\+\s*|\+\s*)?(\d+)\s*(?:min|mins|minutes?)\.?$", re.IGNORECASE)
_BARE = re.compile(r"^(\d+)(?:[.,](\d+))?$")
_DATE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\b")
_FRENCH_CLOCK = re.compile(r"^(\d{1,2})\s*h\s*(\d{2})$", re.IGNORECASE)


def _bare_hint(text: str, value: str, m: re.Match[str]) -> str:
    """What a bare number could have meant, spelled the ways sitroom reads."""
    if m[2] is not None:
        return (
            f"{text!r} is a bare number: write a clock time such as 09:30, or T+15 for "
            "minutes after the start"
        )
    hint = f"write T+{int(value)} for {int(value)} minutes after the start"
    if len(value) in (3, 4) and int(value[-2:]) < 60 and int(value[:-2]) < 24:
        hint += f", or {int(value[:-2]):02d}:{value[-2:]} for that time of day"
    return f"{text!r} is a bare number: {hint}"


def anchor(clock: ClockTime, start: ClockTime | None) -> int:
    """A clock time as milliseconds after the start's time of day."""
    if start is None:
        raise TimeError(
            f"{str(clock)!r} is a clock time, but the sheet has no start: add a "
            "#start row (e.g. 2025-02-11T09:00) or pass --start HH:MM"
        )
    if clock.ms < start.ms:
        raise TimeError(
            f"{str(clock)!r} is before the start ({start}); for the next day write D+1 H+…"
        )
    return clock.ms - start.ms


def parse_clock(text: str) -> ClockTime:
    """A ``--start`` value or a ``#start`` row's time of day: ``09:00`` or an ISO date-time."""
    value = text.strip()
    if m := _CLOCK.match(value):
        return _clock(m, text)
    if m := re.match(r"^\d{4}-\d{2}-\d{2}[T ](\d{1,2}):(\d{2})(?::(\d{2}))?", value):
        return ClockTime(int(m[1]) * HOUR + int(m[2]) * MINUTE + int(m[3] or 0) * 1000)
    raise TimeError(f"{text!r} is not a start time: write HH:MM or 2025-02-11T09:00")


def _hms(
    first: int, second: str | None, third: str | None, text: str, *, minutes_first: bool
) -> int:
    if minutes_first:
        return first * MINUTE
    minutes = int(second or 0)
    seconds = int(third or 0)
    if minutes > 59 or seconds > 59:
        raise TimeError(f"{text!r}: minutes and seconds go up to 59 (T+H:MM or T+H:MM:SS)")
    return first * HOUR + minutes * MINUTE + seconds * 1000


def _dhm(m: re.Match[str], text: str) -> int:
    extra = int(m["hm"] or 0)
    if extra > 59:
        raise TimeError(f"{text!r}: minutes go up to 59 (H+1:30)")
    return (
        int(m["d"] or 0) * DAY
        + int(m["h"] or 0) * HOUR
        + extra * MINUTE
        + int(m["m"] or 0) * MINUTE
    )


def _clock(m: re.Match[str], text: str) -> ClockTime:
    hours, minutes, seconds = int(m[1]), int(m[2]), int(m[3] or 0)
    meridiem = (m[4] or "").lower()
    if meridiem:
        if not 1 <= hours <= 12:
            raise TimeError(f"{text!r}: with AM or PM the hour goes from 1 to 12")
        hours = hours % 12 + (12 if meridiem == "pm" else 0)
    if hours > 23 or minutes > 59 or seconds > 59:
        raise TimeError(f"{text!r} is not a time of day (00:00 to 23:59)")
    return ClockTime(hours * HOUR + minutes * MINUTE + seconds * 1000)


def _duration(value: str, text: str) -> int:
    try:
        return parse_duration(value)
    except DurationError:
        raise TimeError(
            f"{text!r} is not a time: write T+15, T+1:30, D+1 H+2, +15m or a clock time "
            "such as 09:30"
        ) from None
