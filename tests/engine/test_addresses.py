"""Injects addressed to specific teams, cells and tags, mixed with roles (issue 15).

``to: [team:soc-02]`` reaches one fielded team, ``cell:telco`` every team of one
organisation, ``tag:finance`` every team the roster (or its role) tags. The scenario
checks the form; a roster that fields no such team, cell or tag is refused by name;
the engine delivers to exactly those teams, ``when`` still decided per team; dry-run
counts per addressee; lint still finds an inject that can never fire.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from engine.bots import profile_for
from engine.eventlog import EventLog
from engine.replay import rebuild
from engine.roster import Roster, RosterError, parse_roster, roster_from_counts
from engine.scenario import Scenario, load_bytes
from tests.engine.conftest import M, answer, deliveries, logged_dry_run, started, validate_text

ROOT = Path(__file__).resolve().parents[2]

SCENARIO = """\
id: addressed
title: Addressed injects
duration: 1h
seed: 3
teams:
  - {id: soc, name: SOC, tags: [security]}
  - {id: legal, name: Legal}
  - {id: comms, name: Communications}
actors: [{id: ctl, name: Control}]
injects:
  - id: T-01
    at: 5m
    to: [team:soc-02]
    channel: alert
    from: ctl
    title: Only the second SOC sees this
    expects:
      - id: act
        kind: decision
        due: 10m
        options:
          - {id: contain, label: Contain the host, points: 10}
          - {id: watch, label: Watch it, points: 2}
  - id: C-01
    at: 10m
    to: [cell:telco]
    channel: email
    from: ctl
    title: The telco's whole table hears of it
  - id: W-01
    at: 12m
    to: [team:soc-01, team:soc-02]
    when: {expectation: T-01.act, answered: true}
    channel: chat
    from: ctl
    title: Follow-up for the SOC that answered
  - id: G-01
    at: 15m
    to: [tag:finance, comms]
    channel: news
    from: ctl
    title: Finance teams and communications
  - id: S-01
    at: 20m
    to: tag:security
    channel: alert
    from: ctl
    title: Every security team
