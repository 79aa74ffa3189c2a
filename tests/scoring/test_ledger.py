"""The inject ledger (issue 12): the engine keeps each table's first opening of an
inject; :mod:`scoring.ledger` folds delivered → opened → answered, expired, skipped or
cancelled from the log; the after-action report gives per inject how many tables
opened it and how fast.

Played on the engine's test fixture: A1 (at 10m, to every table, a decision due 10m
after delivery), B-good/B-bad (1m after A1.d's answer, one of them skipped), C1 (at
40m).
"""

from __future__ import annotations

from engine import commands as c
from engine.events import Event
from engine.exercise import Exercise
from engine.roster import Roster, roster_from_counts
from engine.scenario import Scenario, load_file
from scoring.ledger import Ledger
from scoring.report.build import build_report
from scoring.report.markdown import render_markdown
from tests.engine.conftest import FIXTURE

M = 60_000


def _play() -> tuple[Scenario, Roster, list[Event], Exercise]:
    scenario = load_file(FIXTURE).require()
    roster = roster_from_counts(scenario, 2)
    ex = Exercise(scenario, roster)
    events: list[Event] = []

    def send(cmd: c.Command, t: int) -> None:
        outcome = ex.submit(cmd, t)
        assert outcome.ok, (cmd, outcome.reason)
        events.extend(ex.drain())

    send(c.Start(), 0)
    first, second, _third, fourth = (s.id for s in roster.teams)
    refused = ex.submit(c.Open(team=first, member="ana", inject="A1"), 5 * M)
    assert not refused.ok and "has not been delivered" in refused.reason
    send(c.Open(team=first, member="ana", inject="A1"), 11 * M)
    again = ex.submit(c.Open(team=first, member="ben", inject="A1"), 11 * M + 5)
    assert not again.ok and "already opened" in again.reason
    send(c.Respond(team=first, member="ana", expectation="A1.d", choice="good"), 12 * M)
    send(c.Open(team=second, member="cleo", inject="A1"), 14 * M)
    send(c.Cancel(inject="C1", teams=[fourth]), 15 * M)
    ex.advance_to(45 * M)
    events.extend(ex.drain())
    return scenario, roster, events, ex


def test_the_engine_keeps_a_table_s_first_opening_only() -> None:
    _, roster, events, ex = _play()
    first = roster.teams[0].id
    opens = [e.body for e in events if isinstance(e.body, c.Open)]
    assert [(o.team, o.member) for o in opens] == [(first, "ana"), (roster.teams[1].id, "cleo")]
    assert ex.teams[first].cells["A1"].opened == 11 * M


def test_the_ledger_follows_each_delivery_to_its_stage() -> None:
    scenario, roster, events, _ = _play()
    ledger = Ledger(scenario, roster)
    ledger.apply_all(events)
    first, second, third, fourth = (s.id for s in roster.teams)
    stages = {t: ledger.entry("A1", t).stage for t in (first, second, third, fourth)}  # type: ignore[union-attr]
    assert stages == {first: "answered", second: "expired", third: "expired", fourth: "expired"}
    one = ledger.entry("A1", first)
    assert one is not None and (one.to_open, one.to_answer, one.opened_by) == (M, 2 * M, "ana")
    row = ledger.of_inject("A1")
    assert (row.delivered, row.opened) == (4, 2)
    assert row.to_open is not None and (row.to_open.n, row.to_open.median) == (2, M)
    assert row.counts["answered"] == 1 and row.counts["expired"] == 3
    # A1.d was answered "good" by the first table only: B-bad is skipped for it.
    skipped = ledger.entry("B-bad", first)
    assert skipped is not None and skipped.stage == "skipped" and "condition" in skipped.why
    cancelled = ledger.entry("C1", fourth)
    assert cancelled is not None and cancelled.stage == "cancelled"
    assert [e.inject for e in ledger.of_team(first)][:2] == ["A1", "A2"]  # scenario order


def test_the_report_says_how_many_tables_opened_each_inject_and_how_fast() -> None:
    scenario, roster, events, _ = _play()
    report = build_report(scenario, roster, events)
    a1 = next(r for r in report.injects if r.id == "A1")
    assert (a1.opened, a1.to_open.n, a1.to_open.median) == (2, 2, M)
    text = render_markdown(report)
    assert "| Teams reached | Opened |" in text
    row = next(line for line in text.splitlines() if line.startswith("| A1 "))
    assert row.endswith("| 4 of 4 | 2, median 1m00s after delivery |"), row


def test_bot_tables_open_each_inject_before_they_answer_and_silent_ones_never() -> None:
    from engine.bots import PROFILES, profile_for
    from engine.dryrun import dry_run

    scenario = load_file(FIXTURE).require()
    roster = roster_from_counts(scenario, 4)
    profiles = {s.id: profile_for(i, "mix") for i, s in enumerate(roster.teams)}
    played = dry_run(scenario, roster, profiles, seed=scenario.seed)
    ledger = Ledger(scenario, roster)
    ledger.apply_all(played.events)
    checked = 0
    for seat in roster.teams:
        for entry in ledger.of_team(seat.id):
            if entry.delivered is None:
                continue
            if profiles[seat.id] is PROFILES["silent"]:
                assert entry.opened is None, entry
                continue
            assert entry.opened is not None and entry.opened >= entry.delivered, entry
            if entry.answered is not None:
                assert entry.opened < entry.answered, entry
                checked += 1
    assert checked > 10
