"""Rules 11: a clause naming another hash, address, time or count than an element's own
gives that element nothing by meaning (engine/meaning/facts.py).

An embedding cannot check a fact, so "about 1,900 candidates" earned SF-22's "about 1,100"
by meaning, a wrong revision MH-19's bad one, a wrong hour XA-35's 16:30. What must not
happen is what the exact-figure rule of phase 11 did: cost a careful team the element for
the right fact written another way, a rounded figure, or a paraphrase beside some other
number. Both are held here, through ``sitroom rubric``, and the reading of facts underneath
by properties. A deadline is met by an earlier time (MH-24's update "by 18:00" by one "at
17:30"), and a year said of one thing ("the 2025 exam", « la session 2025 ») is no count.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.meaning.facts import WINDOW_HOURS, Facts, conflict, facts
from tests.engine.test_dryrun_cli import sitroom

SEPARATORS = (",", ".", " ", "\u00a0", "\u202f", "'")


def grouped(n: int, sep: str) -> str:
    digits = str(n)
    head = len(digits) % 3 or 3
    return sep.join([digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)])


@given(n=st.integers(100, 10**9), sep=st.sampled_from(SEPARATORS))
def test_a_count_is_one_fact_in_any_grouping(n: int, sep: str) -> None:
    if 1900 <= n <= 2099:
        n += 200  # a bare year is a date, not a count
    assert facts(f"about {grouped(n, sep)} people").counts == {str(n)}
    assert facts(f"about {n} people").counts == {str(n)}


@pytest.mark.parametrize(
    "written", ["16:30", "16h30", "16 h 30", "4:30 pm", "4.30pm", "4:30 p.m.", "by 16:30."]
)
def test_a_time_is_one_fact_in_any_of_its_forms(written: str) -> None:
    assert facts(f"confirm {written}").times == {"16:30"}


@pytest.mark.parametrize(
    "text",
    ["in 2025", "100% of them", "1.25 million", "version 3.1.0", "1630hrs", ""],
)
def test_a_year_a_percentage_a_decimal_or_a_version_names_no_fact(text: str) -> None:
    assert not facts(text)


@pytest.mark.parametrize(
    ("said", "clash"),
    [
        ("at about 3am", False),
        ("around 3 a.m.", False),
        ("vers 3 h", False),
        ("at 4am", True),
        ("vers 4 h", True),
        ("at 03:40", True),  # a minute said is a minute
        ("before 3am", True),  # a deadline, not the hour
        ("by 3am", True),
        ("after 3am", True),
    ],
)
def test_an_hour_alone_is_any_time_of_that_hour(said: str, clash: bool) -> None:
    """ "3am" and « vers 3 h » say an hour, not a minute: the deletions at 03:12 are theirs."""
    assert conflict(facts(f"the files were deleted {said}"), facts("deleted at 03:12")) is clash


def test_an_address_and_a_hash_are_read_whole() -> None:
    got = facts("203.0.113.45 port 443, revision 4BE2D1F")
    assert got.addresses == {"203.0.113.45"}
    assert got.hashes == {"4be2d1f"}
    assert got.counts == set()  # a port is not a count


@pytest.mark.parametrize(
    "text",
    [
        "call 0800 000 000",
        "call +33 800 000 000",
        "(case ref. 2026-0417)",
        "about 30 MB on 443/TCP",
        "812 GB",
        "812 Go",
        "26,112 MB each",
        "laptop ENG-0731",
        "SHA-256",
        "61,000 €",
        "HTTP 503",
        "EUR 1,500",
        "1,500 CHF",
        "in 1,900 seconds",
        "in 2025",
        "on 16 April 2026",
        "16.04.2026",
    ],
)
def test_a_phone_number_a_quantity_or_a_reference_is_not_a_count(text: str) -> None:
    """Numbers that are not how many people or things (a reviewer's cases: each cost a
    careful team an element it had earned by meaning)."""
    assert facts(text).counts == set()


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("about 1900 candidates", {"1900"}),
        ("1,100 of 1,900", {"1100", "1900"}),
        ("1,000 to 1,200 candidates", {"1000", "1200"}),
        ("since 2025, 1 100 candidates", {"1100"}),
        ("2000 candidates", {"2000"}),  # a year only after a date word
        ("les 1900 candidats", {"1900"}),
        ("1,800-2,000 candidates", {"1800", "2000"}),
        ("1,900/2,000 candidates", {"1900", "2000"}),
        ("+1,900 candidates", {"1900"}),
        ("1100-odd candidates", {"1100"}),
    ],
)
def test_a_count_near_a_year_or_in_a_range_is_read(text: str, counts: set[str]) -> None:
    """A second reviewer's cases: each of these wrong figures passed as no count at all,
    and earned SF-22's 1,100 by meaning."""
    assert facts(text).counts == counts


