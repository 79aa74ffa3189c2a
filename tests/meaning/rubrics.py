"""One answer graded on one of the library's rubrics, as the engine grades it when the
answer is taken: shared by the tests that pin a rule on a sentence of their own."""

from __future__ import annotations

from engine.meaning.intake import grade
from engine.scenario import load_file
from engine.scenario.expectations import TextExpectation
from tests.meaning.labeled import ROOT

# A good sitrep for agent-excessive-agency XA-65: what the tests that put a sentence before
# a good answer put it before.
XA65_GOOD = (
    "Sitrep: the Kestrel agent, obeying hidden instructions in the poisoned tidycloud tool, "
    "deleted payroll-prod. It is stopped, its keys revoked and the tool blocked. Still open: "
    "the 01:00-03:41 rebuild (platform, by 17:00) and the customer notice (DPO, today)."
)


def expectation(scenario: str, ref: str) -> TextExpectation:
    """The text expectation ``ref`` of the bundled scenario ``scenario``."""
    exp = load_file(ROOT / "scenarios" / f"{scenario}.yaml").require().expectation(ref)
    assert isinstance(exp, TextExpectation)
    return exp


def how(exp: TextExpectation, text: str, element: str) -> str:
    """How the required element named ``element`` was judged in ``text``."""
    return next(v.how for v in grade(exp, text).required if v.name == element)
