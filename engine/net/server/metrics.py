"""Counters for ``GET /metrics`` (Prometheus text format 0.0.4) and ``GET /health``.

Plain integers bumped on the event loop; the page is rendered on request from
them and from the room's live state. No client library: the format is a few
lines of text and the server should not depend on more than aiohttp.
"""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


@dataclass
class Metrics:
    inputs_total: int = 0
    """Commands accepted and logged."""
    rejected_total: int = 0
    """Commands the exercise refused (a rejection changes nothing)."""
    duplicates_total: int = 0
    """Retried messages answered from the record instead of being applied again."""
    events_total: int = 0
    messages_total: int = 0
    """Texts queued to sockets (one per socket per message)."""
    bytes_total: int = 0
    slow_drops_total: int = 0
    joins_total: int = 0
    bad_input: Counter[str] = field(default_factory=Counter)
    """Bad client messages by error code."""
    refused: Counter[str] = field(default_factory=Counter)
    """Refusals by the limit that refused (``seat_sockets``, ``seat_commands``,
    ``seat_bytes``, ``hello_timeout``, ``flood``, ``wrong_codes``)."""
    session_errors_total: int = 0
    """Sessions ended because the server failed handling their input (a bug, logged)."""
    loop_errors_total: int = 0
    """Errors the event loop reported (e.g. accept failing when descriptors run out)."""
    _recent: deque[tuple[float, int]] = field(default_factory=deque)

    def count_inputs(self, n: int, now: float | None = None) -> None:
        self.inputs_total += n
        stamp = time.monotonic() if now is None else now
        self._recent.append((stamp, n))
        self._trim(stamp)

    def _trim(self, now: float) -> None:
        while self._recent and self._recent[0][0] < now - 10.0:
            self._recent.popleft()

    def inputs_per_second(self, now: float | None = None) -> float:
        """Accepted inputs per second over the last ten seconds."""
        stamp = time.monotonic() if now is None else now
        self._trim(stamp)
        return sum(n for _t, n in self._recent) / 10.0


@dataclass(frozen=True)
class Gauges:
    """The room's state at render time."""

    connections: dict[str, int]
    queue_depths: Iterable[int]
    queue_bytes: Iterable[int]
    log_bytes: int
    log_seq: int
    exercise_ms: int
    status: str
    log_lines_suppressed: int = 0


def _line(name: str, value: float, labels: str = "") -> str:
    number = repr(float(value)) if isinstance(value, float) else str(value)
    return f"{name}{{{labels}}} {number}" if labels else f"{name} {number}"


def render(m: Metrics, g: Gauges) -> str:
    depths = list(g.queue_depths)
    sizes = list(g.queue_bytes)
    out: list[str] = []

    def metric(name: str, kind: str, help_: str, rows: list[tuple[str, float]]) -> None:
        out.append(f"# HELP {name} {help_}")
        out.append(f"# TYPE {name} {kind}")
        out.extend(_line(name, value, labels) for labels, value in rows)

    metric(
        "sitroom_connections",
        "gauge",
        "Open WebSocket sessions by role.",
        [(f'role="{role}"', n) for role, n in sorted(g.connections.items())],
    )
    metric(
        "sitroom_queue_messages",
        "gauge",
        "Messages waiting in outbound queues: total and the deepest queue.",
        [('stat="sum"', sum(depths)), ('stat="max"', max(depths, default=0))],
    )
    metric(
        "sitroom_queue_bytes",
        "gauge",
        "Bytes waiting in outbound queues: total and the largest queue.",
        [('stat="sum"', sum(sizes)), ('stat="max"', max(sizes, default=0))],
    )
    metric("sitroom_inputs_total", "counter", "Inputs accepted and logged.", [("", m.inputs_total)])
    metric(
        "sitroom_inputs_per_second",
        "gauge",
        "Inputs accepted per second, over the last 10 s.",
        [("", m.inputs_per_second())],
    )
    metric(
        "sitroom_rejected_total",
        "counter",
        "Commands refused by the exercise.",
        [("", m.rejected_total)],
    )
    metric(
        "sitroom_duplicates_total",
        "counter",
        "Retried messages answered without applying them again.",
        [("", m.duplicates_total)],
    )
    metric("sitroom_events_total", "counter", "Events published.", [("", m.events_total)])
    metric(
        "sitroom_messages_total",
        "counter",
        "Messages queued to sockets.",
        [("", m.messages_total)],
    )
    metric(
        "sitroom_slow_drops_total",
        "counter",
        "Sessions dropped for falling behind.",
        [("", m.slow_drops_total)],
    )
    metric("sitroom_joins_total", "counter", "Successful joins.", [("", m.joins_total)])
    metric(
        "sitroom_bad_input_total",
        "counter",
        "Bad client messages, by error code.",
        [(f'code="{code}"', n) for code, n in sorted(m.bad_input.items())],
    )
    metric(
        "sitroom_refused_total",
        "counter",
        "Refusals by a limit: sockets per seat, commands or bytes per seat per minute, "
        "hello timeout, flood, wrong join codes per address.",
        [(f'why="{why}"', n) for why, n in sorted(m.refused.items())],
    )
    metric(
        "sitroom_session_errors_total",
        "counter",
        "Sessions ended by a server failure handling their input (each logged once).",
        [("", m.session_errors_total)],
    )
    metric(
        "sitroom_loop_errors_total",
        "counter",
        "Errors reported by the event loop (accept failures when out of descriptors).",
        [("", m.loop_errors_total)],
    )
    metric(
        "sitroom_log_lines_suppressed_total",
        "counter",
        "Log lines about bad input or failures not written, over the rate limit.",
        [("", g.log_lines_suppressed)],
    )
    metric("sitroom_log_bytes", "gauge", "Size of the event log (with WAL).", [("", g.log_bytes)])
    metric("sitroom_log_seq", "gauge", "Last sequence number logged.", [("", g.log_seq)])
    metric("sitroom_exercise_ms", "gauge", "Exercise time in milliseconds.", [("", g.exercise_ms)])
    metric(
        "sitroom_exercise_status",
        "gauge",
        "1 for the exercise's current status.",
        [(f'status="{s}"', int(s == g.status)) for s in ("ready", "running", "paused", "ended")],
    )
    return "\n".join(out) + "\n"
