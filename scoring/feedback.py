"""Participants' feedback forms, aggregated for the after-action report.

The forms are ``feedback`` inputs in the log (:class:`engine.commands.Feedback`);
the questions are :mod:`engine.feedback`'s. Each member counts once: a second form
from the same member (same team, same name) replaces the first, as the form on the
team console says. Ratings are summarised per statement (how many answered, the
mean, how many gave each value); strengths and areas for improvement are listed by
role, then team, in roster order, with the member's name unless they asked to be
anonymous.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from engine.commands import Feedback
from engine.events import Event
from engine.feedback import QUESTIONS, SCALE
from engine.roster import Roster
from engine.scenario.model import Scenario


@dataclass(frozen=True)
class QuestionFigures:
    """One statement's ratings over every form that rated it."""

    id: str
    text: str
    n: int
    mean: float | None
    """None when nobody rated it."""
    counts: list[int]
    """How many gave 1, 2, 3, 4 and 5, in that order."""


@dataclass(frozen=True)
class Remark:
    """A strength or an area for improvement one member wrote."""

    role: str
    """The scenario's name for the role (``National CERT``)."""
    team: str
    team_name: str
    member: str | None
    """None when the member asked to stay anonymous."""
    text: str


@dataclass(frozen=True)
class FormRow:
    """One member's form as sent (the latest, if they sent it twice)."""

    t: int
    role: str
    team: str
    team_name: str
    member: str | None
    """None when the member asked to stay anonymous."""
    ratings: dict[str, int]
    strengths: list[str]
    improvements: list[str]


@dataclass(frozen=True)
class FeedbackSummary:
    forms: int = 0
    """Members who sent a form (each counted once)."""
    anonymous: int = 0
    questions: list[QuestionFigures] = field(default_factory=list)
    strengths: list[Remark] = field(default_factory=list)
    improvements: list[Remark] = field(default_factory=list)
    rows: list[FormRow] = field(default_factory=list)
    """Every form, by role, then team in roster order (the CSV's rows)."""


def latest_forms(events: Iterable[Event]) -> list[tuple[int, Feedback]]:
    """Each member's latest form with its exercise time, in the order they were last sent."""
    latest: dict[tuple[str, str], tuple[int, Feedback]] = {}
    for event in events:
        body = event.body
        if isinstance(body, Feedback):
            key = (body.team, body.member)
            latest.pop(key, None)
            latest[key] = (event.t, body)
    return list(latest.values())


def summarise(scenario: Scenario, roster: Roster, events: Iterable[Event]) -> FeedbackSummary:
    """The feedback section's figures and remarks, from the log's events."""
    timed = latest_forms(events)
    forms = [form for _t, form in timed]
    questions = []
    for qid, text in QUESTIONS:
        given = [form.ratings[qid] for form in forms if qid in form.ratings]
        counts = [sum(1 for r in given if r == value) for value in SCALE]
        mean = sum(given) / len(given) if given else None
        questions.append(QuestionFigures(qid, text, len(given), mean, counts))
    order = {seat.id: i for i, seat in enumerate(roster.teams)}
    role_order = {team.id: i for i, team in enumerate(scenario.teams)}
    role_name = {team.id: team.name for team in scenario.teams}

    def place(form: Feedback) -> tuple[int, int]:
        seat = roster.get(form.team)
        role = seat.role if seat is not None else ""
        return role_order.get(role, len(role_order)), order.get(form.team, len(order))

    strengths: list[Remark] = []
    improvements: list[Remark] = []
    rows: list[FormRow] = []
    # Stable: a team's members stay in the order they (last) sent their forms.
    for t, form in sorted(timed, key=lambda pair: place(pair[1])):
        seat = roster.get(form.team)
        role = role_name.get(seat.role, seat.role) if seat is not None else ""
        name = seat.name if seat is not None else form.team
        member = None if form.anonymous else form.member
        for into, texts in ((strengths, form.strengths), (improvements, form.improvements)):
            into.extend(Remark(role, form.team, name, member, text) for text in texts)
        rows.append(
            FormRow(
                t,
                role,
                form.team,
                name,
                member,
                {qid: form.ratings[qid] for qid, _ in QUESTIONS if qid in form.ratings},
                list(form.strengths),
                list(form.improvements),
            )
        )
    return FeedbackSummary(
        forms=len(forms),
        anonymous=sum(1 for form in forms if form.anonymous),
        questions=questions,
        strengths=strengths,
        improvements=improvements,
        rows=rows,
    )
