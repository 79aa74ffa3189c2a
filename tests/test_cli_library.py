"""Issue 12, bug 10: the bundled scenarios are found by name and listed by a command, and
the commands sitroom prints run as pasted even when ``sitroom`` is not on PATH.

Run as a user runs them: ``python -m tui.cli`` or the venv's ``sitroom`` script, in a
child process, from a folder that is not the checkout.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

from engine.durations import format_duration
from engine.scenario import load_file
from tests.engine.conftest import FIXTURE

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "scenarios"
SCRIPT = Path(sys.executable).parent / "sitroom"
"""The venv's ``sitroom``: what ``make demo`` installs and runs."""
BARE_PATH = "/usr/local/bin:/usr/bin:/bin"
"""A PATH without the venv on it, as in a fresh shell after ``make demo``."""


def sitroom(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_scenarios_lists_every_bundled_scenario(tmp_path: Path) -> None:
    out = sitroom("scenarios", "--format", "json", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    listed = {row["name"]: row for row in json.loads(out.stdout)}
    files = sorted(LIBRARY.glob("*.yaml"))
    assert sorted(listed) == [p.stem for p in files]
    for path in files:
        scenario = load_file(path).require()
        row = listed[path.stem]
        assert row["title"] == scenario.title
        assert row["roles"] == [t.id for t in scenario.teams]
        assert row["injects"] == len(scenario.injects)
        assert row["length"] == format_duration(scenario.duration)
        assert row["ok"] is True
    assert listed["summit-flagship"]["roster"] == "summit-flagship.roster.csv"

    text = sitroom("scenarios", cwd=tmp_path)
    assert text.returncode == 0, text.stderr
    flagship = load_file(LIBRARY / "summit-flagship.yaml").require()
    assert f"summit-flagship          {flagship.title}\n" in text.stdout
    roles = ", ".join(t.id for t in flagship.teams)
    assert f"5 roles ({roles}) · {len(flagship.injects)} injects · 3h" in text.stdout


def test_a_name_works_where_a_file_does(tmp_path: Path) -> None:
    by_path = sitroom(
        "dry-run", str(LIBRARY / "summit-deepfake.yaml"), "--teams", "2", cwd=tmp_path
    )
    by_name = sitroom("dry-run", "summit-deepfake", "--teams", "2", cwd=tmp_path)
    by_option = sitroom(
        "dry-run", "--scenario", "summit-deepfake.yaml", "--teams", "2", cwd=tmp_path
    )
    assert by_path.returncode == 0, by_path.stderr
    assert by_path.stdout == by_name.stdout == by_option.stdout
    exported = sitroom("msel", "export", "llmjacking", cwd=tmp_path)
    assert exported.returncode == 0 and exported.stdout.count("\n") > 40


def test_a_file_in_the_folder_wins_over_a_bundled_name(tmp_path: Path) -> None:
    (tmp_path / "summit-deepfake.yaml").write_bytes(FIXTURE.read_bytes())
    out = sitroom("dry-run", "summit-deepfake.yaml", "--teams", "1", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("engine-fixture · ")


def test_an_unknown_name_or_two_scenarios_say_what_is_wrong(tmp_path: Path) -> None:
    out = sitroom("dry-run", "--scenario", "summit-flagshp", cwd=tmp_path)
    assert out.returncode == 1
    assert out.stderr.startswith(
        "sitroom: summit-flagshp: no such scenario file, and no bundled scenario of that name"
    )
    assert "summit-flagship" in out.stderr and "Traceback" not in out.stderr
    both = sitroom("dry-run", "llmjacking", "--scenario", "summit-flagship", cwd=tmp_path)
    assert both.returncode == 2 and "two scenarios given" in both.stderr
    none = sitroom("dry-run", cwd=tmp_path)
    assert none.returncode == 2 and "name a scenario" in none.stderr


def test_the_demo_takes_a_bundled_name(tmp_path: Path) -> None:
    from engine.demo.session import DemoOptions
    from tui.cli import build_parser
    from tui.commands.demo import options_from
    from tui.demo.app import make_demo_app

    args = build_parser().parse_args(
        ["demo", "--scenario", "summit-flagship", "--dir", str(tmp_path)]
    )
    options = options_from(args)
    assert isinstance(options, DemoOptions)
    assert options.scenario.resolve() == (LIBRARY / "summit-flagship.yaml").resolve()
    app = make_demo_app(options)
    try:
        assert app.session.scenario.id == "summit-flagship"
    finally:
        app.session.room.close_log()


def serve_lines(tmp_path: Path, path: str) -> list[str]:
    """Start ``sitroom serve`` (the venv's script) with ``PATH=path``; the join commands
    it prints, once it says it is serving; then stop it."""
    proc = subprocess.Popen(
        [str(SCRIPT), "serve", str(FIXTURE), "--db", str(tmp_path / "x.db"), "--port", "0"],
        cwd=tmp_path,
        env={**os.environ, "PATH": path},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if "sitroom: serving" in line:
                break
    finally:
        proc.terminate()
        proc.communicate(timeout=30)
    return [line for line in lines if "SITROOM_CODE=" in line]


def test_the_join_commands_serve_prints_run_without_the_venv_on_path(tmp_path: Path) -> None:
    lines = serve_lines(tmp_path, BARE_PATH)
    assert lines, "no join commands printed"
    commands: set[tuple[tuple[str, ...], str]] = set()
    for line in lines:
        command = line[line.index("SITROOM_CODE=") :]
        words = shlex.split(command)
        assert words[0].startswith("SITROOM_CODE=")
        program, verb, url = words[1:-2], words[-2], words[-1]
        assert verb in ("join", "facilitate", "wall") and url.startswith("http://127.0.0.1:")
        commands.add((tuple(program), verb))
    # Each distinct program and verb printed (every seat's line repeats one of a few)
    # runs as pasted in a shell whose PATH does not hold the venv.
    for argv, verb in sorted(commands):
        ran = subprocess.run(
            [*argv, verb, "--help"],
            env={**os.environ, "PATH": BARE_PATH},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert ran.returncode == 0, ran.stderr
        assert ran.stdout.startswith(f"usage: sitroom {verb}")
    assert shlex.split(lines[0][lines[0].index("SITROOM_CODE=") :])[1] == str(SCRIPT)


def test_with_sitroom_on_path_the_commands_say_sitroom(tmp_path: Path) -> None:
    lines = serve_lines(tmp_path, f"{SCRIPT.parent}:{BARE_PATH}")
    assert lines
    for line in lines:
        assert shlex.split(line[line.index("SITROOM_CODE=") :])[1] == "sitroom", line
