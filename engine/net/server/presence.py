"""Which tables have someone connected, told to the control room.

Who is connected is not part of the exercise: it is neither logged nor replayed, and
the report's participants come from the log's ``join`` events. The hub tells this
module when a team member's socket joins or leaves; staff seats get a ``presence``
message (:class:`engine.net.protocol.PresenceMsg`) for each change at a table, and
the whole picture after their catch-up when they join.

A table whose last member leaves is announced offline only once it has stayed empty
for ``grace`` seconds: a laptop reconnecting after a Wi-Fi blip, or a browser tab
reloaded, is not a table a controller should walk over to. Its ``offline_since`` is
still the exercise time the last member left. A change in the number of members
connected, and a table coming back, are announced at once.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Callable

from engine.net.protocol import TeamPresence


class Presence:
    def __init__(
        self,
        send: Callable[[str], None],
        now: Callable[[], int],
        grace: float = 0.0,
    ) -> None:
        self._send = send
        """Sends a text to every staff session."""
        self.now = now
        """Exercise time (ms), for ``offline_since``."""
        self.grace = grace
        self._members: dict[str, Counter[str]] = {}
        """team → member → sockets open."""
        self._since: dict[str, int] = {}
        """team → when its last member left (while nobody is connected)."""
        self._told: dict[str, TeamPresence] = {}
        """What staff were last told of each table (what a joining staff seat is told)."""
        self._waiting: dict[str, asyncio.TimerHandle] = {}
        """Tables left empty whose announcement waits for the grace period."""

    def arrived(self, team: str, member: str) -> None:
        members = self._members.setdefault(team, Counter())
        members[member] += 1
        self._since.pop(team, None)
        waiting = self._waiting.pop(team, None)
        if waiting is not None:
            waiting.cancel()
        self._announce(team)

    def left(self, team: str, member: str) -> None:
        members = self._members.get(team)
        if members is None or members[member] <= 0:
            return
        members[member] -= 1
        if members[member] <= 0:
            del members[member]
        if members:
            self._announce(team)
            return
        self._since[team] = self.now()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (the in-memory fake server): at once
            loop = None
        if self.grace > 0 and loop is not None and team not in self._waiting:
            self._waiting[team] = loop.call_later(self.grace, self._announce, team)
        elif team not in self._waiting:
            self._announce(team)

    def view(self, team: str) -> TeamPresence:
        """The table as it is now."""
        return TeamPresence(
            team=team,
            online=len(self._members.get(team, ())),
            offline_since=self._since.get(team),
        )

    def _announce(self, team: str) -> None:
        self._waiting.pop(team, None)
        view = self.view(team)
        if self._told.get(team) == view:
            return  # back before the grace ran out: nothing changed as staff know it
        self._told[team] = view
        self._send(presence_text([view]))

    def text(self) -> str:
        """The whole picture, as staff were last told it: for a staff seat joining."""
        return presence_text(list(self._told.values()))


def presence_text(teams: list[TeamPresence]) -> str:
    """A ``presence`` message (:class:`engine.net.protocol.PresenceMsg`) as JSON text."""
    return json.dumps(
        {"type": "presence", "teams": [t.model_dump(mode="json") for t in teams]},
        separators=(",", ":"),
        ensure_ascii=False,
    )
