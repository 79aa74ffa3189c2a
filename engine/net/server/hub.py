"""Fan-out: every published event, shaped once per audience, queued to every socket in it.

The hub keeps the sessions by audience (staff, the wall, or one team) and each
audience's ring of recent messages. Publishing is synchronous and runs on the event loop
right after a commit: shape, add to the rings, append the text to each session's
outbound queue. Nothing here awaits, so the order of the log is the order every
client sees, and a slow socket can only fill its own queue.

The hub also sees each team member's socket join and leave: it tells
:mod:`engine.net.server.presence`, which tells the staff sessions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Protocol

from engine.events import Event
from engine.net.server.audience import STAFF, WALL, Shaper
from engine.net.server.catchup import Ring
from engine.net.server.metrics import Metrics
from engine.net.server.presence import Presence


class Subscriber(Protocol):
    """What the hub needs of a session."""

    audience: str
    member: str

    def deliver(self, text: str) -> None: ...


class Hub:
    def __init__(
        self,
        shaper: Shaper,
        metrics: Metrics,
        teams: Iterable[str],
        *,
        team_ring: int,
        staff_ring: int,
        now: Callable[[], int] = lambda: 0,
        presence_grace: float = 0.0,
    ) -> None:
        self.shaper = shaper
        self.metrics = metrics
        self.team_ids = tuple(teams)
        self.rings: dict[str, Ring] = {STAFF: Ring(staff_ring), WALL: Ring(team_ring)}
        self.rings.update((t, Ring(team_ring)) for t in self.team_ids)
        self.members: dict[str, set[Subscriber]] = {key: set() for key in self.rings}
        self.last_seq = 0
        """The last sequence number published (or loaded)."""
        self.presence = Presence(
            lambda text: self._send(self.members[STAFF], text), now, presence_grace
        )
        """Which tables have members connected (``now``: the exercise time)."""

    # ------------------------------------------------------------- routing

    def load(self, events: list[Event]) -> None:
        """Fill the rings from the log at start-up (nobody is connected yet)."""
        for event in events:
            self._route(event, event.wall, live=False)

    def publish(self, events: list[Event], wall: float) -> None:
        """Send newly committed events to everyone entitled to them."""
        for event in events:
            self._route(event, wall, live=True)
        self.metrics.events_total += len(events)

    def _route(self, event: Event, wall: float, *, live: bool) -> None:
        shaper, rings, members, seq = self.shaper, self.rings, self.members, event.seq
        text = shaper.staff_text(event, wall)
        rings[STAFF].add(seq, text)
        if live:
            self._send(members[STAFF], text)
        shown = shaper.wall_text(event, wall)
        if shown is not None:
            rings[WALL].add(seq, shown)
            if live:
                self._send(members[WALL], shown)
        for view in shaper.team_views(event):
            text = shaper.team_text(event, view, wall)
            for team in self.team_ids if view.teams is None else view.teams:
                ring = rings.get(team)
                if ring is None:
                    continue
                ring.add(seq, text)
                if live:
                    self._send(members[team], text)
        self.last_seq = seq

    def _send(self, sessions: set[Subscriber], text: str) -> None:
        if not sessions:
            return
        for session in tuple(sessions):
            session.deliver(text)
        self.metrics.messages_total += len(sessions)
        self.metrics.bytes_total += len(text) * len(sessions)

    def send_all(self, text: str) -> None:
        """One text to every session (a clock change)."""
        for sessions in self.members.values():
            self._send(sessions, text)

    # ------------------------------------------------------------- sessions

    def subscribe(self, session: Subscriber, last_seq: int) -> list[str] | None:
        """Join live delivery; returns what ``session`` missed since ``last_seq``.

        None means the ring no longer reaches back that far: send a snapshot. Live
        messages queue behind the catch-up, with nothing lost or doubled between.
        """
        missed = self.rings[session.audience].since(last_seq)
        self.members[session.audience].add(session)
        if self._is_team(session.audience):
            self.presence.arrived(session.audience, session.member)
        return missed

    def unsubscribe(self, session: Subscriber) -> None:
        group = self.members.get(session.audience)
        if group is not None and session in group:
            group.discard(session)
            if self._is_team(session.audience):
                self.presence.left(session.audience, session.member)

    @staticmethod
    def _is_team(audience: str) -> bool:
        return audience not in (STAFF, WALL)

    def sessions(self) -> Iterator[Subscriber]:
        for group in self.members.values():
            yield from group