"""

ROSTER = """\
team,role,cell,tags
soc-01,soc,bank,finance
legal-01,legal,bank,finance; board
comms-01,comms,bank,
soc-02,soc,telco,
legal-02,legal,telco,
comms-02,comms,telco,
"""


@pytest.fixture(scope="module")
def addressed() -> Scenario:
    return load_bytes(SCENARIO, "addressed.yaml").require()


@pytest.fixture(scope="module")
def roster(addressed: Scenario) -> Roster:
    return parse_roster(ROSTER, addressed, "roster.csv")


def test_each_inject_reaches_exactly_its_teams(addressed: Scenario, roster: Roster) -> None:
    ex = started(addressed, roster)
    ex.advance_to(5 * M)
    answer(ex, "soc-02", "T-01.act", 6 * M, choice="contain")
    ex.advance_to(30 * M)
    events = ex.drain()
    assert [(t, inject, teams) for t, inject, teams, _ in deliveries(events)] == [
        (5 * M, "T-01", ["soc-02"]),
        (10 * M, "C-01", ["soc-02", "legal-02", "comms-02"]),
        # The condition is still each team's own: soc-01 never had T-01.
        (12 * M, "W-01", ["soc-02"]),
        # tag:finance from the roster's tags column, with every comms team.
        (15 * M, "G-01", ["soc-01", "legal-01", "comms-01", "comms-02"]),
        # tag:security from the soc role's tags in the scenario.
        (20 * M, "S-01", ["soc-01", "soc-02"]),
    ]
    skipped = [(e.payload["inject"], e.payload["teams"]) for e in events if e.kind == "skipped"]
    assert skipped == [("W-01", ["soc-01"])]
    assert roster.get("legal-01") is not None and roster.get("legal-01").tags == (  # type: ignore[union-attr]
        "finance",
        "board",
    )


def test_a_bot_rehearsal_keeps_the_roster_tags_in_its_log_and_replays(
    addressed: Scenario, roster: Roster, tmp_path: Path
) -> None:
    profiles = {seat.id: profile_for(0, "diligent") for seat in roster.teams}
    db = tmp_path / "addressed.db"
    result = logged_dry_run(db, SCENARIO, addressed, roster, profiles, "addressed.yaml")
    assert result.reach()["G-01"] == {
        "audience": 4,
        "delivered": 4,
        "skipped": 0,
        "untriggered": 0,
    }
    with EventLog.open(db) as log:
        assert log.roster.get("legal-01") == roster.get("legal-01")
        assert rebuild(log).events == len(result.events)


def sitroom(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_dry_run_counts_per_addressee(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(SCENARIO, encoding="utf-8")
    (tmp_path / "r.csv").write_text(ROSTER, encoding="utf-8")
    out = sitroom(
        "dry-run",
        str(tmp_path / "s.yaml"),
        "--roster",
        str(tmp_path / "r.csv"),
        "--profile",
        "diligent",
        "--format",
        "json",
    )
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    counts = {r["id"]: (r["audience"], r["delivered"], r["skipped"]) for r in doc["injects"]}
    assert counts == {
        "T-01": (1, 1, 0),
        "C-01": (3, 3, 0),
        "W-01": (2, 1, 1),
        "G-01": (4, 4, 0),
        "S-01": (2, 2, 0),
    }
    assert doc["branches"] == [
        {"id": "W-01", "audience": 2, "delivered": 1, "skipped": 1, "untriggered": 0}
    ]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "to: [team:soc-02]",
            "to: [squad:soc-02]",
            "addressed.yaml:13:10: injects[0].to[0] (T-01): 'squad:soc-02': unknown kind of "
            "address 'squad:'; write a role id, team:TEAM, cell:CELL, tag:TAG, or all",
        ),
        (
            "to: [cell:telco]",
            "to: [legal, 'cell:the telco']",
            "addressed.yaml:26:17: injects[1].to[1] (C-01): 'cell:the telco': after cell: give "
            "an id (letters, digits, - and _), e.g. cell:bank-03",
        ),
        (
            "to: [tag:finance, comms]",
            "to: [tag:finance, comm]",
            "addressed.yaml:39:23: injects[3].to[1] (G-01): unknown team 'comm' "
            "(did you mean 'comms'?)",
        ),
    ],
)
def test_a_bad_address_is_a_located_clear_error(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    assert old in SCENARIO
    out = validate_text(tmp_path, SCENARIO.replace(old, new), "addressed.yaml")
    assert out.returncode != 0
    assert message in out.stdout, out.stdout + out.stderr


def test_the_scenario_alone_validates_clean(tmp_path: Path) -> None:
    out = validate_text(tmp_path, SCENARIO, "addressed.yaml")
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize(
    ("roster_text", "messages"),
    [
        (
            ROSTER.replace("soc-02,soc,telco", "soc-2,soc,telco"),
            [
                "roster.csv:0:0: T-01 is addressed to no team 'soc-02' in the roster (the "
                "roster's teams are comms-01, comms-02, legal-01, legal-02, soc-01, soc-2)",
                "roster.csv:0:0: W-01 is addressed to no team 'soc-02' in the roster",
            ],
        ),
        (
            ROSTER.replace("telco", "isp"),
            [
                "C-01 is addressed to no cell 'telco' in the roster "
                "(the roster's cells are bank, isp)"
            ],
        ),
        (
            ROSTER.replace("finance", "money"),
            [
                "G-01 is addressed to no tag 'finance' in the roster (the roster's tags are "
                "board, money, security)"
            ],
        ),
    ],
)
def test_a_roster_that_fields_no_such_team_cell_or_tag_is_refused(
    addressed: Scenario, roster_text: str, messages: list[str]
) -> None:
    with pytest.raises(RosterError) as caught:
        parse_roster(roster_text, addressed, "roster.csv")
    text = str(caught.value)
    for message in messages:
        assert message in text, text


def test_teams_n_is_checked_too(addressed: Scenario) -> None:
    with pytest.raises(RosterError) as caught:
        roster_from_counts(addressed, 2)
    assert [p.message for p in caught.value.problems] == [
        "C-01 is addressed to no cell 'telco' in the roster (the roster's cells are "
        "cell-01, cell-02)",
        "G-01 is addressed to no tag 'finance' in the roster (the roster's tags are security)",
    ]


DEAD = """\
  - id: Y-01
    at: 30m
    to: [team:legal-02]
    when: {expectation: T-01.act, answered: true}
    channel: chat
    from: ctl
    title: Legal never has T-01
"""


def test_validate_with_the_roster_finds_an_inject_its_teams_never_meet(tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_text(ROSTER, encoding="utf-8")
    alone = validate_text(tmp_path, SCENARIO + DEAD, "addressed.yaml")
    # Without a roster, team:soc-02 and team:legal-02 may be of any role.
    assert alone.returncode == 0, alone.stdout
    out = sitroom("validate", "--roster", str(tmp_path / "r.csv"), str(tmp_path / "addressed.yaml"))
    assert out.returncode != 0
    assert (
        "Y-01 can never fire: it is addressed to legal-02 (legal), and no team of those "
        "roles can meet its condition or trigger" in out.stdout
    ), out.stdout


def test_lint_still_finds_an_inject_that_can_never_fire(tmp_path: Path) -> None:
    early = DEAD.replace("Y-01", "X-01").replace("at: 30m", "at: 1m")
    early = early.replace("[team:legal-02]", "[cell:telco]")
    out = validate_text(tmp_path, SCENARIO + early, "addressed.yaml")
    assert out.returncode != 0
    assert (
        "X-01 can never fire: its condition needs an answer to T-01.act, but T-01 arrives at "
        "5m at the earliest" in out.stdout
    ), out.stdout


def test_lint_warns_of_a_named_role_but_not_of_a_named_team(tmp_path: Path) -> None:
    source = SCENARIO.replace("to: [team:soc-02]", "to: [soc]")
    roles = DEAD.replace("[team:legal-02]", "[legal, team:soc-02]")
    out = validate_text(tmp_path, source + roles, "addressed.yaml")
    assert "warning: injects[5].to (Y-01): team legal can never receive Y-01" in out.stdout, (
        out.stdout
    )
    teams = DEAD.replace("[team:legal-02]", "[team:soc-02]")
    out = validate_text(tmp_path, source + teams, "addressed.yaml")
    assert out.returncode == 0, out.stdout
