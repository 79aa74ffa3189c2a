"""Cells (issue 15): one team per role grouped into an organisation, and injects that
follow another role's table in the same cell. Legal's decision changes what
communications is told next; legal's silence sets off an escalation at communications;
a condition reads legal's answer. Built from ``--teams N`` by default, or named in a
roster's ``cell`` column; lint checks every role named."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from engine.eventlog import EventLog
from engine.replay import rebuild
from engine.roster import parse_roster, roster_from_counts
from engine.scenario import Scenario, load_bytes
from tests.engine.conftest import M, answer, deliveries, logged_dry_run, started, validate_text

ROOT = Path(__file__).resolve().parents[2]

SCENARIO = """\
id: cells
title: Cells
duration: 1h
seed: 5
teams:
  - {id: legal, name: Legal}
  - {id: comms, name: Communications}
actors: [{id: reg, name: Regulator}]
injects:
  - id: L-01
    at: 5m
    to: [legal]
    channel: email
    from: reg
    title: Notify the regulator?
    expects:
      - id: decide
        kind: decision
        due: 10m
        options:
          - {id: notify, label: Notify now, points: 10}
          - {id: wait, label: Wait for more facts, points: 2}
  - id: C-01
    after: {response: L-01.decide, role: legal, delay: 2m}
    when: {role: legal, expectation: L-01.decide, chose: notify}
    to: [comms]
    channel: phone
    from: reg
    title: The regulator calls about legal's notification
  - id: C-02
    after: {response: L-01.decide, role: legal, delay: 2m}
    when: {role: legal, expectation: L-01.decide, chose: wait}
    to: [comms]
    channel: phone
    from: reg
    title: A reporter heard legal is waiting
  - id: E-01
    if_no_response: {expectation: L-01.decide, role: legal, delay: 1m}
    to: [comms]
    channel: phone
    from: reg
    title: Legal has gone silent
  - id: X-01
    at: 30m
    when: {role: legal, expectation: L-01.decide, met: true}
    to: [comms]
    channel: email
    from: reg
    title: Legal's notification went well
"""


@pytest.fixture(scope="module")
def cells() -> Scenario:
    return load_bytes(SCENARIO, "cells.yaml").require()


def test_teams_n_makes_one_cell_per_kth_team_of_each_role(cells: Scenario) -> None:
    roster = roster_from_counts(cells, 2)
    assert roster.cells() == {
        "cell-01": ["legal-01", "comms-01"],
        "cell-02": ["legal-02", "comms-02"],
    }
    assert roster.peer("comms-02", "legal") == "legal-02"
    assert roster.peer("legal-01", "legal") == "legal-01"


def test_an_injects_follows_the_other_roles_table_in_its_cell(cells: Scenario) -> None:
    ex = started(cells, roster_from_counts(cells, 3))
    ex.advance_to(5 * M)
    answer(ex, "legal-01", "L-01.decide", 6 * M, choice="notify")
    answer(ex, "legal-02", "L-01.decide", 7 * M, choice="wait")
    # legal-03 never answers: its deadline passes at 0:15.
    ex.advance_to(40 * M)
    got = [(t, inject, teams) for t, inject, teams, _ in deliveries(ex.drain())]
    assert got == [
        (5 * M, "L-01", ["legal-01", "legal-02", "legal-03"]),
        (8 * M, "C-01", ["comms-01"]),
        (9 * M, "C-02", ["comms-02"]),
        (16 * M, "E-01", ["comms-03"]),
        (30 * M, "X-01", ["comms-01"]),
    ]
    # Legal's own tables get none of these: they go to communications.
    assert all(not ex.teams[f"legal-0{k}"].delivered_at("C-01") for k in (1, 2, 3))


def test_a_roster_names_the_cells(cells: Scenario) -> None:
    roster = parse_roster(
        "team,role,cell\nlegal-a,legal,bank\nlegal-b,legal,insurer\n"
        "comms-a,comms,insurer\ncomms-b,comms,bank\n",
        cells,
    )
    assert roster.cell_of("comms-b") == "bank"
    ex = started(cells, roster)
    ex.advance_to(5 * M)
    answer(ex, "legal-a", "L-01.decide", 6 * M, choice="notify")
    ex.advance_to(9 * M)
    assert [(i, teams) for _, i, teams, _ in deliveries(ex.drain())] == [
        ("L-01", ["legal-a", "legal-b"]),
        ("C-01", ["comms-b"]),
    ]


def test_a_cell_without_the_role_is_never_told(cells: Scenario) -> None:
    roster = parse_roster("team,role,cell\nlegal-a,legal,x\ncomms-a,comms,y\n", cells)
    ex = started(cells, roster)
    ex.advance_to(5 * M)
    answer(ex, "legal-a", "L-01.decide", 6 * M, choice="notify")
    ex.advance_to(40 * M)
    assert [i for _, i, _, _ in deliveries(ex.drain())] == ["L-01"]


def test_a_bot_rehearsal_with_cells_replays(cells: Scenario, tmp_path: Path) -> None:
    roster = roster_from_counts(cells, 4)
    db = tmp_path / "cells.db"
    result = logged_dry_run(db, SCENARIO, cells, roster, "mix", "cells.yaml")
    reach = result.reach()
    assert reach["C-01"]["delivered"] + reach["C-02"]["delivered"] + reach["E-01"]["delivered"] >= 3
    with EventLog.open(db) as log:
        assert rebuild(log).events == len(result.events)


def validate(tmp_path: Path, text: str) -> CompletedProcess[str]:
    return validate_text(tmp_path, text, "cells.yaml")


def test_the_cross_role_scenario_validates_clean(tmp_path: Path) -> None:
    out = validate(tmp_path, SCENARIO)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "when: {role: legal, expectation: L-01.decide, chose: notify}",
            "when: {role: legl, expectation: L-01.decide, chose: notify}",
            "unknown role 'legl' (did you mean 'legal'?); roles are legal, comms",
        ),
        (
            "when: {role: legal, expectation: L-01.decide, met: true}",
            "when: {role: comms, expectation: L-01.decide, met: true}",
            "L-01 is not sent to role comms, so no comms team ever has it; it goes to legal",
        ),
        (
            "after: {response: L-01.decide, role: legal, delay: 2m}\n    when: {role: legal, "
            "expectation: L-01.decide, chose: wait}",
            "after: {response: L-01.decide, role: comms, delay: 2m}\n    when: {role: legal, "
            "expectation: L-01.decide, chose: wait}",
            "L-01 is not sent to role comms, so no comms team ever has it; it goes to legal",
        ),
        (
            "if_no_response: {expectation: L-01.decide, role: legal, delay: 1m}",
            "if_no_response: {expectation: L-01.decide, delay: 1m}",
            "E-01 can never fire",
        ),
    ],
)
def test_lint_checks_each_role_named(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in SCENARIO
    out = validate(tmp_path, SCENARIO.replace(old, new))
    assert out.returncode != 0
    assert message in out.stdout + out.stderr, out.stdout + out.stderr


def test_the_msel_round_trip_keeps_the_roles(tmp_path: Path, cells: Scenario) -> None:
    source = tmp_path / "cells.yaml"
    source.write_text(SCENARIO, encoding="utf-8")
    sheet, back = tmp_path / "cells.csv", tmp_path / "back.yaml"
    for args in (
        ("export", str(source), "-o", str(sheet)),
        ("import", str(sheet), "-o", str(back)),
    ):
        out = subprocess.run(
            [sys.executable, "-m", "tui.cli", "msel", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert out.returncode == 0, out.stdout + out.stderr
    assert "legal: L-01.decide" in sheet.read_text(encoding="utf-8")
    again = load_bytes(back.read_text(encoding="utf-8"), "back.yaml").require()
    assert again.model_dump() == cells.model_dump()


WORLD = """\
id: world
title: World
duration: 1h
teams:
  - {id: legal, name: Legal}
  - {id: comms, name: Communications}
