"""A team receives its text answer's verdict (its grade per element) only when the
scenario shows results, like its ``scored`` events; staff always do."""

from __future__ import annotations

import pytest

from engine import commands as c
from engine.exercise import Exercise
from engine.net.protocol import staff_event, team_event
from engine.net.server.audience import STAFF, Shaper
from engine.roster import roster_from_counts
from engine.scenario import load_file
from tests.server.conftest import FIXTURE, M
from tests.server.test_audience import parsed

pytestmark = pytest.mark.meaning


@pytest.mark.parametrize("show_results", [True, False])
def test_the_verdict_reaches_the_team_only_with_its_results(show_results: bool) -> None:
    scenario = load_file(FIXTURE).require()
    scenario = scenario.model_copy(
        update={"settings": scenario.settings.model_copy(update={"show_results": show_results})}
    )
    ex = Exercise(scenario, roster_from_counts(scenario, "2"))
    assert ex.submit(c.Start(), 0).ok
    assert ex.submit(c.Release(inject="T1", teams=["a-01"]), M).ok
    ex.drain()
    outcome = ex.submit(
        c.Respond(team="a-01", member="amira", expectation="T1.s", text="The grid is fine."),
        2 * M,
    )
    answer = outcome.events[0]
    answer.seq = 7
    assert isinstance(answer.body, c.Respond) and answer.body.verdict is not None
    shaper = Shaper(scenario)
    staff = staff_event(parsed(shaper.text_for(answer, STAFF, 1.0))).body
    assert isinstance(staff, c.Respond) and staff.verdict == answer.body.verdict
    team = team_event(parsed(shaper.text_for(answer, "a-01", 1.0))).body
    assert isinstance(team, c.Respond) and team.text == "The grid is fine."
    assert (team.verdict == answer.body.verdict) is show_results
    assert (team.verdict is None) is not show_results
