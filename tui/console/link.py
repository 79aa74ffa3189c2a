"""The console's side of the network: a small interface the apps depend on.

Consoles never talk to sockets. They get a :class:`Link` that yields typed server
messages (:data:`engine.net.protocol.Incoming`: a ``welcome``, an ``event``, a
``clock``, …, or a :class:`~engine.net.protocol.LinkChange` when the connection
state changes) and sends :mod:`engine.commands` models. The real link is the
shipped ``engine.net.client.Client``; tests and benchmarks use the fake one
beside it, whose messages come from the server's own shaper. One exclusive
worker per console reads it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol

from engine.commands import AnyCommand
from engine.net.protocol import Answer, Incoming


class Link(Protocol):
    """What a console needs from its connection."""

    def messages(self) -> AsyncIterator[Incoming]:
        """Server messages in order, and link-state changes, until closed."""
        ...

    async def send(self, command: AnyCommand) -> Answer:
        """Send a command; returns the server's ``ack`` or ``error``.

        While the link is down the command waits and is resent (same id) on reconnect;
        once the link is closed for good it raises ``engine.net.client.ClientClosed``
        (``ConsoleScreen.send`` answers that as an ``unavailable`` error).
        """
        ...

    async def fetch_file(self, sha256: str) -> bytes:
        """An attachment's file from the exercise server, checked against its sha256
        (raises ``engine.net.client.FileUnavailable`` saying why)."""
        ...

    async def close(self) -> None: ...
