"""The console's side of the network: a small interface the apps depend on.

Consoles never talk to sockets. They get a :class:`Link` that yields server
messages (plus ``{"type": "link", "state": ...}`` when the connection state
changes) and sends commands. The real link wraps the shipped ``engine.client``;
tests may pass a scripted one. One exclusive worker per console reads it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Literal, Protocol

LinkState = Literal["connecting", "connected", "reconnecting", "closed"]


class Link(Protocol):
    """What a console needs from its connection."""

    def messages(self) -> AsyncIterator[dict[str, Any]]:
        """Server messages in order, and link-state changes, until closed."""
        ...

    async def send(self, command: dict[str, Any]) -> dict[str, Any]:
        """Send a command; returns the server's ``ack`` or ``error`` message.

        While the link is down the command waits and is resent (same id) on reconnect.
        """
        ...

    async def close(self) -> None: ...
