"""Rules use-m3/8: a sitrep that refutes a scenario's trap does not say it.

A careful team writing to a crisis cell or a hearing names the story going round in
order to knock it down ("rumours of a rogue AI are unfounded", "we reject claims that a
foreign state planted it"); the evaluators' rule is that a forbidden idea quoted, negated
or refuted costs nothing. These sentences were charged half the grade before rules 8."""

from __future__ import annotations

import pytest

from engine.meaning.intake import grade
from tests.meaning.rubrics import expectation

XA65_GOOD = (
    "Sitrep: the Kestrel agent, obeying hidden instructions in the poisoned tidycloud tool, "
    "deleted payroll-prod. It is stopped, its keys revoked and the tool blocked. Still open: "
    "the 01:00-03:41 rebuild (platform, by 17:00) and the customer notice (DPO, today)."
)
P41_GOOD = (
    "civic-llm-8b-instruct carried a backdoor trained into its weights; it spread to 230 "
    "derivatives and to the vendors that adopted them. Still open: testing the remaining "
    "derivatives, owned by the CERT, and replacing the customs model, owned by customs."
)


@pytest.mark.parametrize(
    "refutation",
    [
        "Claims that the AI went rogue are wrong.",
        "Rumours of a rogue AI are unfounded.",
        "We reject the suggestion that the AI went rogue.",
        "Les rumeurs d'une IA devenue folle sont infondées.",
    ],
)
def test_a_sitrep_refuting_the_rogue_ai_story_keeps_its_points(refutation: str) -> None:
    exp = expectation("agent-excessive-agency", "XA-65.sitrep")
    assert grade(exp, XA65_GOOD).points == exp.points
    verdict = grade(exp, f"{refutation} {XA65_GOOD}")
    assert verdict.forbidden == [] and verdict.points == exp.points


@pytest.mark.parametrize(
    "refutation",
    [
        "Press reports that Russia is behind it are unfounded.",
        "We reject claims that a foreign state planted it.",
        "Speculation that this was a Russian operation is premature.",
        "Nous démentons les informations selon lesquelles un État étranger l'aurait implantée.",
    ],
)
def test_a_closing_note_refuting_an_attribution_keeps_its_points(refutation: str) -> None:
    exp = expectation("poisoned-open-weights", "P-41.sitrep")
    assert grade(exp, P41_GOOD).points == exp.points
    verdict = grade(exp, f"{refutation} {P41_GOOD}")
    assert verdict.forbidden == [] and verdict.points == exp.points


@pytest.mark.parametrize(
    ("ref", "claim", "good"),
    [
        ("XA-65.sitrep", "The AI went rogue and acted on its own.", XA65_GOOD),
        ("P-41.sitrep", "Russia is behind it, and a foreign state planted it.", P41_GOOD),
    ],
)
def test_the_trap_said_is_still_charged(ref: str, claim: str, good: str) -> None:
    scenario = "agent-excessive-agency" if ref.startswith("XA") else "poisoned-open-weights"
    exp = expectation(scenario, ref)
    verdict = grade(exp, f"{claim} {good}")
    assert verdict.forbidden and verdict.points < exp.points
