"""What each audience may see of the scenario.

Teams get the content of the injects delivered to them and the questions asked,
never the scoring keys (points per option, required terms), the controllers'
notes, the timing or the branches. Staff (facilitators, evaluators, observers)
get the scenario itself.
"""

from __future__ import annotations

from typing import Any

from engine.scenario.expectations import (
    AnyExpectation,
    ChecklistExpectation,
    DecisionExpectation,
    TextExpectation,
)
from engine.scenario.injects import Inject
from engine.scenario.model import Scenario


def expectation_for_team(exp: AnyExpectation) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": exp.id,
        "kind": exp.kind,
        "prompt": exp.prompt,
        "due": exp.due,
        "answer_by": exp.answer_by,
    }
    if isinstance(exp, DecisionExpectation):
        view["options"] = [{"id": o.id, "label": o.label} for o in exp.options]
    elif isinstance(exp, ChecklistExpectation):
        view["items"] = [{"id": i.id, "label": i.label} for i in exp.items]
    elif isinstance(exp, TextExpectation):
        view["min_words"] = exp.min_words
        view["max_words"] = exp.max_words
    return view


def inject_for_team(scenario: Scenario, inject: Inject) -> dict[str, Any]:
    """An inject as a team receives it."""
    actor = scenario.actor_by_id.get(inject.from_)
    return {
        "id": inject.id,
        "title": inject.title,
        "channel": inject.channel,
        "from": {
            "id": inject.from_,
            "name": actor.name if actor else inject.from_,
            "kind": actor.kind if actor else "other",
        },
        "priority": inject.priority,
        "body": inject.body,
        "attachments": [{"name": a.name, "text": a.text} for a in inject.attachments],
        "expects": [expectation_for_team(e) for e in inject.expects],
    }


def exercise_for_team(scenario: Scenario) -> dict[str, Any]:
    """The exercise as a team sees it on joining: who is who, not what will happen."""
    return {
        "id": scenario.id,
        "title": scenario.title,
        "duration": scenario.duration,
        "start": scenario.start.isoformat() if scenario.start else None,
        "actors": [{"id": a.id, "name": a.name, "kind": a.kind} for a in scenario.actors],
        "show_results": scenario.settings.show_results,
    }


def exercise_for_staff(
    scenario: Scenario, scenario_text: str, roster: list[dict[str, Any]]
) -> dict[str, Any]:
    """The exercise as staff see it: the team view plus the scenario text and the roster."""
    return {**exercise_for_team(scenario), "scenario_text": scenario_text, "roster": roster}
