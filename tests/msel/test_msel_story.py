"""Story time in the MSEL (issue 15): a derived ``Story time`` column beside Time.

Each row with a Time gets the story clock's time then (:func:`engine.storyclock.
story_clock`, the one function the consoles, wall, preview and report read). The
column is always written (a sheet keeps one layout); a scenario without a ``start``
leaves it empty. The import never reads it, so the round trip stays exact (the
library-wide round trip is ``tests/planner/test_msel.py``) and a cell edited by hand
changes nothing.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

from engine.msel import export_csv, import_csv
from engine.scenario import Scenario, load_file
from engine.storyclock import story_clock
from tests.engine.conftest import FIXTURE

ROOT = Path(__file__).resolve().parents[2]

LIBRARY = Path(__file__).resolve().parents[2] / "scenarios"


def table(sheet: str) -> tuple[list[str], list[list[str]]]:
    """The header row and the rows under it."""
    rows = list(csv.reader(io.StringIO(sheet)))
    top = next(k for k, row in enumerate(rows) if row and row[0] == "Inject #")
    return rows[top], [row for row in rows[top + 1 :] if row]


def test_the_flagships_story_time_is_the_story_clocks_text_at_each_time() -> None:
    sc = load_file(LIBRARY / "summit-flagship.yaml").require()
    clock = story_clock(sc)
    assert clock is not None
    header, rows = table(export_csv(sc))
    assert header[2:4] == ["Time", "Story time"]
    story = {row[0]: row[3] for row in rows}
    for inject in sc.injects:
        want = clock.text(inject.at) if inject.at is not None else ""
        assert story[inject.id] == want, inject.id
    assert story["SF-01"] == "Tue 09:05"
    assert sum(1 for text in story.values() if text) >= 40


def test_a_phase_jump_and_a_discussion_row_carry_the_story_time() -> None:
    agent = load_file(LIBRARY / "agent-excessive-agency.yaml").require()
    _, rows = table(export_csv(agent))
    story = {row[0]: (row[2], row[3]) for row in rows}
    assert story["XA-57"] == ("T+1:45", "Thu 08:45")
    assert story["XA-71"] == ("T+1:48", "Thu 13:20")  # the jump to 13:20
    election = load_file(LIBRARY / "election-disinfo.yaml").require()
    _, rows = table(export_csv(election))
    talks = [(row[2], row[3]) for row in rows if row[0] == "## discussion"]
    assert talks == [("T+0:43", "Fri 15:43"), ("T+1:33", "Fri 16:33"), ("T+2:13", "Fri 17:13")]


def test_without_a_start_the_column_is_there_and_empty_and_the_round_trip_exact() -> None:
    original = load_file(FIXTURE).require()
    assert original.start is None
    sheet = export_csv(original)
    header, rows = table(sheet)
    k = header.index("Story time")
    assert rows and all(row[k] == "" for row in rows)
    result = import_csv(sheet, "msel.csv")
    assert [p.format() for p in result.problems] == []
    assert result.scenario == original


def edited(sc: Scenario, inject: str, text: str) -> str:
    """The sheet with one inject's Story time cell changed."""
    records = list(csv.reader(io.StringIO(export_csv(sc))))
    top = next(k for k, row in enumerate(records) if row and row[0] == "Inject #")
    k = records[top].index("Story time")
    at = next(n for n, row in enumerate(records) if n > top and row and row[0] == inject)
    records[at][k] = text
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(records)
    return buffer.getvalue()


def test_an_edited_story_time_is_ignored_and_the_scenario_unchanged() -> None:
    """Derived, like Expected action's summary, but silent: a planner who moves an
    inject by its Time leaves the Story time cell stale, which is no mistake."""
    original = load_file(LIBRARY / "summit-flagship.yaml").require()
    result = import_csv(edited(original, "SF-01", "Wed 23:59"), "msel.csv")
    assert [p.format() for p in result.problems] == []
    assert result.scenario == original
    without = load_file(FIXTURE).require()
    result = import_csv(edited(without, "A1", "Mon 09:10"), "msel.csv")
    assert [p.format() for p in result.problems] == []
    assert result.scenario == without


def test_exporting_a_scenario_in_two_languages_says_the_sheet_holds_one(
    tmp_path: Path,
) -> None:
    """An MSEL sheet holds the first language: a planner is told before editing it, since
    an import writes that language alone."""
    run = subprocess.run(
        [sys.executable, "-m", "tui.cli", "msel", "export", "summit-deepfake"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "the sheet holds the en text only; the other languages (fr)" in run.stderr
    assert run.stdout.startswith(("Inject #", "#"))
