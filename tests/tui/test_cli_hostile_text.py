"""What the command line prints from people's text holds no control byte (issue 11).

A scenario and an event log full of terminal escapes (OSC title, clear screen, C1
CSI), bidi overrides, zero-width characters and markup go through ``sitroom
validate``, ``dry-run`` and ``report`` (every format). Their output, stdout and
stderr, holds no byte below 0x20 but newlines (CSV: also the ``\\r\\n`` that ends
its rows and tabs inside quoted cells), no C1 control, DEL or bidi control, and
no invisible character; and the text is still there, made visible.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
import yaml

from engine import commands as c
from engine.eventlog import EventLog
from engine.exercise import Exercise
from engine.roster import roster_from_counts
from engine.scenario import load_file
from tests.tui.hostile import EVERYTHING, scenario_doc, write_scenario
from tui.cli import main

M = 60_000
TROUBLE = EVERYTHING + "\ttab\u2028line\u0085next"
"""Every kind of trouble, and a tab and the line separators a terminal may act on."""
C0 = re.compile(rb"[\x00-\x09\x0b-\x1f]")
UNSAFE_TEXT = re.compile(
    "[\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\u00ad\ufeff]"
)


def text(field: str) -> str:
    return f"{field} {TROUBLE}"


def check_output(data: bytes, *, csv_format: bool = False) -> str:
    """``data`` holds no unsafe byte or character; returns it decoded."""
    if csv_format:
        # Rows end in \r\n; quoted cells may hold tabs and newlines.
        data = data.replace(b"\r\n", b"\n").replace(b"\t", b" ")
    found = C0.search(data)
    assert found is None, (
        f"control byte {found.group()!r} in {data[max(0, found.start() - 80) : found.end() + 20]!r}"
    )
    decoded = data.decode("utf-8")
    bad = UNSAFE_TEXT.search(decoded)
    assert bad is None, f"{bad.group()!r} in {decoded[max(0, bad.start() - 80) : bad.end() + 20]!r}"
    return decoded


def run(capfdbinary: pytest.CaptureFixture[bytes], *argv: str) -> tuple[int, bytes, bytes]:
    code = main(list(argv))
    out, err = capfdbinary.readouterr()
    return code, out, err


@pytest.fixture
def scenario_path(tmp_path: Path) -> Path:
    return write_scenario(tmp_path / "hostile.yaml", text)


def hostile_log(path: Path, scenario_path: Path) -> Path:
    loaded = load_file(scenario_path)
    scenario = loaded.require()
    roster = roster_from_counts(scenario, 1)
    ex = Exercise(scenario, roster)
    member = text("member")[:200]
    body = text
    inputs: list[tuple[int, c.Command]] = [
        (0, c.Start()),
        (2 * M, c.Join(team="a", member=member)),
        (5 * M, c.Respond(team="a", member=member, expectation="D.pick", choice="good")),
        (5 * M, c.Respond(team="a", member=member, expectation="T.say", text=body("answer"))),
        (5 * M, c.Respond(team="a", member=member, expectation="G.brief", text=body("brief"))),
        (6 * M, c.Ask(team="a", member=member, actor="x", text=body("question"))),
        (6 * M, c.Reply(team="a", actor="x", text=body("reply"))),
        (6 * M, c.TeamNote(team="a", member=member, text=body("team-note"))),
        (7 * M, c.Broadcast(title=body("broadcast-title")[:200], text=body("broadcast"))),
        (
            8 * M,
            c.Grade(
                evaluator="lead", team="a", expectation="G.brief", points=5, reason=body("why")
            ),
        ),
        (
            8 * M,
            c.Rate(evaluator="lead", team="a", objective="obj", rating="S", reason=body("rate")),
        ),
        (9 * M, c.Note(author="lead", text=body("note"), team="a", category="improvement")),
        (9 * M, c.Note(author="lead", text=body("hotwash"), category="hotwash")),
        (10 * M, c.Pause(reason=body("pause")[:200])),
        (11 * M, c.Resume()),
        (30 * M, c.End(reason=body("end")[:200])),
    ]
    with EventLog.create(
        path,
        scenario_text=loaded.text,
        scenario_sha256=loaded.sha256,
        scenario_name=text("file"),
        seed=scenario.seed,
        roster=roster,
    ) as log:
        for t, command in inputs:
            outcome = ex.submit(command, t)
            assert outcome.ok, outcome.reason
            log.append(ex.drain(), wall=1.0)
    return path


@pytest.mark.parametrize("fmt", ["md", "csv", "html", "json"])
def test_the_report_writes_no_control_bytes(
    tmp_path: Path, scenario_path: Path, fmt: str, capfdbinary: pytest.CaptureFixture[bytes]
) -> None:
    log = hostile_log(tmp_path / "hostile.db", scenario_path)
    code, out, err = run(capfdbinary, "report", str(log), "--format", fmt)
    assert code == 0, err
    shown = check_output(out, csv_format=fmt == "csv")
    check_output(err)
    # The text is still there, made visible (and escaped as each format escapes it).
    if fmt == "json":  # the data is exact: escapes are JSON's \\u escapes
        assert any(
            "\x1b]0;pwned\x07" in t and "\u202eexe.txt" in t for t in strings(json.loads(shown))
        )
    elif fmt == "csv":
        cells = [cell for row in csv.reader(io.StringIO(shown)) for cell in row]
        assert any(
            cell.startswith("answer why is [/] here?")
            and "␛]0;pwned␇" in cell
            and "⟨U+202E⟩exe.txt" in cell
            for cell in cells
        )
    else:
        assert "pwned␇" in shown and "⟨U+202E⟩exe.txt" in shown


def strings(value: object) -> list[str]:
    """Every string in a JSON document."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def test_validate_prints_no_control_bytes(
    tmp_path: Path, capfdbinary: pytest.CaptureFixture[bytes]
) -> None:
    doc = scenario_doc(text)
    doc["injects"][0]["fr\x1b]0;pwned\x07om"] = "x"  # an unknown key: its path is printed
    doc["injects"][1]["from"] = "x\x1b[2J\u202e"
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, width=1 << 20), encoding="utf-8")
    folder = tmp_path / "received"  # a folder of scenarios from someone else
    folder.mkdir()
    raw = folder / "raw\x1b]0;pwned\x07\u202e.yaml"  # its name is printed with its problems
    raw.write_bytes(b"id: x\ntitle: a\x1b]0;pwned\x07b\n")  # a raw ESC: YAML refuses it
    code, out, err = run(capfdbinary, "validate", str(path), str(folder))
    assert code == 1
    shown = check_output(out)
    check_output(err)
    assert "injects[0].fr" in shown and "pwned" in shown  # made visible, here or by the loader
    assert "raw␛]0;pwned␇⟨U+202E⟩.yaml" in shown


def test_dry_run_prints_no_control_bytes(
    scenario_path: Path, capfdbinary: pytest.CaptureFixture[bytes]
) -> None:
    for fmt in ("text", "json"):
        code, out, err = run(capfdbinary, "dry-run", str(scenario_path), "--format", fmt)
        assert code == 0, err
        shown = check_output(out)
        check_output(err)
        assert "title-D why is [/] here?" in shown
