"""``sitroom rubric SCENARIO REF [ANSWERS.csv]``: a planner tries a rubric on answers."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.cli import main

pytestmark = pytest.mark.meaning

ROOT = Path(__file__).resolve().parents[2]
GOOD = (
    "No shutdown of the power grid is planned. We are verifying the video and will post "
    "updates on the government's official channels within the hour."
)
PARAPHRASE = (
    "The power network is working as usual and nobody is planning to cut electricity. "
    "Our experts are checking where the clip came from; the facts will follow on the "
    "ministry's verified accounts before 11:00."
)
RUSSIAN = "This is a Russian operation. No comment."


def test_json_gives_one_object_per_answer_in_input_order(tmp_path: Path) -> None:
    answers = tmp_path / "answers.csv"
    answers.write_text(
        'team,text\na,"' + GOOD + '"\nb,' + RUSSIAN + '\nc,"' + PARAPHRASE + '"\n',
        encoding="utf-8",
    )
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "tui.cli",
            "rubric",
            "summit-deepfake",
            "I-13.holding",
            str(answers),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert [d["text"] for d in doc] == [GOOD, RUSSIAN, PARAPHRASE]
    assert all(d["max_points"] == 10 for d in doc)
    good, russian, paraphrase = doc
    assert good["points"] == 10 and good["status"] == "met"
    assert russian["points"] == 0
    assert {f["name"] for f in russian["forbidden"]} >= {"no comment"}
    assert paraphrase["points"] >= 7
    assert [e["how"] for e in good["required"]] == ["keyword"] * 3


def test_text_from_stdin_names_each_element_found_or_missed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{GOOD}\n\n{RUSSIAN}\n"))
    assert main(["rubric", "summit-deepfake", "I-13.holding"]) == 0
    out = capsys.readouterr().out.splitlines()
    heads = [line for line in out if line.startswith("#")]
    assert heads[0].startswith("#1  10 / 10  met")
    assert heads[1].startswith("#2  0 / 10  failed")
    found = (
        "    + says no shutdown is planned: keyword 1.00: No shutdown of the power grid is planned"
    )
    assert found in out
    said = [line for line in out if line.startswith("    ! forbidden, said: ")]
    assert said == [
        "    ! forbidden, said: no comment: This is a Russian operation No comment",
        "    ! forbidden, said: premature attribution: This is a Russian operation No comment",
    ]


def test_a_csv_without_a_text_column_and_a_wrong_ref_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "a.csv"
    bad.write_text("answer\nhello\n", encoding="utf-8")
    assert main(["rubric", "summit-deepfake", "I-13.holding", str(bad)]) == 1
    assert "no 'text' column (its columns: answer)" in capsys.readouterr().err
    assert main(["rubric", "summit-deepfake", "I-13.nope", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "no expectation 'I-13.nope'" in err and "I-13.holding" in err


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        (b'text\n"The grid \xed\xa0\x80 works as usual"\n', 2),  # an encoded lone surrogate
        (b"text\nLe r\xe9seau fonctionne normalement\n", 2),  # Latin-1, as Excel saves it
        (b"t\x00e\x00x\x00t\x00\n\x00", 1),  # UTF-16 without its byte-order mark
    ],
)
def test_answers_that_are_not_utf8_are_refused_saying_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], raw: bytes, line: int
) -> None:
    answers = tmp_path / "answers.csv"
    answers.write_bytes(raw)
    assert main(["rubric", "summit-deepfake", "I-13.holding", str(answers)]) == 1
    err = capsys.readouterr().err
    assert f"{answers}: not UTF-8 text (byte 0x" in err and f" on line {line}): save" in err


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.binary(max_size=160) | st.text(max_size=80).map(lambda t: t.encode("utf-8", "surrogatepass"))
)
def test_any_bytes_on_stdin_are_graded_or_refused_in_words(raw: bytes) -> None:
    """Whatever a planner pipes in, the command grades it or says why not: a stray byte
    reached the encoder as a lone surrogate (stdin's own decoding) and stopped it with a
    traceback."""
    stdin = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8", errors="surrogateescape")
    out, err = io.StringIO(), io.StringIO()
    with (
        patch.object(sys, "stdin", stdin),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        code = main(["rubric", "summit-deepfake", "I-13.holding"])
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        assert code == 1 and "<stdin>: not UTF-8 text (byte 0x" in err.getvalue()
    else:
        assert code == 0, err.getvalue()
        answers = [line for line in raw.decode("utf-8-sig").splitlines() if line.strip()]
        heads = [line for line in out.getvalue().split("\n") if line.startswith("#")]
        assert len(heads) == len(answers)


def test_an_answer_longer_than_a_console_takes_is_refused_by_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The engine refuses an answer over MAX_TEXT characters; trying a rubric on one
    would grade what no team can send (a 105 KB answer took 9 s and 567 MB)."""
    answers = tmp_path / "answers.csv"
    answers.write_text(f'text\n"{GOOD}"\n"{"word " * 2000}"\n', encoding="utf-8")
    assert main(["rubric", "summit-deepfake", "I-13.holding", str(answers)]) == 1
    err = capsys.readouterr().err
    assert f"{answers}: answer 2 has 9999 characters; a console takes at most 8000" in err
