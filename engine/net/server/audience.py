"""Who sees which event, and in what shape.

Two kinds of audience: *staff* (facilitators, evaluators, observers), who see
every event as logged, and *each team*, which sees only what concerns it:

===================  ==========================================================
event                what a team sees
===================  ==========================================================
delivered            the inject as :func:`engine.views.inject_for_team` shapes
                     it (no points, notes, timing, branches, no other teams)
deadline             the expectation that expired (not who else missed it)
start … end, ended   the clock change, as is
broadcast            text, title and actor, when addressed to it (no team list)
respond              its own answers, with the result when the scenario shows
                     results, and whether the whole team has now answered
ask, reply,          its own, as is
team_note, join
grade                its combined points and the maximum (when results show)
skipped, release,    nothing: branches, controllers' moves and evaluators'
hold, cancel,        work are staff business
rate, note
===================  ==========================================================

A view lists the teams it goes to (or every team), so one delivery to 1,000
teams is one JSON text shared by every member's socket, not 1,000 texts.

Results need the engine's state (points after timeliness and evaluators'
grades), which only the event loop may read: :meth:`Shaper.note_results` reads
it once per event and keeps the figures by sequence number, so later shaping
(a snapshot built in a worker thread, say) reads only immutable data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from engine.events import DEADLINE, DELIVERED, ENDED, Event
from engine.exercise import Exercise
from engine.views import inject_for_team

STAFF = "staff"
"""The audience key of every staff seat (they all see the same)."""

_CLOCK_KINDS = frozenset({"start", "pause", "resume", "set_speed", "jump", "end", ENDED})
_OWN_TEAM_KINDS = frozenset({"ask", "reply", "team_note", "join"})


@dataclass(frozen=True, slots=True)
class TeamView:
    """One shape of an event for teams: who gets it and what they get."""

    teams: tuple[str, ...] | None
    """The teams it goes to; None for every team."""
    payload: dict[str, Any]
    team: str | None = None
    actor: str | None = None

    def reaches(self, team: str) -> bool:
        return self.teams is None or team in self.teams


def _dumps(obj: dict[str, Any]) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def event_text(
    event: Event,
    wall: float,
    payload: dict[str, Any],
    team: str | None,
    actor: str | None,
) -> str:
    """An ``event`` message (:class:`engine.protocol.EventMsg`) as JSON text."""
    return _dumps(
        {
            "type": "event",
            "seq": event.seq,
            "t": event.t,
            "kind": event.kind,
            "team": team,
            "actor": actor,
            "payload": payload,
            "wall": wall,
        }
    )


class Shaper:
    """Turns logged events into what each audience receives."""

    def __init__(self, exercise: Exercise) -> None:
        self.exercise = exercise
        scenario = exercise.scenario
        self.show_results = scenario.settings.show_results
        self._content = {i.id: inject_for_team(scenario, i) for i in scenario.injects}
        self._extras: dict[int, dict[str, Any]] = {}

    # ----------------------------------------------------------- results

    def note_results(self, events: list[Event]) -> None:
        """Remember the team-visible results of answers and grades (on the event loop)."""
        ex = self.exercise
        for event in events:
            if event.kind not in ("respond", "grade"):
                continue
            team = ex.teams.get(str(event.payload.get("team")))
            ref = str(event.payload.get("expectation"))
            if team is None or ref not in ex.scenario.expectation_by_ref:
                continue
            points = ex.points(team, ref)
            maximum = ex.scenario.expectation(ref).max_points()
            if event.kind == "respond":
                extra: dict[str, Any] = {"complete": ref in team.completed}
                if self.show_results and points is not None:
                    extra["result"] = {"points": round(points, 3), "max": maximum}
            else:
                extra = {"points": round(points or 0.0, 3), "max": maximum}
            self._extras[event.seq] = extra

    # ----------------------------------------------------------- views

    def staff_text(self, event: Event, wall: float) -> str:
        return event_text(event, wall, event.payload, event.team, event.actor)

    def team_views(self, event: Event) -> list[TeamView]:
        """How teams see this event (empty: staff only)."""
        kind, p = event.kind, event.payload
        if kind == DELIVERED:
            return [TeamView(tuple(p["teams"]), {"inject": self._content[p["inject"]]})]
        if kind == DEADLINE:
            return [TeamView(tuple(p["teams"]), {"expectation": p["expectation"]})]
        if kind in _CLOCK_KINDS:
            return [TeamView(None, p)]
        if kind == "broadcast":
            teams = p.get("teams")
            shown = {k: v for k, v in p.items() if k != "teams"}
            return [TeamView(tuple(teams) if teams else None, shown, None, event.actor)]
        team = p.get("team")
        if not isinstance(team, str):
            return []
        if kind == "respond":
            payload = {**p, **self._extras.get(event.seq, {})}
            return [TeamView((team,), payload, team)]
        if kind in _OWN_TEAM_KINDS:
            return [TeamView((team,), p, team, event.actor)]
        if kind == "grade" and self.show_results:
            extra = self._extras.get(event.seq)
            if extra is None:
                return []
            return [TeamView((team,), {"expectation": p["expectation"], **extra}, team)]
        return []

    def team_text(self, event: Event, view: TeamView, wall: float) -> str:
        return event_text(event, wall, view.payload, view.team, view.actor)

    def text_for(self, event: Event, audience: str, wall: float) -> str | None:
        """The text one audience (``STAFF`` or a team id) gets of an event, if any."""
        if audience == STAFF:
            return self.staff_text(event, wall)
        for view in self.team_views(event):
            if view.reaches(audience):
                return self.team_text(event, view, wall)
        return None


def is_clock_change(event: Event) -> bool:
    """Whether consoles should get a fresh ``clock`` message after this event."""
    return event.kind in _CLOCK_KINDS