@pytest.mark.parametrize(
    "text",
    [
        "the 2025 exam",
        "the 2024 election was close",
        "this 2025 session",
        "the 2025 exam session",
        "the 2025 census",
        "la session 2025",
        "l'examen 2025",
        "du bac 2025",
        "le concours 2025",
        "de la session 2025 des examens",
        "l'élection présidentielle 2022",
        "the 2025 exams",
        "the 2024 elections",
        "the 2025 exam results",
    ],
)
def test_a_year_naming_an_event_is_not_a_count(text: str) -> None:
    """ "the 2025 exam", « la session 2025 »: a 19xx/20xx number that names an event's year
    (a closed list of events) is a year."""
    assert facts(f"{text}, 1,100 candidates").counts == {"1100"}


@pytest.mark.parametrize(
    "text",
    [
        "the 2000 candidates",
        "2000 candidates",
        "the 2000 people",
        "the 2000 staff",
        "the 2000 affected",
        "the 2000 remaining",
        "the 2000 other",
        "the 2000 young British candidates",
        "the 2000 exam candidates",
        # a review's cases: a rule reading any number "said of one thing" as a year took these
        "the 2000 or so candidates",
        "our 2000 candidate pool",
        "the 2000 candidate file",
        "this 2000 figure",
        "the 2000 cohort",
        "the 2000 group",
        "the 2000 alone",
        "le groupe 2000 concerné",
        "la cohorte 2000 entière",
        "le lot 2000",
        "2000 exam-takers",  # a second review's: no determiner, or things of the event
        "the 2000 exam-takers",
        "2000 exam papers",
        "over 2000 exam scripts",
        "the 2000 exam records",
        "2000 sessions",
        "2000 campaign emails",
        "of the 2000, 300 were",
        "the 2000.",
        "the 2,000 affected",
        "les 2000 candidats",
        "au total 2000 candidats",
        "au total 2000",
        "le chiffre 2000",
        "la session 2000 candidats",
    ],
)
def test_a_year_like_count_of_many_things_stays_a_count(text: str) -> None:
    assert "2000" in facts(text).counts


@pytest.mark.parametrize(
    ("said", "clash"),
    [
        ("eleven hundred candidates sat the 2025 exam", False),
        ("onze cents candidats de la session 2025", False),
        ("the 1,900 candidates of the 2025 exam", True),
        ("the 2000 candidates", True),
        ("the 2000 or so candidates' data was exposed", True),
        ("our 1900 candidate pool", True),
    ],
)
def test_a_year_takes_no_count_element(said: str, clash: bool) -> None:
    assert conflict(facts(said), facts("about 1,100 candidates")) is clash


@pytest.mark.parametrize("text", ["as of 1630", "1630 hrs", "at 1630", "depuis 1630"])
def test_four_digits_read_as_a_clock_time_where_a_time_stands(text: str) -> None:
    """ "as of 1630" is a time, not a count of 1,630 rivalling an element's 1,100."""
    got = facts(text)
    assert got.times == {"16:30"} and got.counts == set()


@pytest.mark.parametrize(
    ("said", "clash"),
    [
        ("about 1,900", True),
        ("1,300", True),
        ("about 1,000", False),  # within a tenth
        ("over 1,000", False),
        ("between 1,000 and 1,200", False),  # a range around it
        ("1,000 to 1,200", False),
        ("1,000-1,200", False),
        ("1,800-2,000", True),
        ("1,900/2,000", True),
        ("900-1,400", False),  # only the range said with a dash covers it
        ("1,900, across 140", True),  # two counts either side, not a range
        ("eleven hundred, across 212", False),  # a count of another order: other things
        ("about 11,000", False),
        ("1,100 of 1,900", False),
        ("nine hundred", False),  # no count said
    ],
)
def test_a_count_is_the_elements_when_rounded_not_when_another(said: str, clash: bool) -> None:
    assert conflict(facts(f"{said} candidates"), facts("about 1,100 candidates")) is clash


