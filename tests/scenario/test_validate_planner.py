"""What ``sitroom validate`` tells a planner, through the command line (issue 15).

Threat ids checked against the shipped catalogue, errors that name the inject
they concern, unknown fields with the fields allowed there, every error of a
file in one pass, and a note for roles a roster leaves unstaffed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from engine.scenario import load_bytes

ROOT = Path(__file__).resolve().parents[2]

GOOD = """\
id: tiny
title: Tiny
duration: 1h
references: {atlas: [AML.T0020], owasp_llm: [LLM04]}
teams:
  - {id: ops, name: Operations}
  - {id: legal, name: Legal}
actors:
  - {id: monitor, name: Monitoring}
injects:
  - id: I-01
    at: 5m
    to: [ops]
    channel: alert
    from: monitor
    title: Refusals
    expects:
      - id: act
        kind: decision
        prompt: What now?
        due: 10m
        options:
          - {id: rollback, label: Roll back, points: 10}
          - {id: watch, label: Watch, points: 2}
  - id: I-02
    at: 20m
    to: [legal]
    channel: email
    from: monitor
    title: The regulator asks
"""


def validate(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", "validate", "-q", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"},
    )


def write(folder: Path, text: str, name: str = "s.yaml") -> str:
    (folder / name).write_text(text, encoding="utf-8")
    return name


def test_the_good_scenario_is_valid(tmp_path: Path) -> None:
    run = validate(tmp_path, write(tmp_path, GOOD))
    assert run.returncode == 0 and run.stdout == "", run.stdout + run.stderr


# Threat ids ------------------------------------------------------------------------


def test_an_unlisted_atlas_id_is_an_error_in_validate_itself(tmp_path: Path) -> None:
    text = GOOD.replace("atlas: [AML.T0020]", "atlas: [AML.T0020, AML.T9999]")
    run = validate(tmp_path, write(tmp_path, text))
    assert run.returncode == 1
    assert run.stdout.splitlines() == [
        "s.yaml:4:33: references.atlas[1]: unknown MITRE ATLAS id 'AML.T9999': "
        "not a tactic or technique in sitroom's catalogue"
    ]


def test_a_typo_in_an_injects_atlas_id_names_the_inject_and_suggests(tmp_path: Path) -> None:
    text = GOOD.replace(
        "    title: Refusals\n", "    title: Refusals\n    references: {atlas: [AML.T0051.009]}\n"
    )
    run = validate(tmp_path, write(tmp_path, text))
    assert run.returncode == 1
    (line,) = run.stdout.splitlines()
    assert line.startswith("s.yaml:17:26: injects[0].references.atlas[0] (I-01): ")
    assert "unknown MITRE ATLAS id 'AML.T0051.009' (did you mean 'AML.T0051', " in line
    assert line.endswith("LLM Prompt Injection?)")


def test_the_catalogue_is_package_data_not_code() -> None:
    """The ids live in catalog.yaml, which pyproject's package data ships in the wheel."""
    catalog = ROOT / "engine" / "scenario" / "catalog.yaml"
    assert "AML.T0051:" in catalog.read_text(encoding="utf-8")
    source = (ROOT / "engine" / "scenario" / "catalog.py").read_text(encoding="utf-8")
    assert "AML.T0051" not in source
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"*" = ["*.tcss", "*.yaml"' in pyproject


def test_every_library_scenario_still_validates() -> None:
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        loaded = load_bytes(path.read_bytes(), path.name, path=path)  # its attachment files
        assert loaded.ok, [p.format() for p in loaded.problems]


# Errors name what they concern -----------------------------------------------------


def test_every_error_under_an_inject_names_it(tmp_path: Path) -> None:
    text = GOOD.replace("        due: 10m\n", "        due: 10\n").replace(
        "    title: The regulator asks\n", "    title: The regulator asks\n    priority: urgent\n"
    )
    run = validate(tmp_path, write(tmp_path, text))
    assert run.stdout.splitlines() == [
        "s.yaml:21:14: injects[0].expects[0].due (I-01.act): a duration needs a unit: "
        "write 10m or 10s, not a bare number",
        "s.yaml:31:15: injects[1].priority (I-02): 'urgent' is not one of low, normal, high, "
        "critical",
    ]


def test_an_unknown_field_lists_the_fields_allowed_there(tmp_path: Path) -> None:
    text = GOOD.replace("    channel: email\n", "    chanel: email\n")
    run = validate(tmp_path, write(tmp_path, text))
    lines = run.stdout.splitlines()
    assert lines[1] == (
        "s.yaml:28:5: injects[1].chanel (I-02): unknown field 'chanel' (did you mean "
        "'channel'?); allowed here: id, title, channel, from, to, body, attachments, phase, "
        "priority, tags, references, notes, contingency, at, after, if_no_response, jitter, "
        "when, expects"
    )
    assert lines[0] == "s.yaml:25:5: injects[1].channel (I-02): required field is missing"


def test_json_output_carries_the_subject(tmp_path: Path) -> None:
    text = GOOD.replace("        due: 10m\n", "        due: 10\n")
    run = validate(tmp_path, "--format", "json", write(tmp_path, text))
    (problem,) = json.loads(run.stdout)["files"][0]["problems"]
    assert problem["path"] == "injects[0].expects[0].due" and problem["subject"] == "I-01.act"


# Roles a roster leaves unstaffed -----------------------------------------------------

ROSTER_OPS_ONLY = "team,role,name,members\nops-1,ops,Ops one,\nops-2,ops,Ops two,\n"
LEGAL_NOTE = (
    "no team plays role 'legal' (Legal): 1 inject addressed to it, "
    "of which 1 reaches no team at all (I-02)"
)


def sitroom(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"},
    )


def test_validate_notes_the_roles_a_roster_leaves_unstaffed(tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_text(ROSTER_OPS_ONLY, encoding="utf-8")
    name = write(tmp_path, GOOD)
    run = validate(tmp_path, "--strict", "--roster", "r.csv", name)
    assert run.returncode == 0, run.stderr  # a note is not a warning, even with --strict
    assert run.stdout.splitlines() == [f"r.csv:0:0: note: {LEGAL_NOTE}"]
    as_json = validate(tmp_path, "--format", "json", "--roster", "r.csv", name)
    (note,) = json.loads(as_json.stdout)["files"][0]["problems"]
    assert note["severity"] == "note" and note["file"] == "r.csv"


def test_validate_reports_a_roster_that_does_not_fit(tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_text("team,role\nx-1,lgal\n", encoding="utf-8")
    run = validate(tmp_path, "--roster", "r.csv", write(tmp_path, GOOD))
    assert run.returncode == 1
    assert run.stdout.splitlines() == [
        "r.csv:2:2: role: unknown role 'lgal'; the scenario's roles are ops, legal"
    ]


def test_a_fully_staffed_roster_gets_no_note(tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_text(ROSTER_OPS_ONLY + "legal-1,legal,,\n", encoding="utf-8")
    run = validate(tmp_path, "--roster", "r.csv", write(tmp_path, GOOD))
    assert run.returncode == 0 and run.stdout == ""


def test_dry_run_notes_unstaffed_roles_from_a_roster_or_from_teams(tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_text(ROSTER_OPS_ONLY, encoding="utf-8")
    name = write(tmp_path, GOOD)
    run = sitroom(tmp_path, "dry-run", name, "--roster", "r.csv")
    assert run.returncode == 0, run.stderr
    assert f"r.csv:0:0: note: {LEGAL_NOTE}" in run.stderr.splitlines()
    run = sitroom(tmp_path, "dry-run", name, "--teams", "legal=0,ops=2")
    assert f"--teams: note: {LEGAL_NOTE}" in run.stderr.splitlines()
    run = sitroom(tmp_path, "dry-run", name, "--teams", "2")
    assert "note:" not in run.stderr


# One pass ----------------------------------------------------------------------------


def test_errors_in_meaning_are_found_alongside_errors_in_shape(tmp_path: Path) -> None:
    """Before, the bad option and the unknown id showed only once the typo was fixed."""
    text = (
        GOOD.replace("atlas: [AML.T0020]", "atlas: [AML.T9999]")
        .replace("    title: The regulator asks\n", "    titel: The regulator asks\n")
        .replace(
            "    channel: email\n",
            "    channel: email\n    when: {expectation: I-01.act, chose: wach}\n",
        )
    )
    run = validate(tmp_path, write(tmp_path, text))
    lines = [line.split(": ", 2)[1] for line in run.stdout.splitlines()]
    assert lines == [
        "references.atlas[0]",
        "injects[1].title (I-02)",
        "injects[1].when.chose (I-02)",
        "injects[1].titel (I-02)",
    ], run.stdout
    assert "I-01.act has no option 'wach' (did you mean 'watch'?)" in run.stdout


def test_nothing_is_reported_about_what_the_repair_changed(tmp_path: Path) -> None:
    """An inject left out (its id is not text) takes the findings naming it along."""
    text = GOOD.replace("  - id: I-02\n", "  - id: [I-02]\n").replace(
        "        due: 10m\n", "        due: 10m\n        objective: nowhere\n"
    )
    text += "  - id: I-03\n    after: {inject: I-02}\n    to: [ops]\n    channel: email\n"
    text += "    from: monitor\n    title: Follow-up\n"
    run = validate(tmp_path, write(tmp_path, text))
    assert [line.split(": ", 2)[1:] for line in run.stdout.splitlines()] == [
        ["injects[0].expects[0].objective (I-01.act)", "unknown objective 'nowhere'"],
        ["injects[1].id", "expected text, got a list"],
    ]


def test_the_guides_example_is_what_validate_prints() -> None:
    """The authoring guide shows ``broken/planner-mistakes.yaml``'s report, verbatim."""
    guide = (ROOT / "scenarios" / "README.md").read_text(encoding="utf-8")
    shown = guide.split("gets, in one run:\n\n```text\n", 1)[1].split("```", 1)[0]
    stored = (ROOT / "tests" / "scenario" / "broken" / "planner-mistakes.expected").read_text(
        encoding="utf-8"
    )
    assert shown == stored.replace("planner-mistakes.yaml:", "broken.yaml:")
