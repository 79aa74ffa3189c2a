"""Time as sitroom reads and writes it: the one home for every time spelling.

Exercise time everywhere in the engine is an ``int`` of milliseconds: integer
arithmetic keeps the schedule exact, so a replay computes the very same times as
the live run and a golden trace never differs by a rounding error. Every text
form of a time or a span is read and written here, and nowhere else:

* durations as planners write them (:func:`parse_duration`, :func:`format_duration`,
  the :data:`Duration` field): ``90s``, ``15m``, ``1h30m``, ``2d``, ``1h 30m``, ``0``
  and ISO 8601 durations (``PT15M``, ``PT1H30M``, ``P1DT2H``);
* short spans for tables and prose (:func:`format_seconds`, :func:`format_span`);
* the exercise clock (:func:`format_clock` and its inverse :func:`parse_clock`,
  ``1:05:09``), deadline countdowns (:func:`format_countdown`), inject times on a
  plan (:func:`format_at`) and the in-world date (:func:`in_world`);
* what a controller types for "when" in the jump and release dialogs
  (:func:`parse_when`: ``+10m``, ``1:30:00``, ``90m``);
* inject times as MSEL spreadsheets write them (:func:`parse_offset`,
  :func:`format_offset`, :func:`parse_time_of_day`, :func:`anchor`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from engine.i18n import _

SECOND = 1_000
MINUTE = 60_000
HOUR = 3_600_000
DAY = 86_400_000

MAX_TIME = 30 * DAY
"""The longest time sitroom reads, in milliseconds: 30 days.

