"""The after-action report's timeline lists each module's discussion (issue 15), at the
moment play paused for it, followed by the facilitator's resume."""

from __future__ import annotations

from engine.bots import profile_for
from engine.dryrun import dry_run
from engine.roster import roster_from_counts
from engine.scenario import load_file
from scoring.report.build import build_report
from tests.tui.scripted import ROOT

M = 60_000


def test_the_report_timeline_lists_each_discussion_and_its_resume() -> None:
    scenario = load_file(ROOT / "scenarios" / "election-disinfo.yaml").require()
    roster = roster_from_counts(scenario, 1)
    profiles = {s.id: profile_for(i, "diligent") for i, s in enumerate(roster.teams)}
    played = dry_run(scenario, roster, profiles, seed=scenario.seed)
    report = build_report(scenario, roster, played.events)
    control = [(row.t, row.text) for row in report.timeline if row.kind == "control"]
    talks = [(t, text) for t, text in control if "discussion" in text]
    assert talks == [
        (43 * M, "Module 1 discussion: Friday afternoon (3 questions, 10 min suggested)"),
        (93 * M, "Module 2 discussion: Friday evening (2 questions, 10 min suggested)"),
        (133 * M, "Module 3 discussion: Before midnight (2 questions, 10 min suggested)"),
    ]
    after = [control[control.index(talk) + 1] for talk in talks]
    assert after == [(t, "Resumed") for t, _ in talks]
