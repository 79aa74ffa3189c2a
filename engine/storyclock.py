"""The story clock: what time it is in the world of the exercise, at each moment of play.

A scenario's ``start`` is the in-world date and time when play starts. A phase may
jump the story forward (``at: 1h48m`` with ``story: 2025-09-25T13:20``): a four-hour
DORA deadline or a 72-hour GDPR one played in minutes. Every surface that shows
story time (the consoles' clock bars, the wall, lint's check of times quoted in
injects) reads it here, so they never disagree.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime, timedelta

from engine.i18n import N_, _
from engine.scenario.model import Scenario
from engine.scenario.modules import phase_times

WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
"""A clock bar's day names, in the reader's language (``strftime("%a")`` would follow
the machine's C locale, and English whatever the console's language)."""


@dataclass(frozen=True, slots=True)
class StoryClock:
    start: datetime
    """In-world date and time at exercise time 0."""
    jumps: tuple[tuple[int, datetime], ...] = ()
    """(exercise ms, in-world date and time from then on), in exercise-time order."""

    def at(self, ms: int) -> datetime:
        """The in-world date and time ``ms`` into the exercise."""
        k = bisect_right([at for at, _ in self.jumps], ms)
        if k == 0:
            return self.start + timedelta(milliseconds=ms)
        at, story = self.jumps[k - 1]
        return story + timedelta(milliseconds=ms - at)

    def text(self, ms: int) -> str:
        """For a clock bar: ``Tue 09:42`` (``mar. 09:42`` in French)."""
        moment = self.at(ms)
        return f"{_(WEEKDAYS[moment.weekday()])} {moment:%H:%M}"

    def just_before(self, ms: int) -> datetime:
        """The story's time an instant before ``ms`` (where a jump at ``ms`` starts)."""
        return self.at(ms - 1) + timedelta(milliseconds=1)


def story_clock(scenario: Scenario) -> StoryClock | None:
    """The scenario's story clock, or None when it gives no ``start``."""
    if scenario.start is None:
        return None
    starts = phase_times(scenario)  # at, or after another phase (a module)
    jumps = sorted(
        (start, phase.story)
        for phase in scenario.phases
        if (start := starts[phase.id].start) is not None and phase.story is not None
    )
    return StoryClock(scenario.start, tuple(jumps))


def from_wire(start: str | None, jumps: list[tuple[int, str]]) -> StoryClock | None:
    """The story clock a console is sent (:class:`engine.views.ExerciseInfo`)."""
    if not start:
        return None
    return StoryClock(
        datetime.fromisoformat(start),
        tuple(sorted((at, datetime.fromisoformat(story)) for at, story in jumps)),
    )