It bounds every duration and offset of a scenario (its ``duration``, ``at``,
``after``/``if_no_response`` delays, ``jitter``, ``due``, timeliness ``over`` and
steps' ``after``), the times a controller types and the jump and release times a
command carries. A week-long exercise fits four times over; 2^63 ms, which the
event log cannot store, is out of reach.
"""

MS_PER_UNIT = {"d": DAY, "h": HOUR, "m": MINUTE, "s": SECOND, "ms": 1}

_COMPACT = re.compile(r"^\s*(?:(\d+(?:\.\d+)?)\s*(ms|d|h|m|s)\s*)+$")
_COMPACT_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|d|h|m|s)")
_ISO = re.compile(
    r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$",
    re.IGNORECASE,
)

_LONG_NUMBER = re.compile(r"\d{100}")
"""A run of digits no time needs, refused before ``int()`` (which refuses 4,300 digits)."""

DURATION_PATTERN = (
    r"^(0|(\s*\d+(\.\d+)?\s*(ms|d|h|m|s)\s*)+|P(\d+(\.\d+)?D)?(T(\d+(\.\d+)?H)?"
    r"(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?)$"
)


class TimeError(ValueError):
    """A time that could not be read; the message says how to write it."""


class DurationError(TimeError):
    """A duration that could not be read; the message says how to write one."""


def parse_duration(text: str | int | float) -> int:
    """Return the duration in milliseconds, or raise :class:`DurationError`."""
    if isinstance(text, bool):
        raise DurationError(_("expected a duration such as 90s, 15m or 1h30m, got a boolean"))
    if isinstance(text, (int, float)):
        if text == 0:
            return 0
        if not math.isfinite(text) or text < 0:
            raise DurationError(
                _("expected a duration such as 15m or 1h30m, got {value}").format(value=text)
            )
        raise DurationError(
            _("a duration needs a unit: write {n}m or {n}s, not a bare number").format(
                n=f"{text:g}"
            )
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
        _("{text!r} is not a duration: write 90s, 15m, 1h30m or ISO 8601 such as PT15M").format(
            text=text
        )
    )


def _whole(total: float, text: str) -> int:
    if not math.isfinite(total):
        raise DurationError(_("{text!r} is too long to be a duration").format(text=text[:40]))
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


def _validate(value: Any) -> int:
    if not isinstance(value, (str, int, float)):
        kinds = {dict: _("a mapping"), list: _("a list"), type(None): _("nothing")}
        kind = kinds.get(type(value), f"a {type(value).__name__}")
        raise ValueError(
            _("expected a duration such as 15m or 1h30m, got {value}").format(value=kind)
        )
    try:
        ms = parse_duration(value)
    except DurationError as exc:
        raise ValueError(str(exc)) from None
    if ms > MAX_TIME:
        shown = repr(value[:40]) if isinstance(value, str) else str(value)
        raise ValueError(
            _("{value} is longer than 30 days, the longest time sitroom reads").format(value=shown)
        )
    return ms


Duration = Annotated[
    int,
    BeforeValidator(_validate),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": DURATION_PATTERN,
            "description": (
                "A duration: 90s, 15m, 1h30m, or ISO 8601 such as PT15M; at most 30 days."
            ),
            "examples": ["15m", "1h30m", "PT15M"],
        }
    ),
]
"""A duration field: written ``15m``, validated to an ``int`` of milliseconds, at most
:data:`MAX_TIME`."""


# ---------------------------------------------------------------------- short spans


def format_seconds(ms: int) -> str:
    """A span to the whole second, in duration spelling (``12m5s``; ``0s`` under a second)."""
    return format_duration(ms // SECOND * SECOND) if ms >= SECOND else "0s"


def format_span(ms: int) -> str:
    """A span as ``12m05s``, ``1h02m`` or ``45s``: short enough for table cells."""
    hours, minutes, seconds = _hms(ms)
    if hours:
        return f"{hours}h{minutes:02d}m"
    if minutes:
        return f"{minutes}m{seconds:02d}s"
    return f"{seconds}s"


# ---------------------------------------------------------------------- the exercise clock


def _hms(ms: int) -> tuple[int, int, int]:
    """Whole hours, minutes and seconds in ``ms`` (which must not be negative)."""
    hours, rest = divmod(ms // SECOND, 3600)
    minutes, seconds = divmod(rest, 60)
    return hours, minutes, seconds


def _hm_s(ms: int) -> str:
    """``H:MM``, or ``H:MM:SS`` when there are seconds."""
    hours, minutes, seconds = _hms(ms)
    return f"{hours}:{minutes:02d}" + (f":{seconds:02d}" if seconds else "")


def format_clock(ms: int) -> str:
    """``H:MM:SS`` for a clock display (negative values get a minus sign)."""
    sign = "-" if ms < 0 else ""
    hours, minutes, seconds = _hms(abs(ms))
    return f"{sign}{hours}:{minutes:02d}:{seconds:02d}"


_CLOCK_TEXT = re.compile(r"^(-?)(\d+):(\d{1,2})(?::(\d{1,2}))?$")


def parse_clock(text: str) -> int:
    """Clock text back to milliseconds: ``1:05:09``, or ``1:05`` (hours and minutes).

    The inverse of :func:`format_clock`; minutes and seconds go up to 59.
    """
    m = _CLOCK_TEXT.match(text.strip())
    if m is None or _LONG_NUMBER.search(text):
        raise TimeError(f"{text!r} is not a clock time: write H:MM:SS such as 1:30:00, or H:MM")
    hours, minutes, seconds = int(m[2]), int(m[3]), int(m[4] or 0)
    if minutes > 59 or seconds > 59:
        raise TimeError(f"{text!r}: minutes and seconds go up to 59 (H:MM or H:MM:SS)")
    ms = hours * HOUR + minutes * MINUTE + seconds * SECOND
    return -ms if m[1] else ms


def format_countdown(ms: int) -> str:
    """``12:04`` to a deadline, or ``-3:10`` past it (minutes:seconds, hours when long)."""
    sign = "-" if ms < 0 else ""
    hours, minutes, seconds = _hms(abs(ms))
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{seconds:02d}"
    return f"{sign}{minutes}:{seconds:02d}"


def format_at(ms: int) -> str:
    """An inject's time on a plan: ``H:MM`` (``H:MM:SS`` with seconds, ``Nd H:MM`` past a day)."""
    days, rest = divmod(ms, DAY)
    text = _hm_s(rest)
    return f"{days}d {text}" if days else text


def in_world(start: datetime, ms: int) -> datetime:
    """The in-world date and time ``ms`` into an exercise whose story starts at ``start``."""
    return start + timedelta(milliseconds=ms)


def format_in_world(start: datetime, ms: int) -> str:
    """The in-world time for a clock bar: ``Tue 09:42``."""
    return in_world(start, ms).strftime("%a %H:%M")


# ---------------------------------------------------------------------- a controller's "when"


def parse_when(text: str, now: int) -> int | None:
    """What a controller types for "when" (jump to, release at), read at exercise time ``now``.

    Blank → ``None`` (now); ``+10m`` → ten minutes from ``now``; ``1:30:00`` or ``1:30``
    (exercise clock) and ``90m`` (a duration since the start) → that exercise time.
    Raises :class:`TimeError` with the spellings to use, or when the time is past
    :data:`MAX_TIME`.
    """
    value = text.strip()
    if not value:
        return None
    try:
        if value.startswith("+"):
            at = now + parse_duration(value[1:])
        elif ":" in value:
            at = parse_clock(value)
            if at < 0:
                raise TimeError(value)
        else:
            at = parse_duration(value)
    except TimeError:
        raise TimeError(f"cannot read {value[:40]!r}: write +10m, 1:30:00 or 90m") from None
    return _within_bound(at, value)


def _within_bound(ms: int, text: str) -> int:
    """``ms``, or :class:`TimeError` when it is past :data:`MAX_TIME`."""
    if ms > MAX_TIME:
        raise TimeError(
            f"{text[:40]!r} is past 30 days ({format_clock(MAX_TIME)}), the latest exercise time"
        )
    return ms


# ---------------------------------------------------------------------- MSEL time cells
#
# Planners write inject times in several notations; each is read one way, and
# anything that could mean two things is refused with the spelling to use instead:
#
# * ``T+15`` (minutes), ``T+1:30`` (hours and minutes), ``T+1:30:15``, ``T+15m``;
# * ``D+1 H+2`` (HSEEP day and hour: one day and two hours after the start),
#   ``H+2``, ``H+1:30``, ``D+0 H+0 M+45``;
# * ``+15m``, ``15m``, ``1h30m``, ``PT15M`` (sitroom durations);
# * ``09:30``, ``9:30 AM``, ``09:30:00`` (clock times: they need the start's time of
#   day, from the sheet's ``#start`` row or ``--start``);
# * ``T+15 min``, ``15 minutes`` (minutes, spelled out).
#
# A bare number (``15``, ``0930``) is refused: minutes, hours or a time of day?
# The message suggests ``T+15`` or ``09:30``. So are dates (use ``D+1 H+2``) and the
# French ``09h30`` (write ``09:30``).

_T_MINUTES = re.compile(r"^T\s*\+\s*(\d+)$", re.IGNORECASE)
_T_CLOCK = re.compile(r"^T\s*\+\s*(\d+:\d{1,2}(?::\d{1,2})?)$", re.IGNORECASE)
_T_DURATION = re.compile(r"^T\s*\+\s*(.+)$", re.IGNORECASE)
_DHM = re.compile(
    r"^(?:D\s*\+\s*(?P<d>\d+))?\s*,?\s*"
    r"(?:H\s*\+\s*(?P<h>\d+)(?::(?P<hm>\d{1,2}))?)?\s*,?\s*"
    r"(?:M\s*\+\s*(?P<m>\d+))?$",
    re.IGNORECASE,
)
_TIME_OF_DAY = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM|am|pm)?$")
_NEGATIVE = re.compile(r"^(T|D|H|M)?\s*-", re.IGNORECASE)
_MINUTES = re.compile(r"^(?:T\s*\+\s*|\+\s*)?(\d+)\s*(?:min|mins|minutes?)\.?$", re.IGNORECASE)
_BARE = re.compile(r"^(\d+)(?:[.,](\d+))?$")
_DATE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\b")
_FRENCH_CLOCK = re.compile(r"^(\d{1,2})\s*h\s*(\d{2})$", re.IGNORECASE)

