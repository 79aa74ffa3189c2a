"""The preview names whose answer a cross-role branch follows (issue 15).

A branch on another role's answer in the same cell (``role:``) or on the whole room's
answers (``world:``) looked, in the preview, exactly like a branch on the team's own
answer: "contain: chose tools → F-03", though F-03 goes to the fraud table and
follows the SOC's choice. The printed preview (what ``sitroom preview | less``
shows) and the app's details now say "the cell's soc chose tools", "some fraud team
chose share" and "no answer from the cell's legal".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.scenario import load_bytes
from engine.scenario.branches import describe_condition
from tests.planner.test_preview import detail, loaded, timeline
from tui.cli import main
from tui.preview.app import make_preview_app

TELECOM = Path(__file__).resolve().parents[2] / "scenarios" / "telecom-agent-sim-swap.yaml"


def test_the_printed_branches_say_whose_answer_they_follow(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["preview", str(TELECOM)]) == 0
    text = capsys.readouterr().out
    branches = text.split("\nBranches (what leads where)\n", 1)[1].split("\n\n", 1)[0]
    lines = [line.strip().split(" → ")[0] for line in branches.splitlines() if " → " in line]
    assert lines == [
        "contain: no answer by 8m",  # the SOC's own escalation
        "contain: the cell's soc chose tools or offline",
        "contain: the cell's soc did not choose tools or offline",
        "holding: no answer by 12m",
        "share: the cell's fraud chose share",
        "share: the cell's fraud did not choose share",
        "share: some fraud team chose share",
        "notify: no answer from the cell's legal by 10m",
        "notify: the cell's legal chose initial",
        "notify: the cell's legal did not choose initial",
    ]


async def test_the_details_of_a_cross_role_inject_name_the_role() -> None:
    app = make_preview_app(TELECOM, poll=0)
    async with app.run_test(size=(160, 48)) as pilot:
        await loaded(pilot)
        assert timeline(app).select_key("F-03n")
        await pilot.pause()
        text = detail(app)
        assert "\nIf    the cell's soc did not choose tools or offline at S-01.contain" in text
        assert "S-01.contain: the cell's soc did not choose tools or offline" in text


WORLD = """
id: w
title: W
duration: 1h
objectives: [{id: o, title: O}]
teams: [{id: it, name: IT}, {id: comms, name: Comms}]
actors: [{id: x, name: X}]
injects:
  - id: A
    at: 1m
    to: [it]
    channel: email
    from: x
    title: A
    expects:
      - id: d
        kind: decision
        objective: o
        options: [{id: y, label: Y, points: 1}, {id: n, label: N}]
"""


@pytest.mark.parametrize(
    ("test", "positive", "words"),
    [
        ("{world: any, role: it, expectation: A.d, chose: y}", True, "some it team chose y at A.d"),
        ("{world: any, expectation: A.d, chose: y}", False, "no team chose y at A.d"),
        ("{world: all, role: it, expectation: A.d, chose: y}", False, "not every it team chose y"),
        ("{world: 3, role: it, expectation: A.d, chose: y}", True, "at least 3 it teams chose y"),
        (
            "{world: 3, role: it, expectation: A.d, chose: y}",
            False,
            "fewer than 3 it teams chose y",
        ),
        ("{role: it, expectation: A.d, chose: y}", False, "the cell's it did not choose y at A.d"),
    ],
)
def test_world_tests_put_their_negation_in_the_count(test: str, positive: bool, words: str) -> None:
    text = (
        WORLD
        + f"""
  - id: B
    at: 30m
    to: [comms]
    when: {test}
    channel: news
    from: x
    title: B
"""
    )
    sc = load_bytes(text, "w.yaml").require()
    when = sc.inject_by_id["B"].when
    assert when is not None
    assert describe_condition(when, positive).startswith(words)
