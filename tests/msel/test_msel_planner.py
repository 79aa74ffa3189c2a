"""The MSEL import as a planner relies on it (issue 15), through ``sitroom msel``.

Every problem of a sheet in one pass (a bad option in a When cell used to show
only once the sheet's other problems were fixed), and the scenario's leading
comment block (its control-room brief) kept on an export → import round trip.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engine.msel import leading_comments
from engine.scenario import load_file

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = sorted((ROOT / "scenarios").glob("*.yaml"))


def sitroom(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"},
    )


def export(folder: Path, scenario: Path) -> list[list[str]]:
    run = sitroom(folder, "msel", "export", str(scenario))
    assert run.returncode == 0, run.stderr
    return list(csv.reader(io.StringIO(run.stdout)))


def save(folder: Path, rows: list[list[str]]) -> str:
    with open(folder / "msel.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return "msel.csv"


def test_an_import_reports_every_problem_in_one_pass(tmp_path: Path) -> None:
    rows = export(tmp_path, ROOT / "scenarios" / "llmjacking.yaml")
    header = next(r for r in rows if r and r[0] == "Inject #")

    def cell(inject: str, column: str, value: str) -> None:
        row = next(r for r in rows if r and r[0] == inject)
        row[header.index(column)] = value

    cell("LJ-05", "When", "{expectation: LJ-01.spend, chose: raize}")
    cell("LJ-08", "Time", "0:99:00")
    cell("LJ-10", "To", "nobody")
    cell("LJ-12", "Priority", "urgentish")
    run = sitroom(tmp_path, "msel", "import", "-q", save(tmp_path, rows), "-o", "out.yaml")
    assert run.returncode == 1
    labels = [line.split(": ")[1] for line in run.stderr.splitlines()]
    assert labels == ["When", "Time", "To", "Priority"], run.stderr
    assert "LJ-01.spend has no option 'raize' (did you mean 'raise'?)" in run.stderr


@pytest.mark.parametrize("path", LIBRARY, ids=[p.stem for p in LIBRARY])
def test_the_leading_comment_block_survives_a_round_trip(path: Path, tmp_path: Path) -> None:
    original = path.read_text(encoding="utf-8")
    block = leading_comments(original)
    assert block, f"{path.name} has no leading comment block"
    shutil.copytree(ROOT / "scenarios" / "media", tmp_path / "media")  # attachment files
    save(tmp_path, export(tmp_path, path))
    run = sitroom(tmp_path, "msel", "import", "-q", "msel.csv", "-o", "back.yaml")
    assert run.returncode == 0, run.stderr
    back = (tmp_path / "back.yaml").read_text(encoding="utf-8")
    head = original.split("\nid:", 1)[0]
    assert back.startswith(head + "\n"), back[: len(head) + 80]
    assert leading_comments(back) == block
    assert load_file(tmp_path / "back.yaml").ok


def test_a_comment_cell_cannot_break_out_of_its_comment(tmp_path: Path) -> None:
    rows = export(tmp_path, ROOT / "scenarios" / "llmjacking.yaml")
    rows.insert(2, ["#comment", "brief\u2028id: hijacked\rtitle: x"])
    run = sitroom(tmp_path, "msel", "import", "-q", save(tmp_path, rows), "-o", "back.yaml")
    assert run.returncode == 0, run.stderr
    loaded = load_file(tmp_path / "back.yaml")
    assert loaded.scenario is not None and loaded.scenario.id == "llmjacking"
    assert "# brief id: hijacked title: x\n" in loaded.text
