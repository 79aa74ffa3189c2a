"""Checks on the story clock: jumps that go back, and times quoted in injects that the
story clock contradicts when the inject arrives.

Inject texts quote the world's time ("it is now 13:20", "published by 10:45"). When
the story clock (:mod:`engine.storyclock`) reads something else at the inject's
delivery, players notice and the exercise loses them. Only two phrasings are
checked, the ones that state the time: "(it is) now HH:MM" must be within
:data:`NOW_SLACK` of the story clock, and "by/before HH:MM" must still be ahead of
it. Both are warnings: the text may quote another time zone or day on purpose.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta

from engine.durations import format_duration
from engine.i18n import _
from engine.scenario.lint_refs import Finding
from engine.scenario.model import Scenario
from engine.scenario.modules import phase_times
from engine.scenario.reach import Reach
from engine.storyclock import StoryClock, story_clock

NOW_SLACK = timedelta(minutes=15)
"""How far "it is now HH:MM" may be from the story clock (injects arrive with jitter)."""
_NOW = re.compile(r"\b(?:it is|it's)?\s*now\s+(\d{1,2})[:h](\d{2})\b", re.IGNORECASE)
_BY = re.compile(r"\b(?:by|before)\s+(\d{1,2})[:h](\d{2})\b", re.IGNORECASE)


def check_story(sc: Scenario, reach: dict[str, Reach]) -> Iterator[Finding]:
    """``reach``: the scenario's :func:`engine.scenario.reach.analyse`, as timing's."""
    clock = story_clock(sc)
    if clock is None:
        return
    yield from _jumps(sc, clock)
    for i, inject in enumerate(sc.injects):
        found = reach.get(inject.id)
        if found is None or not found.roles or inject.contingency:
            continue
        story = clock.at(found.earliest)
        shown = story.strftime("%H:%M")
        when = format_duration(found.earliest)
        for field in ("title", "body"):
            text = getattr(inject, field)
            for match in _NOW.finditer(text):
                said = _same_day(story, match)
                if said is not None and abs(said - story) > NOW_SLACK:
                    yield Finding(
                        ("injects", i, field),
                        _(
                            '{inject} says "{quote}", but the story clock reads {shown} when '
                            "it arrives ({when} into the exercise): move the story clock with "
                            "a phase's story (a jump), or change the text"
                        ).format(
                            inject=inject.id, quote=match.group(0).strip(), shown=shown, when=when
                        ),
                        "warning",
                    )
            for match in _BY.finditer(text):
                said = _same_day(story, match)
                if said is not None and said <= story:
                    yield Finding(
                        ("injects", i, field),
                        _(
                            '{inject} asks for something "{quote}", but the story clock '
                            "already reads {shown} when it arrives ({when} into the exercise)"
                        ).format(
                            inject=inject.id, quote=match.group(0).strip(), shown=shown, when=when
                        ),
                        "warning",
                    )


def _same_day(story: datetime, match: re.Match[str]) -> datetime | None:
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return None
    return story.replace(hour=hour, minute=minute, second=0, microsecond=0)


def _jumps(sc: Scenario, clock: StoryClock) -> Iterator[Finding]:
    """A jump moves the story forward (a flashback is not a clock)."""
    starts = phase_times(sc)
    for i, phase in enumerate(sc.phases):
        start = starts[phase.id].start
        if start is None or phase.story is None:
            continue
        before = clock.just_before(start)
        if phase.story < before:
            yield Finding(
                ("phases", i, "story"),
                _("phase {phase} sets the story clock back, from {before} to {after}").format(
                    phase=phase.id,
                    before=f"{before:%Y-%m-%d %H:%M}",
                    after=f"{phase.story:%Y-%m-%d %H:%M}",
                ),
                "warning",
            )
