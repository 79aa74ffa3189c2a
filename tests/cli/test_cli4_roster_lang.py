"""What the roster says to a planner, in her language.

``--roster`` (``validate``, ``dry-run``, ``serve``) and ``--teams`` refuse a roster or
warn about it with one line per problem. Only the sheet readers' own refusals (a quote
never closed, a cell cut in two) were said in French; every other line of the roster
was English whatever ``SITROOM_LANG`` said. Each family of those lines is run here
through the CLI twice: in English, where its text is the one the docs and tests quote,
and in French, where it is the catalog's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from engine import i18n
from tui.cli import main

SCENARIO = """\
id: rostered
title: Rostered
duration: 1h
teams: [{id: soc, name: SOC}, {id: legal, name: Legal}, {id: comms, name: Communications}]
actors: [{id: ctl, name: Control}]
injects:
  - id: T-01
    at: 5m
    to: [team:soc-02]
    channel: alert
    from: ctl
    title: Only the second SOC sees this
    expects:
      - {id: act, kind: manual, due: 10m}
  - id: C-01
    at: 10m
    to: [cell:telco]
    channel: email
    from: ctl
    title: The telco's table hears of it
  - id: G-01
    at: 15m
    to: [tag:finance, comms]
    channel: news
    from: ctl
    title: Finance teams and communications
"""

NEVER = """\
  - id: Y-01
    at: 30m
    to: [team:legal-02]
    when: {expectation: T-01.act, answered: true}
    channel: chat
    from: ctl
    title: Legal never has T-01
"""
"""An inject only a SOC's answer lets fire, addressed to a legal team."""

FIELDED = b"team,role,cell,tags\nsoc-02,soc,telco,finance\nlegal-02,legal,telco,\n"
"""A roster that fields every team, cell and tag :data:`SCENARIO` names."""

COLUMNS = "team, role, name, members, cell, tags"
FR_SEPARATED = "séparées par des virgules, des points-virgules ou des tabulations"


@dataclass(frozen=True)
class Case:
    """A command, the files it reads, and a line it says in English and in French."""

    argv: list[str]
    english: str
    french: str
    files: dict[str, bytes | str] = field(default_factory=dict)
    scenario: str = SCENARIO


def validate(roster: bytes, english: str, french: str, scenario: str = SCENARIO) -> Case:
    """``sitroom validate`` of the scenario with the roster ``roster``."""
    argv = ["validate", "rostered.yaml", "--roster", "roster.csv"]
    return Case(argv, english, french, {"roster.csv": roster}, scenario)


def teams(spec: str, english: str, french: str, scenario: str = SCENARIO) -> Case:
    """``sitroom dry-run`` of the scenario with ``--teams spec``."""
    return Case(["dry-run", "rostered.yaml", "--teams", spec], english, french, {}, scenario)


# A scenario with no team, cell or tag address: --teams and rosters meet no other refusal.
PLAIN = SCENARIO.replace("[team:soc-02]", "soc").replace("[cell:telco]", "legal")
PLAIN = PLAIN.replace("[tag:finance, comms]", "comms")

