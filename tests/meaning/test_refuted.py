"""Rules use-m3/8: a sitrep that refutes a scenario's trap does not say it.

A careful team writing to a crisis cell or a hearing names the story going round in
order to knock it down ("rumours of a rogue AI are unfounded", "we reject claims that a
foreign state planted it"); the evaluators' rule is that a forbidden idea quoted, negated
or refuted costs nothing. These sentences were charged half the grade before rules 8."""

from __future__ import annotations

import pytest

from engine.meaning.intake import grade
from tests.meaning.rubrics import XA65_GOOD, expectation

P41_GOOD = (
    "civic-llm-8b-instruct carried a backdoor trained into its weights; it spread to 230 "
    "derivatives and to the vendors that adopted them. Still open: testing the remaining "
    "derivatives, owned by the CERT, and replacing the customs model, owned by customs."
)


XA65 = ("agent-excessive-agency", "XA-65.sitrep", XA65_GOOD)
P41 = ("poisoned-open-weights", "P-41.sitrep", P41_GOOD)


@pytest.mark.parametrize(
    ("sitrep", "refutation"),
    [
        (XA65, "Claims that the AI went rogue are wrong."),
        (XA65, "Rumours of a rogue AI are unfounded."),
        (XA65, "We reject the suggestion that the AI went rogue."),
        (XA65, "Les rumeurs d'une IA devenue folle sont infondées."),
        (P41, "Press reports that Russia is behind it are unfounded."),
        (P41, "We reject claims that a foreign state planted it."),
        (P41, "Speculation that this was a Russian operation is premature."),
        (
            P41,
            "Nous démentons les informations selon lesquelles un État étranger l'aurait implantée.",
        ),
    ],
    ids=lambda v: v[1] if isinstance(v, tuple) else None,
)
def test_a_sitrep_refuting_the_trap_keeps_its_points(
    sitrep: tuple[str, str, str], refutation: str
) -> None:
    scenario, ref, good = sitrep
    exp = expectation(scenario, ref)
    assert grade(exp, good).points == exp.points
    verdict = grade(exp, f"{refutation} {good}")
    assert verdict.forbidden == [] and verdict.points == exp.points


@pytest.mark.parametrize(
    ("sitrep", "claim"),
    [
        (XA65, "The AI went rogue and acted on its own."),
        (P41, "Russia is behind it, and a foreign state planted it."),
    ],
    ids=lambda v: v[1] if isinstance(v, tuple) else None,
)
def test_the_trap_said_is_still_charged(sitrep: tuple[str, str, str], claim: str) -> None:
    scenario, ref, good = sitrep
    exp = expectation(scenario, ref)
    verdict = grade(exp, f"{claim} {good}")
    assert verdict.forbidden and verdict.points < exp.points