actors: [{id: reg, name: Regulator}]
injects:
  - id: Q-01
    at: 5m
    to: [legal]
    channel: email
    from: reg
    title: Notify?
    expects:
      - id: decide
        kind: decision
        due: 10m
        options:
          - {id: notify, label: Notify, points: 10}
          - {id: wait, label: Wait, points: 2}
  - {id: W-ANY, at: 20m, to: [comms], channel: news, from: reg, title: Some notified,
     when: {world: any, expectation: Q-01.decide, chose: notify}}
  - {id: W-ALL, at: 20m, to: [comms], channel: news, from: reg, title: All notified,
     when: {world: all, expectation: Q-01.decide, chose: notify}}
  - {id: W-TWO, at: 20m, to: [comms], channel: news, from: reg, title: Two notified,
     when: {world: 2, role: legal, expectation: Q-01.decide, chose: notify}}
  - {id: W-NONE, at: 20m, to: [legal, comms], channel: news, from: reg, title: Nobody waited,
     when: {not: {world: any, expectation: Q-01.decide, chose: wait}}}
"""


@pytest.mark.parametrize(
    ("choices", "fired"),
    [
        (("notify", "notify", "wait"), ["W-ANY", "W-TWO"]),
        (("notify", "notify", "notify"), ["W-ANY", "W-ALL", "W-TWO", "W-NONE"]),
        (("wait", None, "notify"), ["W-ANY"]),
        ((None, None, None), ["W-NONE"]),
    ],
)
def test_a_world_condition_reads_every_team_the_inject_reached(
    tmp_path: Path, choices: tuple[str | None, ...], fired: list[str]
) -> None:
    assert validate(tmp_path, WORLD).returncode == 0
    world = load_bytes(WORLD, "world.yaml").require()
    ex = started(world, roster_from_counts(world, 3))
    ex.advance_to(5 * M)
    for k, choice in enumerate(choices, start=1):
        if choice is not None:
            answer(ex, f"legal-0{k}", "Q-01.decide", 6 * M, choice=choice)
    ex.advance_to(30 * M)
    got = sorted({inject for _, inject, _, _ in deliveries(ex.drain())} - {"Q-01"})
    assert got == sorted(fired)