RELEASE_WORDS = frozenset({"contingency", "on release", "as needed", "hold", "held"})
"""Time cells that mark a contingency inject (held until a controller releases it)."""


@dataclass(frozen=True, slots=True)
class ClockTime:
    """A time of day (``09:30``), in milliseconds after midnight."""

    ms: int

    def __str__(self) -> str:
        return format_time_of_day(self.ms)


def format_time_of_day(ms: int) -> str:
    """``09:30``, or ``09:30:15`` when there are seconds."""
    hours, minutes, seconds = _hms(ms)
    return f"{hours:02d}:{minutes:02d}" + (f":{seconds:02d}" if seconds else "")


def format_offset(ms: int) -> str:
    """How the export writes an inject's time: ``T+0:05``, ``T+1:10:30``, or ``+5m0s250ms``.

    Whole minutes and whole seconds use the ``T+H:MM`` notation planners know;
    anything finer falls back to a sitroom duration, so no time is ever rounded.
    """
    if ms % SECOND:
        return "+" + format_duration(ms)
    return "T+" + _hm_s(ms)


def parse_offset(text: str) -> int | ClockTime:
    """Milliseconds after the start (at most :data:`MAX_TIME`), or a :class:`ClockTime`
    still to be anchored."""
    value = " ".join(text.split())
    if _LONG_NUMBER.search(value):
        raise TimeError(f"{value[:20]!r}…: a number that long is not a time")
    offset = _offset(value, text)
    return offset if isinstance(offset, ClockTime) else _within_bound(offset, value)