CASES: dict[str, Case] = {
    "an address the roster does not field": validate(
        b"team,role,cell,tags\nsoc-01,soc,bank,board\nlegal-01,legal,bank,\ncomms-01,comms,bank,\n",
        "roster.csv:0:0: T-01 is addressed to no team 'soc-02' in the roster (the roster's "
        "teams are comms-01, legal-01, soc-01)\n"
        "roster.csv:0:0: C-01 is addressed to no cell 'telco' in the roster (the roster's "
        "cells are bank)\n"
        "roster.csv:0:0: G-01 is addressed to no tag 'finance' in the roster (the roster's "
        "tags are board)",
        "roster.csv:0:0: T-01 est adressé à une équipe 'soc-02' absente de la liste des "
        "participants (ses équipes sont comms-01, legal-01, soc-01)\n"
        "roster.csv:0:0: C-01 est adressé à une cellule 'telco' absente de la liste des "
        "participants (ses cellules sont bank)\n"
        "roster.csv:0:0: G-01 est adressé à une étiquette 'finance' absente de la liste des "
        "participants (ses étiquettes sont board)",
    ),
    "an address to a tag no team carries": teams(
        "2",
        "--teams: G-01 is addressed to no tag 'finance' in the roster (the roster has no tags)",
        "--teams: G-01 est adressé à une étiquette 'finance' absente de la liste des "
        "participants (elle n'en compte aucune)",
    ),
    "an address the default roster does not field": Case(
        ["dry-run", "rostered.yaml"],
        "the default roster (one team per role):0:0: T-01 is addressed to no team 'soc-02' in "
        "the roster (the roster's teams are comms, legal, soc)",
        "la liste des participants par défaut (une équipe par rôle):0:0: T-01 est adressé à une "
        "équipe 'soc-02' absente de la liste des participants (ses équipes sont comms, legal, "
        "soc)",
    ),
    "an inject no team of one role can meet": validate(
        FIELDED,
        "roster.csv:0:0: Y-01 can never fire: it is addressed to legal-02 (legal), and no team "
        "of those roles can meet its condition or trigger (check to, when and after)",
        "roster.csv:0:0: Y-01 ne peut jamais partir : il est adressé à legal-02 (legal), et "
        "aucune équipe de ce rôle ne peut remplir sa condition ni son déclencheur (vérifiez to, "
        "when et after)",
        SCENARIO + NEVER,
    ),
    "an inject no team of two roles can meet": validate(
        FIELDED + b"comms-02,comms,telco,\n",
        "roster.csv:0:0: Y-01 can never fire: it is addressed to legal-02 (legal), comms-02 "
        "(comms), and no team of those roles can meet its condition or trigger (check to, when "
        "and after)",
        "roster.csv:0:0: Y-01 ne peut jamais partir : il est adressé à legal-02 (legal), "
        "comms-02 (comms), et aucune équipe de ces rôles ne peut remplir sa condition ni son "
        "déclencheur (vérifiez to, when et after)",
        SCENARIO + NEVER.replace("[team:legal-02]", "[team:legal-02, team:comms-02]"),
    ),
    "--teams fields no team": teams(
        "soc=0,legal=0,comms=0",
        "--teams: no teams: give at least one",
        "--teams: aucune équipe : donnez-en au moins une",
        PLAIN,
    ),
    "--teams 0": teams(
        "0",
        "--teams: the number of teams must be at least 1",
        "--teams: le nombre d'équipes doit être d'au moins 1",
        PLAIN,
    ),
    "--teams without ROLE=COUNT": teams(
        "soc3",
        "--teams: 'soc3': write ROLE=COUNT, e.g. cert=3",
        "--teams: 'soc3' : écrivez RÔLE=NOMBRE, par exemple cert=3",
        PLAIN,
    ),
    "--teams names an unknown role": teams(
        "cert=3",
        "--teams: unknown role 'cert'; roles are soc, legal, comms",
        "--teams: rôle inconnu 'cert' ; les rôles : soc, legal, comms",
        PLAIN,
    ),
    "a roster that cannot be read": Case(
        ["validate", "rostered.yaml", "--roster", "tables"],
        "tables:0:0: cannot read the roster: [Errno 21] Is a directory: 'tables'",
        "tables:0:0: impossible de lire la liste des participants : [Errno 21] Is a directory: "
        "'tables'",
        {"tables/roster.csv": b"team,role\nsoc,soc\n"},
        PLAIN,
    ),
    "a roster the csv module cannot read": validate(
        b"team;role;name\nsoc-1;soc;SOC\ncomms-1;comms;" + b"n" * 140_000 + b"\n",
        "roster.csv:3:0: not a CSV roster: field larger than field limit (131072)",
        "roster.csv:3:0: pas une liste des participants en CSV : field larger than field limit "
        "(131072)",
        PLAIN,
    ),
    "a missing column": validate(
        b"team,name\nsoc-1,SOC\n",
        f"roster.csv:1:1: missing column role; the columns are {COLUMNS}, between commas, "
        "semicolons or tabs (the first row reads 'team', 'name')",
        f"roster.csv:1:1: colonne manquante : role ; les colonnes sont {COLUMNS}, {FR_SEPARATED} "
        "(la première ligne contient 'team', 'name')",
        PLAIN,
    ),
    "two missing columns": validate(
        b"team|role|name\nsoc-1|soc|SOC\n",
        f"roster.csv:1:1: missing columns team, role; the columns are {COLUMNS}, between "
        "commas, semicolons or tabs (the first row reads 'team|role|name')",
        f"roster.csv:1:1: colonnes manquantes : team, role ; les colonnes sont {COLUMNS}, "
        f"{FR_SEPARATED} (la première ligne contient 'team|role|name')",
        PLAIN,
    ),
    "an empty roster": validate(
        b"",
        f"roster.csv:1:1: missing columns team, role; the columns are {COLUMNS}, between "
        "commas, semicolons or tabs (the first row reads nothing)",
        f"roster.csv:1:1: colonnes manquantes : team, role ; les colonnes sont {COLUMNS}, "
        f"{FR_SEPARATED} (la première ligne est vide)",
        PLAIN,
    ),
    "a column the roster does not know": validate(
        b"Team,Role,cells\nsoc-1,soc,bank\n",
        "roster.csv:1:3: warning: column 'cells' is not a roster column, so it is ignored (the "
        f"columns are {COLUMNS}; capitals do not matter)",
        "roster.csv:1:3: avertissement : la colonne 'cells' n'est pas une colonne de la liste "
        f"des participants : elle est ignorée (les colonnes sont {COLUMNS} ; majuscules et "
        "minuscules sont indifférentes)",
        PLAIN,
    ),
    "a column given twice": validate(
        b"team,role,name,NAME\nsoc-1,soc,SOC,S\n",
        "roster.csv:1:4: column 'NAME' is given twice (column 3 is the other): keep one",
        "roster.csv:1:4: la colonne 'NAME' est donnée deux fois (l'autre est la colonne 3) : "
        "gardez-en une",
        PLAIN,
    ),
    "a cell under a column with no name": validate(
        b"team,,role\nsoc-1,x,soc\n",
        "roster.csv:2:2: a cell in column 2, which the first row gives no name: name the "
        "column, or empty the cell",
        "roster.csv:2:2: une cellule dans la colonne 2, à laquelle la première ligne ne donne "
        "pas de nom : nommez la colonne, ou videz la cellule",
        PLAIN,
    ),
    "a team id that is not one": validate(
        b"team,role\nsoc 1,soc\n",
        "roster.csv:2:1: team: 'soc 1' is not a valid team id (letters, digits, - and _)",
        "roster.csv:2:1: team: 'soc 1' n'est pas un identifiant d'équipe valide (lettres, "
        "chiffres, - et _)",
        PLAIN,
    ),
    "a team given twice": validate(
        b"team,role\nsoc-1,soc\nlegal-1,legal\nsoc-1,soc\n",
        "roster.csv:4:1: team: duplicate team 'soc-1' (first on row 2)",
        "roster.csv:4:1: team: équipe 'soc-1' en double (déjà à la ligne 2)",
        PLAIN,
    ),
    "a role the scenario does not have": validate(
        b"team,role\nsoc-1,cert\n",
        "roster.csv:2:2: role: unknown role 'cert'; the scenario's roles are soc, legal, comms",
        "roster.csv:2:2: role: rôle inconnu 'cert' ; les rôles du scénario sont soc, legal, comms",
        PLAIN,
    ),
    "a cell id that is not one": validate(
        b"team,role,cell\nsoc-1,soc,the bank\n",
        "roster.csv:2:3: cell: 'the bank' is not a valid cell id (letters, digits, - and _)",
        "roster.csv:2:3: cell: 'the bank' n'est pas un identifiant de cellule valide (lettres, "
        "chiffres, - et _)",
        PLAIN,
    ),
    "a tag that is not one": validate(
        b"team,role,tags\nsoc-1,soc,finance;big bank\n",
        "roster.csv:2:3: tags: 'big bank' is not a valid tag (letters, digits, - and _; "
        "separate tags with ;)",
        "roster.csv:2:3: tags: 'big bank' n'est pas une étiquette valide (lettres, chiffres, - "
        "et _ ; séparez les étiquettes par ;)",
        PLAIN,
    ),
    "a role no team plays (a note, its tag in French too)": teams(
        "soc=1,legal=0,comms=1",
        "--teams: note: no team plays role 'legal' (Legal): 1 inject addressed to it, of "
        "which 1 reaches no team at all (C-01)",
        "--teams: note : aucune équipe ne joue le rôle 'legal' (Legal) : 1 inject lui est "
        "adressé, dont 1 n'atteint aucune équipe (C-01)",
        PLAIN,
    ),
    "a roster of no team": validate(
        b"team,role,name\n\n",
        "roster.csv:0:0: the roster lists no teams",
        "roster.csv:0:0: la liste des participants ne compte aucune équipe",
        PLAIN,
    ),
}


@pytest.fixture(autouse=True)
def _language_kept() -> Iterator[None]:
    """main() speaks what SITROOM_LANG says for the rest of the process: put it back."""
    before = i18n.current()
    yield
    i18n.activate(before)


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_the_roster_speaks_the_planner_s_language(
    case: str,
    lang: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """In English the line is the one the docs and other tests quote; in French, the
    catalog's, with French typography (a space before ``:`` and ``;``)."""
    said = CASES[case]
    (tmp_path / "rostered.yaml").write_text(said.scenario, encoding="utf-8")
    for name, content in said.files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITROOM_LANG", lang)
    code = main(said.argv)
    out = capsys.readouterr()
    lines = (out.out + out.err).splitlines()
    expected = said.english if lang == "en" else said.french
    for line in expected.splitlines():
        assert line in lines, "\n".join(lines)
    # The refusals fail the command; an unknown column is only a warning, a role no team
    # plays a note.
    passes = "warning" in said.english or "note:" in said.english
    assert code == (0 if passes else 1), "\n".join(lines)
