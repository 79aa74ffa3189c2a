"""The server's limits, in one place, with the reasoning for each default."""

from __future__ import annotations

from dataclasses import dataclass

from engine.net.protocol import MAX_FRAME


@dataclass(frozen=True)
class ServerSettings:
    max_frame: int = MAX_FRAME
    """A frame up to this size is read; a larger one gets a ``too_large`` error."""
    hard_frame: int = 4 * MAX_FRAME
    """A frame over this is not even read: aiohttp closes the socket (1009)."""
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
    hello_timeout: float = 10.0
    heartbeat: float | None = 20.0
    """WebSocket ping interval; a peer silent for as long again is dropped."""
    close_timeout: float = 2.0
    goodbye_timeout: float = 5.0
    """How long a graceful shutdown waits for commands in flight and queued messages."""
