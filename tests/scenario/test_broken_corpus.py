"""Every broken scenario under ``broken/`` yields exactly the stored report, through the CLI.

Each ``NAME.yaml`` has a ``NAME.expected`` beside it: the exact lines ``sitroom
validate`` prints for it (``file:line:col: path: message``), one per problem. The
exit code must be 1 when any line is an error and 0 when all are warnings. Cases
too big (or too odd) to commit are generated here, in a temporary folder.

After an intended change of wording, rewrite the stored reports and review the
diff line by line: ``.venv/bin/python -m tests.scenario.test_broken_corpus --update``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from engine.scenario import load_file

ROOT = Path(__file__).resolve().parents[2]
BROKEN = Path(__file__).resolve().parent / "broken"
CASES = sorted(BROKEN.glob("*.yaml"))


def validate(folder: Path, name: str) -> subprocess.CompletedProcess[str]:
    """``sitroom validate -q NAME`` run from ``folder``, so reports start with ``NAME:``."""
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", "validate", "-q", name],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"},
    )


def expected_code(lines: list[str]) -> int:
    return 0 if all(": warning: " in line for line in lines) else 1


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_broken_file_reports_exactly(case: Path) -> None:
    expected = case.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    assert expected, f"{case.name}: a broken file must report something"
    out = validate(BROKEN, case.name)
    assert out.stderr == "", f"{case.name} wrote to stderr (a traceback?):\n{out.stderr}"
    assert out.stdout.splitlines() == expected
    assert out.returncode == expected_code(expected)


def test_every_stored_report_has_its_file() -> None:
    reports = {p.stem for p in BROKEN.glob("*.expected")}
    assert reports == {p.stem for p in CASES}
    assert len(CASES) >= 30


def test_the_corpus_covers_warnings_only_files() -> None:
    """Some files hold only warnings, so the exit-code-0 branch is exercised."""
    codes = {
        expected_code(p.with_suffix(".expected").read_text(encoding="utf-8").splitlines())
        for p in CASES
    }
    assert codes == {0, 1}


def test_huge_file_is_refused_unread(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as f:
        f.write(b"id: huge\ndescription: |\n")
        line = b"  " + b"x" * 1022 + b"\n"
        f.write(line * (17 * 1024))
    out = validate(tmp_path, "huge.yaml")
    assert out.stdout.splitlines() == [
        "huge.yaml:0:0: file is too large (17.0 MiB; the limit is 16 MiB)"
    ]
    assert out.returncode == 1


def test_deep_nesting_is_refused_without_crashing(tmp_path: Path) -> None:
    """100,000 nested lists once crashed the interpreter (PyYAML's C composer recurses)."""
    (tmp_path / "deep.yaml").write_text(
        "id: deep\nteams: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8"
    )
    out = validate(tmp_path, "deep.yaml")
    # libyaml may refuse first, while scanning ahead: same words, its own column.
    (line,) = out.stdout.splitlines()
    assert re.fullmatch(r"deep\.yaml:2:\d+: nested more than 200 levels deep", line), line
    assert out.returncode == 1


def test_nesting_past_the_bound_is_located_where_it_passes(tmp_path: Path) -> None:
    (tmp_path / "deep.yaml").write_text(
        "id: deep\nteams: " + "[" * 500 + "]" * 500 + "\n", encoding="utf-8"
    )
    out = validate(tmp_path, "deep.yaml")
    assert out.stdout.splitlines() == ["deep.yaml:2:207: nested more than 200 levels deep"]
    assert out.returncode == 1


def test_alias_bomb_is_refused_before_it_expands() -> None:
    """Expanded, it would be 10^9 values: finishing at all shows the bound held.

    How fast it is refused is a figure in bench/validate.py, not a test on wall time.
    """
    result = load_file(BROKEN / "alias-bomb.yaml")
    assert not result.ok
    assert "alias bomb" in result.problems[0].message


def test_deeper_alias_bomb_is_refused_before_it_expands(tmp_path: Path) -> None:
    """Thirty levels (10^30 values once expanded) cost no more than nine."""
    lines = ["id: bomb", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{k}: &a{k} [{', '.join([f'*a{k - 1}'] * 10)}]" for k in range(1, 31)]
    lines.append("teams: *a30")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = load_file(path)
    assert [p.line for p in result.problems] == [8]
    assert "alias bomb" in result.problems[0].message


def update() -> None:
    """Rewrite every stored report from the current output (review the diff!)."""
    for case in CASES:
        out = validate(BROKEN, case.name)
        case.with_suffix(".expected").write_text(out.stdout, encoding="utf-8")
        print(f"{case.name}: {len(out.stdout.splitlines())} lines, exit {out.returncode}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python -m tests.scenario.test_broken_corpus --update")
    update()
