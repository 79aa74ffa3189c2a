"""Which of a scenario's roles the teams fielded for an exercise leave unstaffed.

A roster (or ``--teams legal=0``) may field no team for a role, on purpose (a
smaller room) or by mistake (a typo in a role column). Either way the injects
addressed to that role reach nobody, and the branches that hang on its answers
never open. That is a fact the planner should read before play, not an error:
the exercise runs. So it is a *note*, named by role, with the injects that reach
no team at all.
"""

from __future__ import annotations

from collections.abc import Iterable

from engine.i18n import _, ngettext
from engine.problems import Problem
from engine.scenario.model import Scenario

_SHOWN = 5
"""Inject ids listed in a note before ``…``."""


def unstaffed_roles(scenario: Scenario, staffed: Iterable[str], source: str) -> list[Problem]:
    """A note per role of ``scenario`` that no fielded team plays, in the scenario's order.

    ``staffed`` holds the roles the fielded teams play; ``source`` names where the
    teams came from (the roster file, or ``--teams``), which is where the note points.
    """
    played = set(staffed)
    notes: list[Problem] = []
    for role in scenario.teams:
        if role.id in played:
            continue
        addressed = [i for i in scenario.injects if role.id in scenario.roles_of(i)]
        lost = [i.id for i in addressed if not played & set(scenario.roles_of(i))]
        if not addressed:
            text = _("no team plays role {role!r} ({name}); no inject is addressed to it")
        elif not lost:
            text = ngettext(
                "no team plays role {role!r} ({name}): {count} inject addressed to it",
                "no team plays role {role!r} ({name}): {count} injects addressed to it",
                len(addressed),
            )
        elif len(lost) == 1:
            text = ngettext(
                "no team plays role {role!r} ({name}): {count} inject addressed to it, of "
                "which {lost} reaches no team at all ({shown})",
                "no team plays role {role!r} ({name}): {count} injects addressed to it, of "
                "which {lost} reaches no team at all ({shown})",
                len(addressed),
            )
        else:
            text = _(
                "no team plays role {role!r} ({name}): {count} injects addressed to it, of "
                "which {lost} reach no team at all ({shown})"
            )
        shown = ", ".join(lost[:_SHOWN]) + (", …" if len(lost) > _SHOWN else "")
        text = text.format(
            role=role.id, name=role.name, count=len(addressed), lost=len(lost), shown=shown
        )
        notes.append(Problem(source, 0, 0, "", text, "note"))
    return notes
