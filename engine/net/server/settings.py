"""The server's limits, in one place, with the reasoning for each default.

Every limit that refuses something says why (an ``error`` reason, or a close
reason) and counts the refusal in ``/metrics`` (``sitroom_bad_input_total`` by
error code, ``sitroom_refused_total`` by limit).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from engine.net.protocol import MAX_FRAME


@dataclass(frozen=True)
class ServerSettings:
    max_frame: int = MAX_FRAME
    """A frame up to this size is read; a larger one gets a ``too_large`` error."""
    hard_frame: int = 4 * MAX_FRAME
    """A frame over this is not even read: aiohttp closes the socket (1009)."""
    max_depth: int = 32
    """Nesting of arrays and objects a frame may have (a command needs about 4); deeper
    frames are refused before any recursive code sees them."""
    rate: float = 20.0
    """Messages per second a connection may send, sustained: a person types far less;
    a console resending its backlog after a reconnect fits in the burst."""
    burst: float = 100.0
    flood_strikes: int = 200
    """Messages over the limit (within 10 s of each other) before the socket is closed."""
    max_inflight: int = 100
    """Commands one connection may have waiting for the log at once."""
    max_queue_messages: int = 20_000
    max_queue_bytes: int = 16 * 1024 * 1024
    """A session whose outbound queue passes either bound is dropped (it reconnects and
    catches up) instead of holding memory for ever or slowing the others."""
    team_ring: int = 1024
    """Recent messages kept per team for catch-up: more than one team sees in a day."""
    staff_ring: int = 16_384

    # ----------------------------------------------------------- per seat
    seat_sockets: int | None = None
    """Sockets one seat (one join code) may hold open at once. None: the team's named
    members plus :attr:`seat_sockets_spare` (a reconnecting laptop's old socket may
    linger until the heartbeat drops it), or :attr:`seat_sockets_unnamed` when the
    roster names no members (and for staff seats)."""
    seat_sockets_spare: int = 4
    seat_sockets_unnamed: int = 8
    seat_commands_per_minute: int = 120
    """Commands a team seat may have written to the log per minute (all its sockets
    together; a minute's worth may come at once). A team of six busy people sends a few
    a minute; a resend of an acknowledged command is not counted."""
    seat_bytes_per_minute: int = 128 * 1024
    """Bytes of command bodies a team seat may have written to the log per minute: 16
    notes of the longest kind, or hundreds of ordinary ones. The log grows at most this
    much a minute per team."""
    budget_staff: bool = False
    """Whether the two budgets above apply to staff seats too (facilitators, evaluators
    grading fifty teams). Staff codes are handed to staff: off by default."""

    # ----------------------------------------------------------- join codes
    wrong_codes_per_minute: float = 60.0
    """Join codes one address may get wrong a minute, after :attr:`wrong_codes_burst`;
    beyond that its hellos are refused (``rate_limited``, close 4429) until it has credit
    again (:mod:`engine.net.server.guesses`). Every browser tab shares the gateway's
    address: 300 people mistyping once each in their first two minutes fit; a guesser
    gets 86,600 tries a day per address, against 2^60 codes (docs/security.md)."""
    wrong_codes_burst: int = 200

    # ----------------------------------------------------------- timeouts
    hello_timeout: float = 10.0
    """A socket that has not sent a valid ``hello`` by then is closed (4400)."""
    heartbeat: float | None = 20.0
    """WebSocket ping interval; a peer silent for half as long again is dropped."""
    http_idle_timeout: float = 15.0
    """An HTTP connection that has not sent a whole request by then (or sits idle between
    requests that long) is closed: half-open and slow-header connections cannot pile up
    and hold every descriptor. Joined WebSocket sessions are not affected."""
    presence_grace: float = 15.0
    """Seconds a table must stay with no member connected before the control room is told
    it went offline: a laptop's reconnect after a Wi-Fi blip (the client retries within
    ten seconds) or a reloaded browser tab is not a table to walk over to."""
    close_timeout: float = 2.0
    goodbye_timeout: float = 5.0
    """How long a graceful shutdown waits for commands in flight and queued messages."""

    # ----------------------------------------------------------- the server's own log
    log_lines_per_second: float = 5.0
    """Lines per second the server logs about bad input and failed sessions, sustained;
    beyond that, lines are counted and summed up in one line once the rate allows."""
    log_burst: float = 50.0

    def sockets_for(self, members: Sequence[str]) -> int:
        """How many sockets a seat whose roster names ``members`` may hold open."""
        if self.seat_sockets is not None:
            return self.seat_sockets
        if members:
            return len(members) + self.seat_sockets_spare
        return self.seat_sockets_unnamed
