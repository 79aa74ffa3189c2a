"""A file a person hands sitroom that is not UTF-8: one clear line, whatever the command.

Spreadsheets and old editors save in their own code page (Latin-1), or in UTF-16
(Excel's "Unicode Text"). ``sitroom dry-run --roster`` printed Python's codec message
(``'utf-8' codec can't decode byte 0xc9 in position 25``); so did ``join --code-file``.
Every such file is now decoded by one function, :func:`engine.textfile.utf8_text`,
whose error names the file, the byte and the line; each command says it on one line
and exits 1. The scenario loader and the MSEL import keep their own wording (a
``Problem`` at the line). The sheets (the MSEL, the roster, the rubric's answers file)
read UTF-16 behind its byte-order mark (Excel's "Unicode Text"), as
:mod:`engine.sheetfile` reads every sheet.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from engine import sheetfile
from engine.textfile import NotUtf8, utf8_text
from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]

SCENARIO = """\
id: files
title: Files
duration: 1h
teams: [{id: t, name: Team}]
actors: [{id: x, name: X}]
injects:
  - id: I1
    at: 1m
    to: all
    channel: email
    from: x
    title: The file
"""


def _stray_ff(text: str) -> bytes:
    """UTF-8, but the first accented letter is a lone 0xff."""
    return re.sub(rb"[\xc0-\xff][\x80-\xbf]+", b"\xff", text.encode("utf-8"), count=1)


VARIANTS: dict[str, tuple[Callable[[str], bytes], str, int]] = {
    # how the file was saved: (encode, the byte named, the line named)
    "latin-1": (lambda t: t.encode("latin-1"), "0xe9", 2),
    "utf-16 with BOM": (lambda t: t.encode("utf-16"), "0xff", 1),
    "stray 0xff": (_stray_ff, "0xff", 2),
}
"""Each file below has its first accented letter (é) on its second line."""

FILES = {
    "roster.csv": "team,role,name\nt1,t,équipe un\n",
    "answers.csv": "text\nLe réseau fonctionne normalement\n",
    "scenario.yaml": "id: files\n# Scénario\n" + SCENARIO.split("\n", 1)[1],
    "lib.yaml": "# Actors\nactors: [{id: x, name: éric}]\n",
    "notes.txt": "Notes\nRéunion à 10h\n",
    "msel.csv": "Inject #,Time,Synopsis\n1,T+5,Café crème\n",
    "code.txt": "ABCD-EFGH\n# pour l'équipe\n",
}

SURFACES: dict[str, tuple[list[str], str, str | None]] = {
    # (argv, the file that is not UTF-8, what standard input holds)
    "rubric answers": (
        ["rubric", "summit-deepfake", "I-13.holding", "answers.csv"],
        "answers.csv",
        None,
    ),
    "rubric stdin": (["rubric", "summit-deepfake", "I-13.holding"], "<stdin>", "answers.csv"),
    "dry-run --roster": (["dry-run", "good.yaml", "--roster", "roster.csv"], "roster.csv", None),
    "validate --roster": (["validate", "good.yaml", "--roster", "roster.csv"], "roster.csv", None),
    "serve --roster": (
        ["serve", "good.yaml", "--db", "x.db", "--roster", "roster.csv", "--port", "0"],
        "roster.csv",
        None,
    ),
    "validate scenario": (["validate", "scenario.yaml"], "scenario.yaml", None),
    "validate include": (["validate", "main.yaml"], "lib.yaml", None),
    "validate attachment": (["validate", "attached.yaml"], "notes.txt", None),
    "msel import": (["msel", "import", "msel.csv", "-q"], "msel.csv", None),
    "join --code-file": (
        ["join", "http://127.0.0.1:9", "--code-file", "code.txt"],
        "code.txt",
        None,
    ),
    "join --code-file -": (
        ["join", "http://127.0.0.1:9", "--code-file", "-"],
        "standard input",
        "code.txt",
    ),
}


SHEETS = {"roster.csv", "answers.csv", "msel.csv"}
"""The files read as spreadsheets (engine/sheetfile.py): UTF-16 with its mark is read."""


def _folder(tmp_path: Path, encode: Callable[[str], bytes]) -> None:
    """Every file, saved with ``encode``; the scenarios that name them, in UTF-8."""
    for name, text in FILES.items():
        (tmp_path / name).write_bytes(encode(text))
    (tmp_path / "good.yaml").write_text(SCENARIO, encoding="utf-8")
    main_yaml = SCENARIO.replace("actors: [{id: x, name: X}]\n", "include: [lib.yaml]\n")
    (tmp_path / "main.yaml").write_text(main_yaml, encoding="utf-8")
    attached = SCENARIO + "    attachments:\n      - {name: A, file: notes.txt}\n"
    (tmp_path / "attached.yaml").write_text(attached, encoding="utf-8")
    # serve refuses to overwrite a log right after it has read its roster: never serves
    (tmp_path / "x.db").write_text("occupied", encoding="utf-8")


def _run(
    argv: list[str], stdin: bytes | None, capsys: pytest.CaptureFixture[str]
) -> tuple[int, list[str]]:
    """The command's exit code and every line it printed (stdout and stderr)."""
    wrapper = io.TextIOWrapper(io.BytesIO(stdin or b""), encoding="utf-8", errors="strict")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "stdin", wrapper)
        code = main(argv)
    out = capsys.readouterr()
    return code, (out.out + out.err).splitlines()


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("surface", sorted(SURFACES))
def test_a_file_that_is_not_utf8_is_one_clear_line(
    surface: str,
    variant: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    encode, byte, line = VARIANTS[variant]
    argv, name, stdin = SURFACES[surface]
    _folder(tmp_path, encode)
    monkeypatch.chdir(tmp_path)
    code, lines = _run(argv, (tmp_path / stdin).read_bytes() if stdin else None, capsys)
    if name in SHEETS and variant == "utf-16 with BOM":
        # Excel's "Unicode Text": every sheet reads it
        assert not [x for x in lines if "UTF" in x or "byte 0x" in x or "Traceback" in x], lines
        if surface == "msel import":  # (and reports the columns it lacks)
            assert "  - {id: '1', at: 5m, title: Café crème}" in lines
        elif surface == "serve --roster":  # the roster read, the log is the next thing
            assert code == 1 and "x.db already exists" in lines[-1], lines
        else:
            assert code == 0, lines
        return
    assert code == 1, lines
    assert not [x for x in lines if "codec" in x or "Traceback" in x], lines
    if surface.startswith("validate"):
        assert lines[-1] == "1 file checked: 1 invalid, 1 error, 0 warnings"
        lines = lines[:-1]
    # one line, and it names the file, the byte and the line
    (said,) = lines
    if variant == "utf-16 with BOM" and name.endswith(".yaml"):
        # the scenario loader's own words: it says what the file is
        assert said == f"{name}:0:0: file is UTF-16 or UTF-32: save it as UTF-8"
        return
    assert name in said and f"byte {byte}" in said, said
    assert f"on line {line})" in said or said.startswith(f"{name}:{line}:"), said


def test_the_roster_of_a_dry_run_in_words(tmp_path: Path) -> None:
    """The command of the report, run as a planner runs it."""
    (tmp_path / "roster.csv").write_bytes(FILES["roster.csv"].encode("latin-1"))
    (tmp_path / "good.yaml").write_text(SCENARIO, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "tui.cli", "dry-run", "good.yaml", "--roster", "roster.csv"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 1
    assert (out.stdout + out.stderr).splitlines() == [
        "roster.csv:2:6: not UTF-8 text (byte 0xe9): save it as UTF-8 "
        "(in Excel: Save As, CSV UTF-8)"
    ]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.binary(max_size=40),
    st.integers(min_value=0, max_value=200),
)
@example(junk=b"\r", at=0)  # a stray carriage return stopped the csv reader
@example(junk=b"\x00", at=10)
@example(junk=b"\xff\xfe", at=0)  # read as UTF-16 (and refused for what it holds)
@example(junk=b"\xff\xfe\x00\xd8", at=0)  # UTF-16 with a lone surrogate
def test_any_bytes_in_a_roster_are_read_or_refused_in_one_line(
    tmp_path_factory: pytest.TempPathFactory, junk: bytes, at: int
) -> None:
    """Bytes anywhere in a roster: the roster is read (or refused for what it holds), or
    refused, on one line, for the first byte that is not UTF-8, at its line."""
    folder = tmp_path_factory.mktemp("roster")
    good = FILES["roster.csv"].encode("utf-8")
    raw = good[:at] + junk + good[at:]
    (folder / "roster.csv").write_bytes(raw)
    (folder / "good.yaml").write_text(SCENARIO, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        patch.setattr(sys, "stdout", out)
        patch.setattr(sys, "stderr", err)
        code = main(["validate", "good.yaml", "--roster", "roster.csv"])
    printed = out.getvalue() + err.getvalue()
    assert "Traceback" not in printed
    said = [x for x in printed.splitlines() if "UTF-8" in x]
    try:
        sheetfile.decode(raw, "roster.csv")
    except NotUtf8 as exc:
        assert code == 1
        (line,) = said
        assert re.search(r"\(byte 0x[0-9a-f]{2}\)", line), line
        # a roster read as UTF-16 is refused as a whole, as the MSEL import does
        where = f"{exc.line}:{exc.column}" if exc.encoding == "UTF-8" else "0:0"
        assert line.startswith(f"roster.csv:{where}: "), line
    else:
        assert said == []


@settings(max_examples=300)
@given(st.binary(max_size=80), st.booleans())
def test_utf8_text_reads_utf8_or_says_where_it_stops(raw: bytes, utf16: bool) -> None:
    try:
        text = utf8_text(raw, "f.csv", utf16=utf16)
    except NotUtf8 as exc:
        assert 0 <= exc.offset <= len(raw)
        assert exc.line == raw[: exc.offset].count(b"\n") + 1
        assert str(exc).startswith(f"f.csv: not {exc.encoding} text (byte {exc.hex} on line ")
        assert "\n" not in str(exc)
        if not exc.wide:
            with pytest.raises(UnicodeDecodeError):
                raw.decode("utf-8")
        return
    if utf16 and raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        assert text == raw.decode("utf-16")
    else:
        assert text == raw.decode("utf-8-sig")