DEADLINES = [
    "by 18:00",
    "by today at 18:00",
    "before 6:00 pm",
    "no later than 18:00",
    "not later than 18:00",
    "prior to 18:00",
    "18:00 at the latest",
    "18:00 today at the latest",
    "18:00 latest",
    "by 1800 hrs",
    "d'ici 18 h 00",
    "d'ici à 18h00",
    "avant 18h00",
    "au plus tard à 18 h 00",
    "à 18 h 00 au plus tard",
    "pas plus tard que 18h00",
    "18h00 dernier délai",
    "by 6 pm",
    "before 6pm",
    "d'ici 18 h",
    "avant 18h",
]
NOT_DEADLINES = [
    "at 18:00",
    "since 18:00",
    "until 18:00",  # when a state ends, not a time to act by
    "as of 1800",
    "à 18 h 00",
    "depuis 18 h 00",
    "jusqu'à 18 h 00",
    "pour 18 h 00",  # a time set (« prévu pour 18 h 00 »), not a latest time
    "not before 18:00",  # a start
    "no earlier than 18:00",
    "18:00 at the earliest",
    "pas avant 18 h",
    "à 18 h",
    "at 6pm",
]


@pytest.mark.parametrize("said", DEADLINES)
def test_a_time_said_as_a_deadline_is_a_deadline(said: str) -> None:
    got = facts(f"we will update you {said}")
    assert got.times == {"18:00"} and got.deadlines == {"18:00"}


@pytest.mark.parametrize(
    "said",
    [
        "nous vous tiendrons au courant d'ici 2 h",
        "après 2 h d'analyse",
        "entre 2 h et 3 h d'indisponibilité",
        "1 jour et 2 h",
        "une panne de 2 h",
        "sous 24 h",
        "within 24h",
    ],
)
def test_a_duration_in_hours_is_no_time(said: str) -> None:
    assert facts(said).times == set()


@pytest.mark.parametrize("said", NOT_DEADLINES)
def test_a_time_said_otherwise_is_not_a_deadline(said: str) -> None:
    got = facts(f"we will update you {said}")
    assert got.times == {"18:00"} and got.deadlines == set()


@pytest.mark.parametrize(
    ("said", "clash"),
    [
        ("we will update you at 17:30", False),  # before the deadline meets it
        ("we will update you no later than 17:00", False),  # a deadline of its own, earlier
        ("we will update you by 17:00", False),
        ("we will update you at 18:00", False),
        ("nous reviendrons vers vous à 17 h 30", False),
        ("nous reviendrons vers vous d'ici 17h00", False),
        ("we will update you at 18:30", True),  # after it: another time
        ("we will update you by 19:00", True),
        ("nous reviendrons vers vous à 18 h 30", True),
        ("nous reviendrons vers vous avant 19h00", True),
        ("we will update you after 17:00", True),  # a start: it may be after 18:00
        ("we will update you from 17:00", True),
        ("nous reviendrons vers vous à partir de 17 h 00", True),
        ("nous reviendrons vers vous après 17h00", True),
        ("we will update you at 17:30 and at 19:00", False),  # one time meets it
        ("we will update you this evening", False),  # no time said
        ("we will update you at 5.30 pm", False),
        ("nous reviendrons vers vous avant 17 h", False),
        # a review's cases: another day, a start, a window past it, a time long before it
        # (another event's, or the next night's)
        ("we will update you tomorrow at 09:00", True),
        ("we will update you by tomorrow 09:00", True),
        ("we will update you at 17:30 tomorrow", True),
        ("nous reviendrons vers vous demain avant 10 h", True),
        ("we will update you no earlier than 17:00", True),
        ("we will update you 17:00 at the earliest", True),
        ("we will update you later than 17:00", True),
        ("we will update you between 17:00 and 19:00", True),
        ("nous reviendrons vers vous entre 17 h et 19 h", True),
        ("we will update you at 00:30", True),
        ("we will update you at 02:00 tonight", True),
        ("we will update you at 20:00 on the job that ran at 02:10", True),
        ("we will update you by 7pm", True),
        ("we will update you between 15:00 and 17:30", False),  # the window ends before
        # a second review's cases: a day elsewhere in the clause is not the time's
        ("since Monday's incident we will update you at 17:30", False),
        ("we will update you at 17:30 and publish a full report on Friday", False),
        ("nous reviendrons vers vous à 17 h 30 puis demain matin", False),
        ("we will update you at 6pm tomorrow", True),  # an hour alone keeps the day
        ("we will update you tomorrow at 6pm", True),
        ("we will update you after 6pm", True),  # and the start
        ("we will update you at 6 p.m. at the earliest", True),
        ("nous reviendrons vers vous après 18 h", True),
        ("nous reviendrons vers vous demain à 17 h", True),
    ],
)
@pytest.mark.parametrize(
    "element",
    [
        "we will update the customer by 18:00 today",
        "an update no later than 18:00",
        "nous informerons le client d'ici 18 h 00",
        "un point au plus tard à 18h00",
    ],
)
def test_a_deadline_is_met_by_a_time_at_or_before_it(said: str, clash: bool, element: str) -> None:
    assert conflict(facts(said), facts(element)) is clash


