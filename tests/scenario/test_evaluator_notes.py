"""Scenario faults the blind evaluators noted, each held mended through the public surface.

The evaluators who graded answers to the bundled scenarios found rubrics that asked a
team for a fact its story never gave it (MH-24's 18:00, SF-22's 1,100, XA-51's second
address, XA-35's confirmation time), a pattern that took any clock time (XA-35), a model
answer whose cost disagreed with the story (LJ-38), a length stated in the prompt but not
in the rubric (I-23), a deadline the story clock jumps over (XA-57), an element that
took only a hash when the story names the revision in other ways too (MH-19), and a
rogue-AI form that also caught a good sitrep (XA-65). "Told" below is what every team of
a role has been shown by the time an inject reaches it, on every branch: the scenario's
title and briefing, the role's briefing, and every inject that reaches all teams of the
role unconditionally (fixed in time, or following such an inject) no later than it.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from engine.grading import grade_text, normalise, term_found
from engine.meaning.intake import grade
from engine.scenario import Scenario, load_file
from engine.scenario.expectations import (
    Term,
    TextExpectation,
    term_name,
)
from engine.storyclock import story_clock
from tests.scenario.story import shown
from tests.scenario.story import told as story_told

LIBRARY = Path(__file__).resolve().parents[2] / "scenarios"


@cache
def scenario(name: str) -> Scenario:
    return load_file(LIBRARY / f"{name}.yaml").require()


def text_expectation(name: str, ref: str) -> TextExpectation:
    exp = scenario(name).expectation(ref)
    assert isinstance(exp, TextExpectation)
    return exp


def told(sc: Scenario, inject_id: str, role: str) -> str:
    """What every team of ``role`` has surely been shown when ``inject_id`` reaches it
    (normalised as the keyword grader normalises)."""
    return normalise(story_told(sc, inject_id, role).sure)


def required(exp: TextExpectation, k: int) -> Term:
    term = exp.required[k]
    assert isinstance(term, Term)
    return term


def earns(term: Term, text: str) -> bool:
    return term_found(term, text, normalise(text))


FACT = re.compile(
    r"\b\d{1,3}(?:\.\d{1,3}){3}\b"  # an address
    r"|\b\d{1,2}:\d{2}\b"  # a clock time
    r"|\b\d{1,3}(?:,\d{3})+\b"  # a count
    r"|\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,}\b"  # a short hash
)


def facts(text: str) -> set[str]:
    return {m.group(0) for m in FACT.finditer(text)}


# ------------------------------------------------------------------ XA-35: 16:30

HOLLIS = (
    "a file repeating August's pay goes to the bank; Sara Lind is your contact and will call you"
)


@pytest.mark.parametrize(
    "when",
    [
        "by 16:30",
        "by 4:30 pm",
        "by 4.30pm",
        "avant 16h30",
        "by 16 h 30",
        "by half past four",
        "by 1630",
    ],
)
def test_xa35_the_confirmation_time_the_story_states_earns_its_element(when: str) -> None:
    time = required(text_expectation("agent-excessive-agency", "XA-35.keyaccount"), 1)
    assert earns(time, f"Please confirm the file {when}; {HOLLIS}.")


@pytest.mark.parametrize("when", ["by 10:30", "by 15:00", "by 18:00", "by 2 pm", "by noon"])
def test_xa35_another_time_does_not(when: str) -> None:
    exp = text_expectation("agent-excessive-agency", "XA-35.keyaccount")
    answer = f"Please confirm the file {when}; {HOLLIS}."
    assert not earns(required(exp, 1), answer)
    assert required(exp, 1).name in grade_text(exp, answer).missing


def test_xa35_support_is_told_the_time_and_the_plan_it_must_give_hollis() -> None:
    sc = scenario("agent-excessive-agency")
    exp = text_expectation("agent-excessive-agency", "XA-35.keyaccount")
    story = told(sc, "XA-35", "support")
    assert required(exp, 1).name.endswith("16:30")
    assert normalise("16:30") in story
    assert normalise("repeating August's net pay") in story


# ------------------------------------------------------------------ MH-24: 18:00


def test_mh24_the_customers_18_00_is_in_the_story_before_the_reply() -> None:
    sc = scenario("model-hub-pickles")
    exp = text_expectation("model-hub-pickles", "MH-24.customer")
    asked = facts(" ".join(term_name(t) for t in exp.required))
    asked |= facts(exp.model_answer)
    assert "18:00" in asked
    story = told(sc, "MH-24", "crisis")
    assert {f for f in asked if normalise(f) not in story} == set()


# ------------------------------------------------------------------ SF-22: how many people


def test_sf22_the_number_of_people_can_be_given_from_what_every_work_team_was_told() -> None:
    sc = scenario("summit-flagship")
    exp = text_expectation("summit-flagship", "SF-22.notify")
    number = required(exp, 1)
    story = told(sc, "SF-22", "work")
    # The label asks for no figure only one branch gives (about 1,100: HireLoop's trace,
    # to the tables that revoked the agent's tools).
    assert {f for f in facts(number.name) if normalise(f) not in story} == set()
    given = [w for w in number.any if facts(w) and normalise(w) in story]
    assert given, "a figure every work table was told (3,400) earns the element"
    assert earns(number, "About 3,400 candidates were processed by the agent this morning.")


@pytest.mark.parametrize(
    "answer",
    [
        "The candidates affected will be informed today by the data protection officer.",
        "Les candidats concernés seront informés aujourd'hui par notre DPO.",
    ],
)
def test_sf22_saying_candidates_are_affected_gives_no_number(answer: str) -> None:
    exp = text_expectation("summit-flagship", "SF-22.notify")
    assert not earns(required(exp, 1), answer)


# ------------------------------------------------------------------ LJ-38: what it cost


def test_lj38_the_cost_in_the_model_answer_is_a_figure_leadership_was_told() -> None:
    sc = scenario("llmjacking")
    exp = text_expectation("llmjacking", "LJ-38.sitrep")
    euros = {m.group(1) for m in re.finditer(r"\b(\d{1,3}(?:,\d{3})+) euros", exp.model_answer)}
    assert euros, "the model answer says what the abuse cost"
    story = told(sc, "LJ-38", "leadership")
    assert {e for e in euros if normalise(e) not in story} == set()


# ------------------------------------------------------------------ I-23 and every stated length

WORDS = re.compile(r"\b(?:at most|under|no more than) (\d+) words\b", re.IGNORECASE)
UNITS = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten)(?:(?: or | to )\w+)?"
    r"[- ](?:lines?|sentences?)\b(?! per\b)",
    re.IGNORECASE,
)


@pytest.mark.parametrize("path", sorted(LIBRARY.glob("*.yaml")), ids=lambda p: p.stem)
def test_a_length_the_prompt_states_is_the_rubrics_max_words(path: Path) -> None:
    sc = scenario(path.stem)
    unbounded = []
    for inject in sc.injects:
        for exp in inject.expects:
            if not isinstance(exp, TextExpectation):
                continue
            words = WORDS.search(exp.prompt)
            if words is not None:
                assert exp.max_words == int(words.group(1)), (inject.id, exp.prompt)
            elif UNITS.search(exp.prompt) and exp.max_words is None:
                unbounded.append(f"{inject.id}.{exp.id}: {exp.prompt}")
    assert unbounded == []


def test_i23_five_lines_has_the_ceiling_of_the_librarys_other_five_lines() -> None:
    report = text_expectation("summit-deepfake", "I-23.report")
    rule = text_expectation("model-hub-pickles", "MH-25.guidance")
    assert "five lines at most" in report.prompt and "five lines at most" in rule.prompt
    assert report.max_words is not None and report.max_words == rule.max_words


# ------------------------------------------------------------------ XA-51: both addresses


def test_xa51_every_address_the_indicators_ask_for_was_told_to_security() -> None:
    sc = scenario("agent-excessive-agency")
    exp = text_expectation("agent-excessive-agency", "XA-51.iocs")
    addresses = {f for t in exp.required for f in facts(term_name(t))}
    assert addresses >= {"203.0.113.45", "198.51.100.23"}
    story = told(sc, "XA-51", "csirt")
    assert {a for a in addresses if normalise(a) not in story} == set()


# ------------------------------------------------------------------ XA-57 and every jump

CLOCK = re.compile(r"\b(\d{1,2})[:h](\d{2})\b")


@pytest.mark.parametrize("path", sorted(LIBRARY.glob("*.yaml")), ids=lambda p: p.stem)
def test_no_inject_open_across_a_jump_quotes_a_time_the_jump_skips(path: Path) -> None:
    sc = scenario(path.stem)
    clock = story_clock(sc)
    if clock is None:
        return
    skipped = []
    for jump_at, lands in clock.jumps:
        leaves = clock.just_before(jump_at)
        for inject in sc.injects:
            dues = [e.due for e in inject.expects if e.due is not None]
            if inject.at is None or not dues or not inject.at < jump_at < inject.at + max(dues):
                continue
            for m in CLOCK.finditer(f"{inject.title} {inject.body}"):
                quoted = leaves.replace(hour=int(m.group(1)), minute=int(m.group(2)))
                if leaves <= quoted < lands:
                    skipped.append(f"{inject.id}: {m.group(0)}")
    assert skipped == [], "the team reads it, then the clock jumps past it before its deadline"


# ------------------------------------------------------------------ MH-19: which revision

ADVICE = (
    "Treat the machine as compromised, isolate it, rotate its credentials; "
    "use the safetensors weights."
)


@pytest.mark.parametrize(
    "named",
    [
        "Revision 4be2d1f of docclass-base contains malicious code.",
        "The revision pushed on 4 March at 09:41 contains malicious code.",
        "Every revision after 9a07c3e contains malicious code.",
    ],
)
def test_mh19_the_bad_revision_named_as_the_story_names_it_earns_the_element(named: str) -> None:
    bad = required(text_expectation("model-hub-pickles", "MH-19.advisory"), 0)
    assert earns(bad, f"{named} {ADVICE}")


def test_mh19_naming_the_safe_revision_as_the_bad_one_does_not() -> None:
    bad = required(text_expectation("model-hub-pickles", "MH-19.advisory"), 0)
    assert not earns(bad, f"Revision 9a07c3e contains malicious code. {ADVICE}")


def test_mh19_the_release_team_was_told_the_revision_in_each_of_those_forms() -> None:
    sc = scenario("model-hub-pickles")
    story = told(sc, "MH-17", "release") + shown(sc.inject_by_id["MH-19"])
    for form in ("4be2d1f", "at 09:41", "9a07c3e"):
        assert normalise(form) in normalise(story), form


# ------------------------------------------------------------------ XA-65: "on its own"

SITREP = (
    "Sitrep: the Kestrel agent, obeying hidden instructions in the poisoned tidycloud tool, "
    "deleted payroll-prod; it acted on its own service credentials, which had admin rights. "
    "It is stopped, its keys revoked and the tool blocked. Still open: the 01:00-03:41 "
    "rebuild (platform, by 17:00) and the customer notice (DPO, today)."
)
ROGUE = (
    "The AI went rogue and deleted payroll-prod.",
    "The agent acted on its own accord and deleted payroll-prod.",
    "The agent acted on its own initiative and deleted payroll-prod.",
    "The agent decided on its own to delete payroll-prod.",
    "The agent acted on its own and deleted payroll-prod.",
    "Our agent deleted payroll-prod of its own accord.",
)


def test_xa65_a_sitrep_whose_agent_acted_on_its_own_credentials_is_not_charged() -> None:
    exp = text_expectation("agent-excessive-agency", "XA-65.sitrep")
    assert grade_text(exp, SITREP).forbidden == ()
    assert grade_text(exp, SITREP).points == exp.points


@pytest.mark.parametrize("claim", ROGUE)
def test_xa65_the_rogue_ai_story_is_still_charged(claim: str) -> None:
    exp = text_expectation("agent-excessive-agency", "XA-65.sitrep")
    assert grade_text(exp, f"{claim} {SITREP}").forbidden != ()


@pytest.mark.meaning
def test_xa65_by_meaning_too() -> None:
    exp = text_expectation("agent-excessive-agency", "XA-65.sitrep")
    assert grade(exp, SITREP).forbidden == []
    for claim in ROGUE:
        assert grade(exp, f"{claim} {SITREP}").forbidden != [], claim


# ------------------------------------------------------------------ MH-19: the safe revision

COMPROMISED = "Treat the machine as compromised, isolate it, rotate its credentials."
SAFE = (
    "Use revision 9a07c3e or nothing.",
    "Revert to 9a07c3e now.",
    "Roll back to 9a07c3e.",
    "Revision 9a07c3e is safe.",
    "Revenez à 9a07c3e.",
)


def test_mh19_the_safe_revision_earns_its_element_only_named_as_safe() -> None:
    good = required(text_expectation("model-hub-pickles", "MH-19.advisory"), 3)
    bad = "Revision 4be2d1f contains malicious code."
    for safe in SAFE:
        assert earns(good, f"{bad} {safe} {COMPROMISED}"), safe
    assert not earns(good, f"Revision 9a07c3e contains malicious code. {COMPROMISED}")
    assert not earns(good, f"Every revision after 9a07c3e contains malicious code. {COMPROMISED}")


# ------------------------------------------------------------------ SF-24 and SF-47

CORRECTION = (
    "There is no chemical alert: the metro is running normally. Our assistant repeated "
    "false press releases. Do not register on the fake site."
)


def test_sf24_minimising_is_charged_by_the_words_that_minimise() -> None:
    exp = text_expectation("summit-flagship", "SF-24.correction")
    assert grade_text(exp, f"{CORRECTION} It was just a glitch.").forbidden != ()
    assert grade_text(exp, f"{CORRECTION} Nothing to worry about.").forbidden != ()


@pytest.mark.meaning
def test_sf24_an_honest_technical_fault_is_not_charged_as_minimising() -> None:
    # The form "a technical glitch" charged it by meaning (cosine 0.71).
    exp = text_expectation("summit-flagship", "SF-24.correction")
    assert grade(exp, f"{CORRECTION} It was a technical fault.").forbidden == []
    assert grade(exp, f"{CORRECTION} It was just a glitch.").forbidden != []


CANDIDATES = (
    "This morning our recruiting assistant was manipulated and wrongly rejected "
    "applications. Your application has not been rejected: it is being reviewed by a "
    "person, and your profile stays open. We apologise. Questions: our helpline or "
    "your adviser."
)
UNVERIFIED = "A group calling itself NULL QUORUM claims the attack; the claim is not verified."


@pytest.mark.parametrize(
    "claim",
    [
        "NULL QUORUM is behind this attack.",
        "A hacker group, NULL QUORUM, manipulated our assistant.",
        "Our assistant was hacked by NULL QUORUM.",
    ],
)
def test_sf47_naming_null_quorum_as_the_author_is_charged_reporting_its_claim_not(
    claim: str,
) -> None:
    exp = text_expectation("summit-flagship", "SF-47.candidates")
    assert grade_text(exp, f"{claim} {CANDIDATES}").forbidden != ()
    assert grade_text(exp, f"{UNVERIFIED} {CANDIDATES}").forbidden == ()
    assert grade_text(exp, CANDIDATES).forbidden == ()


# ------------------------------------------------------------------ W-27 and every element


@pytest.mark.parametrize("path", sorted(LIBRARY.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_rubric_element_is_a_labeled_term(path: Path) -> None:
    bare = [
        f"{inject.id}.{exp.id}: {term_name(term)}"
        for inject in scenario(path.stem).injects
        for exp in inject.expects
        if isinstance(exp, TextExpectation)
        for term in [*exp.required, *exp.forbidden]
        if not isinstance(term, Term) or not term.label
    ]
    assert bare == [], "a report and the meaning grader name an element by its label"


# ------------------------------------------------------------------ XA-68: 03:14

DELETED = "the agent deleted the replica, the payroll-prod cluster and the backups."


@pytest.mark.parametrize(
    "when", ["From 03:14", "From 3:14", "From 03h14", "From 3.14am", "Around 3am", "At 03:00"]
)
def test_xa68_the_deletions_time_earns_its_element(when: str) -> None:
    time = required(text_expectation("agent-excessive-agency", "XA-68.timeline"), 1)
    assert earns(time, f"{when} {DELETED}")


@pytest.mark.parametrize(
    "when", ["At 03:41 it posted its configuration;", "At 05:12", "At 13:14", "After 3 amendments"]
)
def test_xa68_the_send_out_or_another_time_does_not(when: str) -> None:
    """The pattern took any 03:xx, so the 03:41 send-out alone gave the deletions' time."""
    time = required(text_expectation("agent-excessive-agency", "XA-68.timeline"), 1)
    assert not earns(time, f"{when} {DELETED}")
