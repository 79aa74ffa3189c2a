"""A count is grouped as the reader's language writes it, decided in one place.

English writes ``1,591``; French writes ``1 591`` (a comma is its decimal point, so
``1,591`` reads as one and a bit). ``engine.i18n.forms.grouped`` decides it from the
catalog; every report figure, console line and message goes through it, and no other
code formats a thousands separator of its own.
"""

from __future__ import annotations

import ast
import re
import sqlite3
from pathlib import Path

import pytest

from engine import i18n
from engine.i18n.forms import Count, grouped
from engine.i18n.phrase import Phrase
from tests.i18n.cli import sitroom
from tests.scoring.conftest import FIXTURE
from tests.scoring.logs import dry_run_log

ROOT = Path(__file__).resolve().parents[2]
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def big_log(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """A log of more than a thousand events (40 teams on the scoring fixture)."""
    path = dry_run_log(tmp_path_factory.mktemp("counts") / "big.db", FIXTURE, teams=40)
    with sqlite3.connect(path) as db:
        (events,) = db.execute("select count(*) from events").fetchone()
    assert events >= 1000
    return path, events


def test_the_french_report_groups_counts_with_a_space(
    big_log: tuple[Path, int], capsys: pytest.CaptureFixture[str]
) -> None:
    path, events = big_log
    code, french, err = sitroom(capsys, "report", str(path), "--lang", "fr")
    assert code == 0, err
    assert f"{events // 1000}{NBSP}{events % 1000:03d} événements" in french
    assert not re.search(r"\d,\d{3}(?!\d)", french), "an English-grouped count in French"

    code, english, err = sitroom(capsys, "report", str(path), "--lang", "en")
    assert code == 0, err
    assert f"{events:,} events" in english


def test_a_count_in_a_phrase_is_english_data_and_said_in_the_readers_form() -> None:
    phrase = Phrase("{n} events before it", n=Count(31_598))
    assert phrase == "31,598 events before it"  # the data (JSON, CSV) stays English
    with i18n.using("fr"):
        assert phrase.said() == f"31{NBSP}598 events before it"
        assert grouped(2_000_000) == f"2{NBSP}000{NBSP}000"
    # A plain number is not a count: a close code or an event's number stays whole.
    assert Phrase("closed ({code})", code=1006) == "closed (1006)"
    # The n of a plural is a count.
    teams = Phrase.ngettext("{n} team", "{n} teams", 1263)
    assert teams == "1,263 teams"
    with i18n.using("fr"):
        assert teams.said() == f"1{NBSP}263 équipes"


_OWN_GROUPING = re.compile(
    r"\{[A-Za-z_][\w.\[\]]*(![rsa])?:[<>^=]?[+\- ]?#?0?\d*,(\.\d+)?[a-zA-Z%]?\}"  # {n:,} {x:>8,.1f}
    r"""|format\([^()]*,\s*["'][^"']*,[^"']*["']\)"""  # format(n, ",")
)


def test_no_code_groups_thousands_itself() -> None:
    """Only engine/i18n/forms.py writes a thousands separator (``{n:,}``)."""
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for top in ("engine", "scoring", "tui")
        for path in sorted((ROOT / top).rglob("*.py"))
        if path != ROOT / "engine" / "i18n" / "forms.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _OWN_GROUPING.search(line)
    ]
    assert not found, "\n".join(found)


def test_every_plural_count_is_grouped() -> None:
    """``ngettext(…).format(n=…)``: the count is written with :func:`grouped` (a plural
    is a count; 1263 teams is how France's national exercise counted)."""
    found = []
    for top in ("engine", "scoring", "tui"):
        for path in sorted((ROOT / top).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            # A plural kept in a name first (``wrote = ngettext(…)`` … ``wrote.format(n=n)``).
            plurals = {
                target.id
                for node in ast.walk(tree)
                if isinstance(node, ast.Assign) and _is_ngettext(node.value)
                for target in node.targets
                if isinstance(target, ast.Name)
            }
            for node in ast.walk(tree):
                if not (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "format"
                    and (
                        _is_ngettext(node.func.value)
                        or getattr(node.func.value, "id", None) in plurals
                    )
                ):
                    continue
                for kw in node.keywords:
                    value = kw.value
                    if isinstance(value, ast.IfExp):
                        value = value.body
                    grouped_call = isinstance(value, ast.Call) and (
                        getattr(value.func, "id", None) == "grouped"
                    )
                    if kw.arg == "n" and not grouped_call:
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, found


def _is_ngettext(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and getattr(node.func, "id", None) == "ngettext"