@pytest.mark.parametrize(
    ("said", "element"),
    [
        ("by 18:00", "the update went out at 17:30"),  # an event's time is exact
        ("at 03:00", "the key was disabled at 03:12"),
        ("at 22:00", "it has been happening since 22:40"),
        ("à 22 h 00", "depuis 22 h 40"),
        ("at 17:00", "we monitor until 18:00"),
        ("à 17 h 00", "une réunion prévue pour 18 h 00"),
    ],
)
def test_a_time_not_said_as_a_deadline_stays_exact(said: str, element: str) -> None:
    assert conflict(facts(said), facts(element))


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@given(deadline=st.integers(0, 24 * 60 - 1), said=st.integers(0, 24 * 60 - 1))
def test_a_deadline_is_met_by_any_time_at_or_before_it(deadline: int, said: int) -> None:
    """For any deadline D and any time T the same day: T meets "by D" iff T is at or
    before D by at most WINDOW_HOURS, and meets "at D" (an exact time) iff T == D."""
    clause = facts(f"we will update you at {_hhmm(said)}")
    met = 0 <= deadline - said <= WINDOW_HOURS * 60
    assert conflict(clause, facts(f"an update by {_hhmm(deadline)}")) is not met
    assert conflict(clause, facts(f"the key was disabled at {_hhmm(deadline)}")) is (
        said != deadline
    )


def test_a_hash_names_its_own_revision_in_full_or_short() -> None:
    own = facts("revision 4be2d1f")
    assert not conflict(facts("revision 4be2d1f0c93a"), own)
    assert conflict(facts("revision 7c1e9ab"), own)
    assert not conflict(facts("at 09:41"), own)  # another kind: no clash
    assert not conflict(facts("revision 7c1e9ab"), Facts())


@pytest.mark.parametrize(
    "said",
    [
        "the revision after 9a07c3e",
        "any revision since 9a07c3e",
        "the one following 9a07c3e",
        "a revision newer than 9a07c3e",
        "la révision postérieure à 9a07c3e",
        "toute révision après 9a07c3e",
        "the commit that followed 9a07c3e",  # a second review's cases
        "anything newer than commit 9a07c3e",
        "the revision published after revision 9a07c3e",
    ],
)
def test_a_hash_said_as_a_landmark_is_not_the_revision_named(said: str) -> None:
    side = "before" if "before" in said else "after"
    assert facts(said).hashes == {f"{side}:9a07c3e"}
    # An element that names its revision by the one before it: the landmark is not its
    # own, so a clause that blames the landmark names another revision.
    element = facts("revision 4be2d1f contains malicious code") | facts(said)
    assert conflict(facts("Revision 9a07c3e contains malicious code"), element)
    assert not conflict(facts(f"It is {said}."), element)


@pytest.mark.parametrize(
    "said",
    ["every revision before 9a07c3e", "any revision older than 9a07c3e", "avant 9a07c3e"],
)
def test_a_landmark_names_one_side_of_it(said: str) -> None:
    """The revisions before the good one are not the one after it."""
    element = facts("revision 4be2d1f contains malicious code") | facts("after 9a07c3e")
    assert facts(said).hashes == {"before:9a07c3e"}
    assert conflict(facts(said), element)


