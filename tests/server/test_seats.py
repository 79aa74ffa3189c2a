"""Join codes: strong, typed forgivingly, compared by hash, stored only as hashes."""

from __future__ import annotations

import hmac
import math
import stat
from pathlib import Path

import pytest

from engine.net.server.seats import (
    ALPHABET,
    CODE_CHARS,
    SeatBook,
    code_hash,
    format_codes,
    new_code,
    read_codes,
    write_codes,
)
from engine.roster import roster_from_counts
from engine.scenario import load_file
from tests.server.conftest import FIXTURE


@pytest.fixture
def book_and_codes() -> tuple[SeatBook, dict[str, str]]:
    roster = roster_from_counts(load_file(FIXTURE).require(), "2")
    return SeatBook.issue(roster, facilitators=1, evaluators=3, observers=2)


def test_codes_carry_60_bits_and_do_not_repeat() -> None:
    # 60 bits: docs/security.md argues it (keyed hashes, wrong codes limited per address).
    assert CODE_CHARS * math.log2(len(ALPHABET)) == 60
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in list(codes)[:50]:
        assert len(code.replace("-", "")) == CODE_CHARS
        assert set(code.replace("-", "")) <= set(ALPHABET)


def test_one_seat_per_team_and_staff_seat_with_a_lead_evaluator(
    book_and_codes: tuple[SeatBook, dict[str, str]],
) -> None:
    book, codes = book_and_codes
    assert [s.name for s in book.by_role("team")] == ["a-01", "a-02", "b-01", "b-02"]
    assert [s.name for s in book.by_role("evaluator")] == ["lead", "eval-2", "eval-3"]
    assert [s.name for s in book.by_role("facilitator")] == ["control"]
    assert [s.name for s in book.by_role("observer")] == ["observer-1", "observer-2"]
    assert set(codes) == set(book.seats)
    assert all("/" not in key for key in book.seats)


def test_a_code_is_found_however_it_is_typed(
    book_and_codes: tuple[SeatBook, dict[str, str]],
) -> None:
    book, codes = book_and_codes
    code = codes["team:a-01"]
    sloppy = code.replace("-", " ").lower().replace("0", "o").replace("1", "l")
    for typed in (code, code.replace("-", ""), sloppy):
        seat = book.find(typed)
        assert seat is not None and seat.team == "a-01"
    assert book.find("") is None
    assert book.find(code[:-1] + ("0" if code[-1] != "0" else "1")) is None


def test_codes_are_confirmed_in_constant_time(
    book_and_codes: tuple[SeatBook, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    book, codes = book_and_codes
    calls: list[tuple[str, str]] = []
    real = hmac.compare_digest

    def spy(a: str, b: str) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)  # seats.py calls it as hmac.compare_digest
    assert book.find(codes["observer:observer-1"]) is not None
    assert calls and calls[0][0] == code_hash(codes["observer:observer-1"], book.key)


def test_only_hashes_reach_the_header_and_revoking_replaces_the_code(
    book_and_codes: tuple[SeatBook, dict[str, str]],
) -> None:
    book, codes = book_and_codes
    header = book.to_header()
    for code in codes.values():
        assert code not in header and code.replace("-", "") not in header
    old = codes["team:b-02"]
    new = book.reissue("team:b-02")
    assert book.find(old) is None and book.is_revoked(old)
    found = book.find(new)
    assert found is not None and found.key == "team:b-02"
    again = SeatBook.from_header(book.to_header(), book.key)
    assert again.find(new) is not None and again.is_revoked(old) and again.find(old) is None


def test_the_codes_file_is_private_and_lists_the_exact_commands(
    tmp_path: Path, book_and_codes: tuple[SeatBook, dict[str, str]]
) -> None:
    book, codes = book_and_codes
    path = tmp_path / "x.db.codes"
    lines = format_codes(book, codes, "http://host:8470", "Fixture")
    write_codes(path, lines)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_codes(path) == codes
    text = path.read_text()
    control, team, lead = (codes[k] for k in ("facilitator:control", "team:a-01", "evaluator:lead"))
    assert f"SITROOM_CODE={control} sitroom facilitate http://host:8470\n" in text
    assert f"SITROOM_CODE={team} sitroom join http://host:8470\n" in text
    assert f"SITROOM_CODE={lead} sitroom join http://host:8470\n" in text
    assert "--code" not in text, "codes go in the environment, off the command line"
