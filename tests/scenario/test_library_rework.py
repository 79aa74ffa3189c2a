"""The reworked library scenarios keep what the planner's review asked of them (issue 15).

summit-flagship and agent-excessive-agency were read as an experienced planner
would. These tests hold the fixes, through the engine's public surface (a dry-run
in process, and the grader ``sitroom rubric`` uses):

* no table sits idle: a rehearsal flags no stretch of more than 20 minutes without
  an inject for any role, whatever the bots do (diligent, silent, erratic cells);
* one role's choice changes another's crisis in the same cell, as the controller
  notes used to say by hand;
* an exact time is found in the common ways people write it ("half past four");
* a forbidden attribution catches the claim, not a refusal to speculate.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from engine import commands as c
from engine.bots import profile_for
from engine.dryrun import DryRun, dry_run
from engine.events import Delivered
from engine.exercise import Exercise
from engine.meaning.trial import try_rubric
from engine.roster import roster_from_counts
from engine.scenario import Scenario, load_file
from engine.scenario.expectations import TextExpectation

ROOT = Path(__file__).resolve().parents[2]
FLAGSHIP = ROOT / "scenarios" / "summit-flagship.yaml"
AGENT = ROOT / "scenarios" / "agent-excessive-agency.yaml"
PROFILES = "diligent,silent,erratic"
"""With three teams per role, cell-01 is all diligent, cell-02 all silent, cell-03
all erratic: one rehearsal covers the best, the absent and the random table."""


@cache
def scenario(path: Path) -> Scenario:
    return load_file(path).require()


@cache
def rehearsal(path: Path) -> DryRun:
    sc = scenario(path)
    roster = roster_from_counts(sc, 3)
    profiles = {seat.id: profile_for(i, PROFILES) for i, seat in enumerate(roster.teams)}
    return dry_run(sc, roster, profiles, seed=sc.seed)


def choice(run: DryRun, team: str, ref: str) -> str | None:
    for event in run.events:
        body = event.body
        if isinstance(body, c.Respond) and body.team == team and body.expectation == ref:
            return body.choice
    return None


def reached(run: DryRun, inject: str) -> set[str]:
    return {
        team
        for event in run.events
        if isinstance(event.body, Delivered) and event.body.inject == inject
        for team in event.body.teams
    }


@pytest.mark.parametrize("path", [FLAGSHIP, AGENT], ids=lambda p: p.stem)
def test_no_role_sits_idle_for_more_than_20_minutes(path: Path) -> None:
    idle = rehearsal(path).idle()
    assert not idle, "\n".join(stretch.describe() for stretch in idle)


def test_the_public_sees_what_the_cells_platform_team_decided() -> None:
    """XA-72 (status page red) reaches every table of a cell whose platform team
    declared a major incident, XA-72n (still 'degraded') every table of the others."""
    run = rehearsal(AGENT)
    major, other = reached(run, "XA-72"), reached(run, "XA-72n")
    cells = run.roster.cells()
    assert major and other, "the rehearsal should play both variants"
    for cell, teams in cells.items():
        platform = run.roster.peer(teams[0], "platform")
        assert platform is not None
        declared = choice(run, platform, "XA-01.triage") == "major"
        assert set(teams) <= (major if declared else other), cell
        assert not set(teams) & (other if declared else major), cell


def test_the_security_table_gets_the_logs_only_if_its_culture_table_cooperated() -> None:
    run = rehearsal(FLAGSHIP)
    cells = run.roster.cells()
    logs, none = reached(run, "SF-08s"), reached(run, "SF-08sn")
    assert logs and none, "the rehearsal should play both variants"
    for cell, teams in cells.items():
        culture, security = (run.roster.peer(teams[0], r) for r in ("culture", "security"))
        assert culture and security
        cooperated = choice(run, culture, "SF-08.vox") == "cooperate"
        assert security in (logs if cooperated else none), cell
        assert security not in (none if cooperated else logs), cell


def text(path: Path, ref: str) -> TextExpectation:
    exp = scenario(path).expectation(ref)
    assert isinstance(exp, TextExpectation)
    return exp


@pytest.mark.meaning
@pytest.mark.parametrize("deadline", ["half past four", "4:30 pm", "16h30", "16.30", "4.30pm"])
def test_the_payment_deadline_is_found_however_it_is_written(deadline: str) -> None:
    answer = (
        "Tomorrow's salaries will be paid from a repeat of last month's file. Please "
        f"confirm or approve your file by {deadline} today. Any difference will be "
        "corrected in an off-cycle run next week."
    )
    (graded,) = try_rubric(text(AGENT, "XA-64.payplan"), [answer])
    element = next(v for v in graded.verdict.required if "16:30" in v.name)
    assert (element.how, element.credit) == ("keyword", 1.0), element


HOLDING = (
    "The President has made no such announcement and the signing at 16:00 stands as "
    "planned. We are checking the video and will update on the summit's official "
    "channels. {extra}"
)
REFUSALS = [
    "It is too early to say whether a foreign state is behind this.",
    "We are not attributing this to Russia, China or any foreign state at this stage.",
    "Questions about a foreign state are premature.",
]
CLAIMS = [
    "A foreign state is behind this attack on the summit.",
    "Everything points to Russia.",
    "This is a Russian operation.",
    "The video was made by a foreign state.",
]


@pytest.mark.meaning
def test_a_refusal_to_speculate_costs_nothing_and_a_claim_costs_points() -> None:
    exp = text(FLAGSHIP, "SF-09.holding")
    graded = try_rubric(exp, [HOLDING.format(extra=x) for x in REFUSALS + CLAIMS])
    said = [bool(g.verdict.forbidden) for g in graded]
    assert said == [False] * len(REFUSALS) + [True] * len(CLAIMS), said
    assert all(g.verdict.points == exp.points for g in graded[: len(REFUSALS)])


def test_the_boards_framing_reaches_comms_only_where_the_executives_missed_their_mark() -> None:
    """XA-77 (the chair's 'say the vendor was hacked') reaches a cell's comms team when
    its executive team's board sentences (XA-38) have not met their mark by then: the
    framing a controller used to carry by hand. Cell 1's executives write the model
    answer, cell 2's write nothing (the rehearsal's bots never meet this rubric)."""
    sc = scenario(AGENT)
    roster = roster_from_counts(sc, 2)
    exercise = Exercise(sc, roster, sc.seed)
    minute = 60_000
    assert exercise.submit(c.Start(), 0).ok
    cells = list(roster.cells().values())
    executive, comms = ([roster.peer(t[0], r) for t in cells] for r in ("exec", "comms"))
    board = sc.expectation("XA-38.board")
    assert isinstance(board, TextExpectation) and board.model_answer
    answer = c.Respond(
        team=str(executive[0]), member="Chair", expectation="XA-38.board", text=board.model_answer
    )
    assert exercise.submit(answer, 65 * minute).ok
    exercise.advance_to(75 * minute)
    pressed = {
        team
        for event in exercise.drain()
        if isinstance(event.body, Delivered) and event.body.inject == "XA-77"
        for team in event.body.teams
    }
    assert pressed == {comms[1]}