def _credit(
    tmp_path: Path, scenario: str, ref: str, element: str, answers: list[str]
) -> list[float]:
    sheet = tmp_path / "answers.csv"
    sheet.write_text("text\n" + "".join(f'"{a}"\n' for a in answers), encoding="utf-8")
    out = sitroom("rubric", scenario, ref, str(sheet), "--format", "json")
    assert out.returncode == 0, out.stderr
    return [
        next(e["credit"] for e in answer["required"] if e["name"] == element)
        for answer in json.loads(out.stdout)
    ]


SF22 = (
    "Initial notification: {} candidates' personal and health data was disclosed to "
    "employers and an outside address. The agent's tools are revoked. Contact: our DPO."
)
XA35 = (
    "Tomorrow's salaries will be paid. If our restore is not complete in time, we send your "
    "bank a file repeating August's net pay, which you confirm {}. Your contact is Sara "
    "Lind, who will call you this morning."
)
MH24 = (
    "A malicious model ran in our nightly docscore batch job. We have stopped it and do not "
    "yet know whether your documents were accessed. You will hear from us again {} with "
    "what we find."
)
MH19 = (
    "Security advisory: revision {} of aldermoor/docclass-base contains malicious code "
    "that runs when the model is loaded. Machines that loaded it must be treated as "
    "compromised; rotate every credential they held. Use revision 9a07c3e instead."
)


@dataclass(frozen=True)
class Told:
    """An element naming a fact, an answer around it, and the facts put in: wrong ones
    (no credit by meaning, at most a trace from another clause) and right ones in other
    forms (full credit)."""

    scenario: str
    ref: str
    element: str
    answer: str
    wrong: tuple[str, ...]
    right: tuple[str, ...]


TOLD = {
    "a count": Told(
        "summit-flagship",
        "SF-22.notify",
        "the approximate number of candidates affected",
        SF22,
        ("about 1,900", "about 3,000"),
        (
            "about 1,100",
            "eleven hundred",
            "roughly 1.1k",
            "over 1,000",
            "between 1,000 and 1,200",
            "eleven hundred, across 212 employer accounts, and ref. 2026-0417",
        ),
    ),
    # XA-35's right times all earn the element by its pattern: they hold that another
    # time in the answer does not keep a keyword from counting. A time before the
    # deadline meets it, so "by 15:30" is not a wrong one (the deadline's own case).
    "a time": Told(
        "agent-excessive-agency",
        "XA-35.keyaccount",
        "Hollis confirms the file by 16:30",
        XA35,
        ("by 17:00", "by 16:45", "tomorrow at 4pm", "after 4pm"),
        (
            "by 16:30",
            "by 1630hrs",
            "by 4:30 pm",
            "by half past four on 30 September",
            "by 16:00 for tomorrow's pay run",  # a day named, not the time's
        ),
    ),
    # MH-24's right times earn the element by meaning: no synonym is in the clause.
    "a deadline": Told(
        "model-hub-pickles",
        "MH-24.customer",
        "we will update the customer by 18:00 today",
        MH24,
        (
            "at 18:30",
            "by 19:00",
            "tomorrow at 09:00",
            "between 17:00 and 19:00",
            "no earlier than 17:00",
            "by 7pm",
        ),
        ("at 17:30", "no later than 17:00", "by 17:00", "at 18:00", "by 5 pm"),
    ),
    "a hash": Told(
        "model-hub-pickles",
        "MH-19.advisory",
        "revision 4be2d1f of docclass-base contains malicious code",
        MH19,
        # 9a07c3e is the good revision, named by the element's synonyms only as the one
        # before the bad one ("after 9a07c3e")
        ("7c1e9ab", "9a07c3e"),
        ("4be2d1f", "4be2d1f0c93a7e11"),
    ),
}


@pytest.mark.meaning
@pytest.mark.parametrize("kind", sorted(TOLD))
def test_sitroom_rubric_gives_no_credit_by_meaning_to_another_fact(
    kind: str, tmp_path: Path
) -> None:
    told = TOLD[kind]
    answers = [told.answer.format(fact) for fact in (*told.wrong, *told.right)]
    credits = _credit(tmp_path, told.scenario, told.ref, told.element, answers)
    wrong = len(told.wrong)
    assert max(credits[:wrong]) < 0.1  # at most a trace from another clause
    assert min(credits[wrong:]) == 1.0
