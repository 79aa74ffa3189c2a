"""The bundled scenarios, the starter and the committed schema, through the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def sitroom(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
    )


def test_bundled_scenarios_validate() -> None:
    out = sitroom("validate", "scenarios/")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "all valid" in out.stderr


def test_starter_scenario_validates(tmp_path: Path) -> None:
    target = tmp_path / "mine.yaml"
    assert sitroom("new", str(target)).returncode == 0
    out = sitroom("validate", "--strict", str(target))
    assert out.returncode == 0, out.stdout
    assert sitroom("new", str(target)).returncode == 1  # refuses to overwrite


def test_committed_schema_is_current() -> None:
    out = sitroom("schema")
    assert out.returncode == 0
    committed = (ROOT / "scenarios" / "schema.json").read_text(encoding="utf-8")
    assert out.stdout == committed, "run: sitroom schema -o scenarios/schema.json"


def test_every_scenario_names_the_schema() -> None:
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=./schema.json", path.name


def test_json_format_reports_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\n", encoding="utf-8")
    out = sitroom("validate", "--format", "json", str(bad))
    assert out.returncode == 1
    doc = json.loads(out.stdout)
    assert doc["ok"] is False
    messages = {p["path"]: p["message"] for p in doc["files"][0]["problems"]}
    assert messages["title"] == "required field is missing"


def test_a_glob_over_the_library_skips_what_is_not_a_scenario() -> None:
    """``sitroom validate scenarios/*`` also names the schema, the docs and a roster."""
    names = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "scenarios").iterdir())
    out = sitroom("validate", *names)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout == ""
    skipped = [n for n in names if not n.endswith((".yaml", ".yml"))]
    assert skipped, "the library holds no file other than scenarios"
    for name in skipped:
        assert f"{name}: skipped: not a .yaml or .yml scenario" in out.stderr


def test_one_file_named_is_read_whatever_its_suffix(tmp_path: Path) -> None:
    target = tmp_path / "mine.txt"
    assert sitroom("new", str(target)).returncode == 0
    out = sitroom("validate", str(target))
    assert out.returncode == 0, out.stdout + out.stderr


def test_a_bundled_scenario_validates_by_name_from_anywhere(tmp_path: Path) -> None:
    """As preview and dry-run do, validate takes a library name; election-disinfo's
    recording and video still are files beside it, found, checked and hashed."""
    out = subprocess.run(
        [sys.executable, "-m", "tui.cli", "validate", "election-disinfo"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "1 file checked: all valid" in out.stderr
    missing = sitroom("validate", "no-such-scenario")
    assert missing.returncode == 1
    assert "no-such-scenario:0:0: no such file or folder" in missing.stdout


def test_the_library_carries_an_image_and_a_recording() -> None:
    from engine.scenario import load_file

    scenario = load_file(ROOT / "scenarios" / "election-disinfo.yaml").require()
    files = {
        a.file: a
        for inject in scenario.injects
        for a in inject.attachments
        if getattr(a, "file", None) is not None
    }
    media = {name: getattr(a, "media", None) for name, a in files.items()}
    assert media == {
        "media/election-disinfo/robocall.wav": "audio",
        "media/election-disinfo/ferrand-still.png": "image",
    }
    assert all(len(getattr(a, "sha256", "") or "") == 64 for a in files.values())
