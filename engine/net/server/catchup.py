"""Catching a reconnecting client up: recent messages from memory, older ones from the log.

Each audience (staff, and every team) keeps a ring of its most recent messages
as ``(seq, text)``; the texts are the very strings sent live, shared between
rings (a delivery to 1,000 teams is one string referenced 1,000 times). A client
that comes back with ``last_seq`` gets the ring's messages after it, if the ring
still reaches back that far; otherwise a ``snapshot``: every message of its
audience up to now, read from the log on a read-only connection in a worker
thread, so the writer and the event loop carry on.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from pathlib import Path

from engine.eventlog import EventLog
from engine.events import Event
from engine.net.server.audience import Shaper


class Ring:
    """The last ``size`` messages of one audience."""

    __slots__ = ("floor", "items", "size")

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: deque[tuple[int, str]] = deque()
        self.floor = 0
        """Every message of this audience with a seq above ``floor`` is in :attr:`items`."""

    def add(self, seq: int, text: str) -> None:
        items = self.items
        if len(items) >= self.size:
            self.floor = items.popleft()[0]
        items.append((seq, text))

    def since(self, last_seq: int) -> list[str] | None:
        """Messages after ``last_seq``; None when some of them have left the ring."""
        if last_seq < self.floor:
            return None
        out: list[str] = []
        for seq, text in reversed(self.items):
            if seq <= last_seq:
                break
            out.append(text)
        out.reverse()
        return out


def snapshot_text(last_seq: int, texts: list[str]) -> str:
    """A ``snapshot`` message (:class:`engine.net.protocol.Snapshot`) from event texts."""
    return f'{{"type":"snapshot","last_seq":{last_seq},"events":[{",".join(texts)}]}}'


def snapshot_of(events: Iterable[Event], shaper: Shaper, audience: str, upto: int) -> str:
    """Everything ``audience`` may see of ``events`` (in log order) up to ``upto``."""
    texts: list[str] = []
    for event in events:
        if event.seq > upto:
            break
        text = shaper.text_for(event, audience, event.wall)
        if text is not None:
            texts.append(text)
    return snapshot_text(upto, texts)


def build_snapshot(path: Path, shaper: Shaper, audience: str, upto: int) -> str:
    """Everything ``audience`` may see up to ``upto``, read from the log (thread-safe)."""
    with EventLog.open(path, readonly=True) as log:
        return snapshot_of(log.events(verify=False), shaper, audience, upto)