def _offset(value: str, text: str) -> int | ClockTime:
    if _NEGATIVE.match(value):
        raise TimeError(f"{text!r} is before the start: injects happen at T+0 or later")
    if m := _MINUTES.match(value):
        return int(m[1]) * MINUTE
    if m := _T_MINUTES.match(value):
        return int(m[1]) * MINUTE
    if m := _T_CLOCK.match(value):
        try:
            return parse_clock(m[1])
        except TimeError:
            raise TimeError(
                f"{text!r}: minutes and seconds go up to 59 (T+H:MM or T+H:MM:SS)"
            ) from None
    if m := _T_DURATION.match(value):
        return _duration(m[1], text)
    if (m := _DHM.match(value)) and any(m.groupdict().values()):
        return _dhm(m, text)
    if m := _TIME_OF_DAY.match(value):
        return _time_of_day(m, text)
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


def parse_time_of_day(text: str) -> ClockTime:
    """A ``--start`` value or a ``#start`` row's time of day: ``09:00`` or an ISO date-time."""
    value = text.strip()
    if m := _TIME_OF_DAY.match(value):
        return _time_of_day(m, text)
    if m := re.match(r"^\d{4}-\d{2}-\d{2}[T ](\d{1,2}):(\d{2})(?::(\d{2}))?", value):
        return ClockTime(int(m[1]) * HOUR + int(m[2]) * MINUTE + int(m[3] or 0) * SECOND)
    raise TimeError(f"{text!r} is not a start time: write HH:MM or 2025-02-11T09:00")


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


def _time_of_day(m: re.Match[str], text: str) -> ClockTime:
    hours, minutes, seconds = int(m[1]), int(m[2]), int(m[3] or 0)
    meridiem = (m[4] or "").lower()
    if meridiem:
        if not 1 <= hours <= 12:
            raise TimeError(f"{text!r}: with AM or PM the hour goes from 1 to 12")
        hours = hours % 12 + (12 if meridiem == "pm" else 0)
    if hours > 23 or minutes > 59 or seconds > 59:
        raise TimeError(f"{text!r} is not a time of day (00:00 to 23:59)")
    return ClockTime(hours * HOUR + minutes * MINUTE + seconds * SECOND)


def _duration(value: str, text: str) -> int:
    try:
        return parse_duration(value)
    except DurationError:
        raise TimeError(
            f"{text!r} is not a time: write T+15, T+1:30, D+1 H+2, +15m or a clock time "
            "such as 09:30"
        ) from None
