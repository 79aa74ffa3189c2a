"""Who sees which event, in what shape, and what each seat is told on joining.

Two kinds of audience: *staff* (facilitators, evaluators, observers), who see
every event as logged, and *each team*, which sees only what concerns it, as a
typed team body (:data:`engine.views.TeamBody`):

===================  ==========================================================
event                what a team sees
===================  ==========================================================
delivered            :class:`~engine.views.InjectShown`: the inject as
                     :func:`engine.views.inject_for_team` shapes it (no points,
                     notes, timing, branches, no other teams) and the cause
deadline             :class:`~engine.views.DeadlineShown`: the expectation that
                     expired (not who else missed it)
start … end, ended,  the clock change, as is (a module's discussion: its
discussion           questions too)
broadcast            the broadcast without its team list, when addressed to it
respond              its own, as :class:`~engine.views.AnswerShown`: with its
                     verdict and its option's feedback only when the scenario
                     shows results
ask, reply,          its own, as is
team_note, open,
join
scored               its own, when the scenario shows results; else, when it
                     says the team completed the expectation,
                     :class:`~engine.views.CompletedShown` (no figures)
skipped, release,    nothing: branches, controllers' moves and evaluators'
hold, cancel,        work are staff business
grade, rate, note
===================  ==========================================================

A view lists the teams it goes to (or every team), so one delivery to 1,000
teams is one JSON text shared by every member's socket, not 1,000 texts.

A third audience, the *wall* (the room's projector, :data:`WALL`), sees what the
whole room may (:mod:`engine.wallview`): the clock changes, broadcasts to every
team, and of a delivery only its phase and, on a public channel, its content. It
never gets an inject before its delivery: it is shaped from ``delivered`` events
alone, and its welcome carries no scenario text.

Shaping reads only the event and the scenario (the engine's decisions arrive as
``scored`` events), so a snapshot can be shaped in a worker
thread while the event loop carries on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal, assert_never

from engine import commands as c
from engine.events import (
    CLOCK_KINDS,
    Deadline,
    Delivered,
    Discussion,
    Ended,
    Event,
    Scored,
    Skipped,
)
from engine.net.protocol import PROTOCOL_VERSION
from engine.net.server.seats import Seat
from engine.scenario.expectations import DecisionExpectation, TextExpectation, term_name
from engine.scenario.lang import Translations
from engine.scenario.model import Scenario
from engine.views import (
    AnswerShown,
    AnyTeamBody,
    CompletedShown,
    DeadlineShown,
    ExerciseInfo,
    InjectShown,
    InjectView,
    briefing_for_role,
    exercise_for_staff,
    exercise_for_team,
    inject_for_team,
    team_payload,
    translated_info,
)
from engine.wallview import AnyWallBody, WallShown, shown_for_wall, to_everyone, wall_payload

STAFF = "staff"
"""The audience key of every staff seat (they all see the same)."""
WALL = ":wall"
"""The audience key of the wall seats (a colon: no team id can take it)."""

Resume = Literal["live", "catchup", "snapshot"]


@dataclass(frozen=True, slots=True)
class TeamView:
    """One shape of an event for teams: who gets it and what they get."""

    teams: tuple[str, ...] | None
    """The teams it goes to; None for every team."""
    body: AnyTeamBody

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
    kind: str | None = None,
) -> str:
    """An ``event`` message (:class:`engine.net.protocol.EventMsg`) as JSON text
    (``kind``: the shaped body's, when a view changes it)."""
    return _dumps(
        {
            "type": "event",
            "seq": event.seq,
            "t": event.t,
            "kind": kind or event.kind,
            "team": team,
            "actor": actor,
            "payload": payload,
            "wall": wall,
        }
    )


def _named(body: AnyTeamBody, field: str) -> str | None:
    value = getattr(body, field, None)
    return value if isinstance(value, str) else None


class Shaper:
    """Turns logged events into what each audience receives (needs only the scenario)."""

    def __init__(self, scenario: Scenario, translations: Translations | None = None) -> None:
        self.show_results = scenario.settings.show_results
        self._content: dict[str, InjectView] = {
            i.id: inject_for_team(scenario, i) for i in scenario.injects
        }
        # A scenario written in several languages: each delivery carries the inject in
        # every other one, and each member's console shows the one they chose.
        self._translated: dict[str, dict[str, InjectView]] = {
            i.id: {
                lang: inject_for_team(other, other.inject_by_id[i.id])
                for lang, other in translations.others.items()
            }
            for i in scenario.injects
            if translations is not None and translations.others
        }
        # Each option's feedback by (expectation ref, option), in every language: it goes
        # to a team with its answer, never before.
        self._feedback: dict[tuple[str, str], dict[str | None, str]] = {}
        played: list[tuple[str | None, Scenario]] = [(None, scenario)]
        if translations is not None:
            played.extend(translations.others.items())
        for lang, version in played:
            for inject in version.injects:
                for exp in inject.expects:
                    if isinstance(exp, DecisionExpectation):
                        for option in exp.options:
                            if option.feedback:
                                key = (f"{inject.id}.{exp.id}", option.id)
                                self._feedback.setdefault(key, {})[lang] = option.feedback
        # A text expectation's rubric elements, named as played, by their names in each
        # other language (term by term: the verdict names them as played).
        self._names: dict[str, dict[str, dict[str, str]]] = {}
        for lang, version in played[1:]:
            assert lang is not None
            for ref, (_, exp) in scenario.expectation_by_ref.items():
                there = version.expectation_by_ref.get(ref)
                if not isinstance(exp, TextExpectation) or there is None:
                    continue
                assert isinstance(there[1], TextExpectation)
                pairs = zip(
                    (*exp.required, *exp.forbidden),
                    (*there[1].required, *there[1].forbidden),
                    strict=True,
                )
                renamed = {
                    term_name(a): term_name(b) for a, b in pairs if term_name(a) != term_name(b)
                }
                if renamed:
                    self._names.setdefault(ref, {})[lang] = renamed
        self._on_wall: dict[str, WallShown | None] = {
            i.id: shown_for_wall(scenario, i) for i in scenario.injects
        }

    # ----------------------------------------------------------- views

    def staff_text(self, event: Event, wall: float) -> str:
        return event_text(event, wall, event.payload, event.team, event.actor)

    def team_views(self, event: Event) -> list[TeamView]:
        """How teams see this event (empty: staff only)."""
        body = event.body
        match body:
            case Delivered():
                shown = InjectShown(
                    inject=self._content[body.inject],
                    cause=body.cause,
                    translations=self._translated.get(body.inject),
                )
                return [TeamView(tuple(body.teams), shown)]
            case Deadline():
                return [TeamView(tuple(body.teams), DeadlineShown(expectation=body.expectation))]
            case (
                c.Start()
                | c.Pause()
                | c.Resume()
                | c.SetSpeed()
                | c.Jump()
                | c.End()
                | Ended()
                | Discussion()
            ):
                return [TeamView(None, body)]
            case c.Broadcast():
                if not body.teams:
                    return [TeamView(None, body)]
                return [TeamView(tuple(body.teams), body.model_copy(update={"teams": None}))]
            case c.Respond():
                return [TeamView((body.team,), self._answer(body))]
            case c.Ask() | c.Reply() | c.TeamNote() | c.Open() | c.Join():
                return [TeamView((body.team,), body)]
            case Scored():
                if self.show_results:
                    return [TeamView((body.team,), body)]
                if body.completed:
                    done = CompletedShown(team=body.team, expectation=body.expectation)
                    return [TeamView((body.team,), done)]
                return []
            case (
                Skipped()
                | c.Release()
                | c.Hold()
                | c.Cancel()
                | c.Grade()
                | c.Rate()
                | c.Note()
                | c.Tracks()
                | c.PassQuestion()
                | c.Feedback()
            ):
                return []
            case _:
                assert_never(body)

    def _answer(self, body: c.Respond) -> AnswerShown:
        """A team's answer as it sees it: a text answer's verdict and a decision's
        feedback are its result, shown only when results are."""
        fields = body.model_dump(exclude={"type"})
        if not self.show_results:
            return AnswerShown(**{**fields, "verdict": None})
        said = self._feedback.get((body.expectation, body.choice or ""), {})
        others = {lang: text for lang, text in said.items() if lang is not None}
        return AnswerShown(
            **fields,
            feedback=said.get(None),
            feedback_translations=others or None,
            names_translations=self._names.get(body.expectation) if body.verdict else None,
        )

    def team_text(self, event: Event, view: TeamView, wall: float) -> str:
        body = view.body
        return event_text(
            event, wall, team_payload(body), _named(body, "team"), _named(body, "actor"), body.type
        )

    def wall_view(self, event: Event) -> AnyWallBody | None:
        """How the wall sees this event (None: not at all)."""
        body = event.body
        match body:
            case Delivered():
                return self._on_wall[body.inject]
            case (
                c.Start()
                | c.Pause()
                | c.Resume()
                | c.SetSpeed()
                | c.Jump()
                | c.End()
                | Ended()
                | Discussion()
            ):
                return body
            case c.Broadcast():
                return body if to_everyone(body) else None
            case (
                Deadline()
                | Skipped()
                | Scored()
                | c.Respond()
                | c.Ask()
                | c.Reply()
                | c.TeamNote()
                | c.Open()
                | c.Join()
                | c.Release()
                | c.Hold()
                | c.Cancel()
                | c.Grade()
                | c.Rate()
                | c.Note()
                | c.Tracks()
                | c.PassQuestion()
                | c.Feedback()
            ):
                return None
            case _:
                assert_never(body)

    def wall_text(self, event: Event, wall: float) -> str | None:
        """The text the wall gets of an event, if any."""
        body = self.wall_view(event)
        if body is None:
            return None
        return event_text(event, wall, wall_payload(body), None, None)

    def text_for(self, event: Event, audience: str, wall: float) -> str | None:
        """The text one audience (``STAFF``, ``WALL`` or a team id) gets of an event, if any."""
        if audience == STAFF:
            return self.staff_text(event, wall)
        if audience == WALL:
            return self.wall_text(event, wall)
        for view in self.team_views(event):
            if view.reaches(audience):
                return self.team_text(event, view, wall)
        return None


def is_clock_change(event: Event) -> bool:
    """Whether consoles should get a fresh ``clock`` message after this event."""
    return event.kind in CLOCK_KINDS


# ------------------------------------------------------------------ joining


def clock_text(now: int, status: str, speed: float, wall: float, duration: int) -> str:
    """A ``clock`` message (:class:`engine.net.protocol.ClockMsg`) as JSON text."""
    return _dumps(
        {
            "type": "clock",
            "now": now,
            "status": status,
            "speed": speed,
            "wall": wall,
            "duration": duration,
        }
    )


_ONE_LANGUAGE = frozenset({"languages", "translations", "phases"})


def _info_json(info: ExerciseInfo) -> str:
    """An exercise view as JSON text; for a scenario in one language without the
    fields only a scenario in several fills (the welcome as it always was)."""
    exclude = set(_ONE_LANGUAGE) if info.languages is None else None
    return _dumps(info.model_dump(mode="json", by_alias=True, exclude=exclude))


class Welcomes:
    """The ``welcome`` each seat gets: who it is, and the exercise as its audience sees it.

    Staff get :class:`~engine.views.StaffExerciseInfo` (with the scenario's text
    and the roster), a team :class:`~engine.views.ExerciseInfo` with its name.
    """

    def __init__(
        self,
        scenario: Scenario,
        scenario_text: str,
        roster: list[dict[str, Any]],
        controllers: list[str] | None = None,
        translations: Translations | None = None,
    ):
        staff = exercise_for_staff(scenario, scenario_text, roster, controllers)
        self._staff = _info_json(staff)
        self._scenario = scenario
        self._team: ExerciseInfo = exercise_for_team(scenario)
        self._translations = translations or Translations()
        """The scenario in its other languages: a team's welcome carries each."""
        self._wall = _info_json(self._team)
        """The wall's: what every team is told before play, and no team's name."""
        self._teams: dict[str, str] = {}
        self._roles = {str(t["id"]): str(t["role"]) for t in roster}

    def exercise_text(self, seat: Seat) -> str:
        """The ``exercise`` field of a seat's welcome, as JSON text."""
        if seat.role == "wall":
            return self._wall
        if seat.role != "team":
            return self._staff
        found = self._teams.get(seat.label)
        if found is None:
            role = self._roles.get(seat.team or "")
            briefing = briefing_for_role(self._scenario, role)
            info = self._team.model_copy(update={"team_name": seat.label, "briefing": briefing})
            if self._translations.others:
                info = info.model_copy(update=self._in_other_languages(seat.label, role))
            found = self._teams[seat.label] = _info_json(info)
        return found

    def _in_other_languages(self, label: str, role: str | None) -> dict[str, Any]:
        """A team's welcome in the scenario's other languages (its briefing, the actors'
        names, the phases' words), and the list of languages, the first as played."""
        translations = {
            lang: translated_info(other).model_copy(
                update={
                    "team_name": self._label_in(other, label, role),
                    "briefing": briefing_for_role(other, role),
                }
            )
            for lang, other in self._translations.others.items()
        }
        return {"languages": list(self._translations.languages), "translations": translations}

    def _label_in(self, other: Scenario, label: str, role: str | None) -> str:
        """A team's name in another language: where the roster took it from the scenario
        (a team named as its role, as ``--teams`` names one team per role), the role's
        name there; a name the roster wrote itself stays as written."""
        played = next((t.name for t in self._scenario.teams if t.id == role), None)
        if played is None or label != played:
            return label
        return next((t.name for t in other.teams if t.id == role), label)

    def text(self, seat: Seat, name: str, last_seq: int, resume: Resume) -> str:
        """A ``welcome`` message (:class:`engine.net.protocol.Welcome`) as JSON text."""
        head = _dumps(
            {
                "type": "welcome",
                "v": PROTOCOL_VERSION,
                "role": seat.role,
                "team": seat.team,
                "name": name,
                "seat": seat.key,
                "last_seq": last_seq,
                "resume": resume,
            }
        )
        return f'{head[:-1]},"exercise":{self.exercise_text(seat)}}}'
