"""Time text has one home (``engine.durations``): what it writes, it reads back.

Properties cover the whole range of exercise times; examples pin the spellings a
controller types into the jump and release dialogs, and the client-side clock.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.clock import Clock, ClockView
from engine.durations import (
    DAY,
    HOUR,
    MAX_TIME,
    MINUTE,
    SECOND,
    ClockTime,
    DurationError,
    TimeError,
    format_at,
    format_clock,
    format_countdown,
    format_duration,
    format_in_world,
    format_offset,
    format_seconds,
    format_span,
    format_time_of_day,
    parse_clock,
    parse_duration,
    parse_offset,
    parse_time_of_day,
    parse_when,
)

SPAN = st.integers(min_value=0, max_value=10**15)
"""Any span: from nothing to some thirty thousand years."""
WITHIN = st.integers(min_value=0, max_value=MAX_TIME - 7 * MINUTE)
"""A time the dialogs and the MSEL read (up to 30 days, with room for ``+`` from 0:07:00)."""


def whole_seconds(ms: int) -> int:
    return ms // SECOND * SECOND


# ---------------------------------------------------------------------- round trips


@given(SPAN)
def test_a_formatted_duration_reads_back_exactly(ms: int) -> None:
    assert parse_duration(format_duration(ms)) == ms


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_clock_text_reads_back_to_the_second(ms: int) -> None:
    expected = whole_seconds(abs(ms))
    assert parse_clock(format_clock(ms)) == (-expected if ms < 0 else expected)


@given(WITHIN)
def test_the_jump_dialog_reads_every_clock_time_and_duration_it_is_shown(ms: int) -> None:
    now = 7 * MINUTE
    assert parse_when(format_clock(ms), now) == whole_seconds(ms)
    assert parse_when(format_duration(ms), now) == ms
    assert parse_when("+" + format_duration(ms), now) == now + ms


@given(WITHIN)
def test_an_msel_time_reads_back_exactly(ms: int) -> None:
    assert parse_offset(format_offset(ms)) == ms


@given(st.integers(min_value=0, max_value=DAY // SECOND - 1))
def test_a_time_of_day_reads_back(seconds: int) -> None:
    clock = ClockTime(seconds * SECOND)
    assert parse_time_of_day(str(clock)) == clock
    assert parse_offset(format_time_of_day(clock.ms)) == clock


@given(SPAN)
def test_short_spans_read_back_as_durations_truncated(ms: int) -> None:
    assert parse_duration(format_seconds(ms)) == whole_seconds(ms)
    kept = ms // MINUTE * MINUTE if ms >= HOUR else whole_seconds(ms)
    assert parse_duration(format_span(ms)) == kept


# ---------------------------------------------------------------------- spellings


@pytest.mark.parametrize(
    ("ms", "clock", "countdown", "at", "span", "seconds"),
    [
        (0, "0:00:00", "0:00", "0:00", "0s", "0s"),
        (999, "0:00:00", "0:00", "0:00", "0s", "0s"),
        (65_000, "0:01:05", "1:05", "0:01:05", "1m05s", "1m5s"),
        (HOUR + 5 * MINUTE + 9 * SECOND, "1:05:09", "1:05:09", "1:05:09", "1h05m", "1h5m9s"),
        (DAY + 90 * MINUTE, "25:30:00", "25:30:00", "1d 1:30", "25h30m", "1d1h30m"),
    ],
)
def test_clock_and_span_spellings(
    ms: int, clock: str, countdown: str, at: str, span: str, seconds: str
) -> None:
    assert format_clock(ms) == clock
    assert format_countdown(ms) == countdown
    assert format_at(ms) == at
    assert format_span(ms) == span
    assert format_seconds(ms) == seconds


def test_negative_times_keep_their_sign() -> None:
    assert format_clock(-190_000) == "-0:03:10"
    assert format_countdown(-190_000) == "-3:10"


def test_under_a_second_is_0s_everywhere() -> None:
    """The facilitator's scores wrote ``0s`` and the report ``0`` for a sub-second span
    (``answered 0 after the deadline``): both now write ``0s``."""
    assert format_seconds(400) == "0s"
    assert format_seconds(0) == "0s"
    assert format_duration(0) == "0"  # a scenario field still writes a bare zero


def test_in_world_time() -> None:
    start = datetime(2025, 2, 11, 9, 0)
    assert format_in_world(start, 42 * MINUTE) == "Tue 09:42"


# ---------------------------------------------------------------------- a controller's "when"

NOW = 20 * MINUTE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", None),
        ("   ", None),
        ("+10m", NOW + 10 * MINUTE),
        (" +10m ", NOW + 10 * MINUTE),
        ("+1h30m", NOW + 90 * MINUTE),
        ("+ 90s", NOW + 90 * SECOND),
        ("+PT15M", NOW + 15 * MINUTE),
        ("1:30:00", 90 * MINUTE),
        ("1:30", 90 * MINUTE),
        ("01:30:00", 90 * MINUTE),
        ("0:05:30", 5 * MINUTE + 30 * SECOND),
        ("1:5", HOUR + 5 * MINUTE),
        ("90m", 90 * MINUTE),
        ("1h 30m", 90 * MINUTE),
        ("PT1H", HOUR),
        ("0", 0),
    ],
)
def test_when_spellings(text: str, expected: int | None) -> None:
    assert parse_when(text, NOW) == expected


@pytest.mark.parametrize(
    "text",
    [
        "soon",
        "90",  # a bare number: minutes or seconds?
        "+",
        "+1:30",  # relative times are durations
        "1:",
        ":30",
        "1:30:00:00",  # was read as 1:30:00, the extra part silently dropped
        "0:90",  # was read as 90 minutes; minutes go up to 59 as in the MSEL
        "1:30:75",
        "-1:00",  # was read as an hour before the start
        "-10m",
    ],
)
def test_when_refuses_with_the_spellings_to_use(text: str) -> None:
    with pytest.raises(TimeError, match=r"write \+10m, 1:30:00 or 90m"):
        parse_when(text, NOW)


def test_msel_hours_and_minutes_share_the_clock_rule() -> None:
    assert parse_offset("T+15") == 15 * MINUTE
    assert parse_offset("T+1:30") == 90 * MINUTE
    assert parse_offset("T+1:30:15") == 90 * MINUTE + 15 * SECOND
    with pytest.raises(TimeError, match=r"minutes and seconds go up to 59 \(T\+H:MM"):
        parse_offset("T+1:60")


def test_a_duration_error_is_a_time_error() -> None:
    with pytest.raises(TimeError):
        parse_duration("soon")
    assert issubclass(DurationError, ValueError)


# ---------------------------------------------------------------------- the clock a client sees


class FakeWall:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


def test_a_client_clock_extrapolates_while_running_and_stops_at_the_end() -> None:
    wall = FakeWall()
    view = ClockView(wall=wall)
    view.update_from({"now": 10 * MINUTE, "status": "running", "speed": 2.0, "duration": HOUR})
    wall.now += 60
    assert view.now() == 12 * MINUTE
    assert view.seconds_until(14 * MINUTE) == 60.0
    wall.now += 10_000
    assert view.now() == HOUR  # clamped to the exercise's length
    view.update(20 * MINUTE, "paused", 2.0)
    wall.now += 600
    assert view.now() == 20 * MINUTE and view.seconds_until(HOUR) is None
    assert view.duration == HOUR  # an update without a duration keeps it


def test_a_client_clock_never_runs_backwards_on_a_wall_that_does() -> None:
    wall = FakeWall()
    view = ClockView(wall=wall)
    view.update(5 * MINUTE, "running", 1.0)
    wall.now -= 30
    assert view.now() == 5 * MINUTE


@given(
    st.integers(min_value=0, max_value=10**9),
    st.sampled_from([0.5, 1.0, 2.0, 5.0, 60.0, 150.0]),
    st.floats(min_value=0, max_value=1e5),
)
def test_the_client_view_agrees_with_the_server_clock(at: int, speed: float, wait: float) -> None:
    wall = FakeWall()
    server = Clock(wall, at=at, speed=speed, running=True)
    client = ClockView(wall=wall)
    client.update(server.now(), "running", server.speed)
    wall.now += wait
    assert client.now() == server.now()
    assert client.seconds_until(at + HOUR) == server.seconds_until(at + HOUR)
