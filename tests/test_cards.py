"""``sitroom cards``: one printable card a seat, from a server's log and its codes file.

Through the command line, on logs made as ``sitroom serve`` makes them (a real
server in one test, its own set-up, :func:`engine.net.server.runner.prepare`, in
the others). Each card's QR code is read back from the page's SVG into its modules
and compared with the QR code of the link the card must open; where Chromium and
zbarimg are installed, the printed page is also rendered and every QR code decoded.
A card's link, opened in a browser, hands its code to that tab's console.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import shutil
import stat
import subprocess
import time
from pathlib import Path

import aiohttp
import pytest
import segno

from engine.eventlog import EventLog
from engine.net.server.runner import prepare
from engine.net.server.seats import codes_path, format_codes, read_codes, write_codes
from engine.roster import parse_roster
from engine.scenario import load_file
from engine.scenario.load import load_bytes
from tests.scoring.browser import Browser, chromium
from tests.server.conftest import FIXTURE, server_process, serving
from tests.tui.test_web import eventually, gateway, packet
from tui.cli import main
from tui.web.gateway import CardConsole

BROWSER = "http://10.1.2.3:8471"
CARD = re.compile(r'<section class="(card(?: staff)?)" data-seat="([^"]+)">(.*?)</section>', re.S)
HOSTILE_TITLE = 'Drill </title><script>alert("title")</script> \u202eevil'
HOSTILE_TEAM = "<script>alert('team')</script>\u200b"
HOSTILE_MEMBER = "<img src=x onerror=alert(1)>"


def cards_of(page: str) -> list[tuple[str, str, str]]:
    """``(class, seat, inner html)`` of every card, in page order."""
    return CARD.findall(page)


def svg_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules of a segno SVG path (``M x y``, ``m dx dy``, ``h n``), as (x, y)."""
    found = re.search(r' d="([^"]+)"', svg)
    assert found, "no path in the SVG"
    x = y = 0.0
    dark: set[tuple[int, int]] = set()
    for cmd, args in re.findall(r"([Mmh])([-0-9. ]+)", found.group(1)):
        nums = [float(n) for n in args.split()]
        if cmd == "M":
            x, y = nums
        elif cmd == "m":
            x, y = x + nums[0], y + nums[1]
        else:
            dark.update((int(x) + i, int(y)) for i in range(int(nums[0])))
            x += nums[0]
    return dark


def qr_modules(link: str, border: int = 4) -> set[tuple[int, int]]:
    """The dark modules of the QR code segno makes for ``link`` (error level M or boosted)."""
    matrix = segno.make(link, error="m", micro=False).matrix
    return {
        (col + border, row + border)
        for row, line in enumerate(matrix)
        for col, cell in enumerate(line)
        if cell
    }


def run_cards(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["cards", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def served_log(tmp_path: Path, scenario: Path = FIXTURE, roster_csv: str | None = None) -> Path:
    """A log and codes file as ``sitroom serve`` leaves them when it starts."""
    loaded = load_file(scenario)
    sc = loaded.require()
    roster = (
        parse_roster(roster_csv, sc)
        if roster_csv
        else parse_roster("team,role\na-01,a\na-02,a\nb-01,b\n", sc)
    )
    db = tmp_path / "exercise.db"
    prepared = prepare(loaded, db, roster, evaluators=2)
    url = "http://192.168.7.7:8470"
    lines = format_codes(prepared.room.seats, prepared.codes, url, sc.title)
    prepared.room.close_log()
    write_codes(codes_path(db), lines)
    return db


# ----------------------------------------------------------------- the cards


async def test_a_card_for_every_seat_of_a_running_server_with_the_qr_of_its_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    async with server_process(tmp_path) as server:
        codes = server.codes()
        out = tmp_path / "printed" / "cards.html"
        out.parent.mkdir()
        status, said, err = await asyncio.to_thread(
            run_cards, capsys, str(server.db), "--out", str(out), "--url", BROWSER + "/"
        )
    assert status == 0, err
    assert f"to {out}" in said and "owner-only" in said
    assert stat.S_IMODE(out.stat().st_mode) == 0o600, "the page holds every code"
    page = out.read_text()
    cards = cards_of(page)
    assert sorted(seat for _, seat, _ in cards) == sorted(codes)
    # Staff first, marked; then the teams.
    kinds = [kind for kind, _, _ in cards]
    assert kinds == sorted(kinds, key=lambda k: k != "card staff")
    for kind, seat, inner in cards:
        code = codes[seat]
        link = f"{BROWSER}/#code={code}"
        assert code in inner
        assert f'href="{html.escape(link)}"' in inner
        svg = re.search(r"<svg.*?</svg>", inner, re.S)
        assert svg, f"no QR code on {seat}'s card"
        assert svg_modules(svg.group(0)) == qr_modules(link), f"{seat}: the QR is not its link"
        assert (kind == "card staff") == (not seat.startswith("team:"))
        assert ("not for players" in inner) == (kind == "card staff")
    assert "Engine fixture" in page


def test_hostile_scenario_and_roster_text_is_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = FIXTURE.read_text().replace("title: Engine fixture", f"title: '{HOSTILE_TITLE}'")
    text = text.replace("name: Team A}", "name: '<b>role</b>'}")
    scenario = tmp_path / "hostile.yaml"
    scenario.write_text(text)
    assert load_bytes(text).scenario is not None
    roster = f'team,role,name,members\nx-1,a,"{HOSTILE_TEAM}","{HOSTILE_MEMBER}; Ann"\n'
    db = served_log(tmp_path, scenario, roster)
    status, _, err = run_cards(capsys, str(db), "--url", BROWSER)
    assert status == 0, err
    page = (tmp_path / "exercise.cards.html").read_text()
    for raw in ("<script>", "<img", "<b>role", "\u202e", "\u200b", "</title><script"):
        assert raw not in page, raw
    assert "&lt;script&gt;alert(&#x27;team&#x27;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;b&gt;role&lt;/b&gt;" in page
    # Invisible and bidi characters are shown, not obeyed.
    assert "⟨U+202E⟩evil" in page and "⟨U+200B⟩" in page
    seats = {seat for _, seat, _ in cards_of(page)}
    assert seats == set(read_codes(codes_path(db))) and "team:x-1" in seats


@pytest.mark.parametrize(
    ("paper", "size", "card"),
    [("a4", "size: A4", "repeat(2, 95.00mm)"), ("letter", "size: letter", "repeat(2, 97.95mm)")],
)
def test_a4_and_letter_pages_tile_eight_cards_a_sheet_staff_apart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], paper: str, size: str, card: str
) -> None:
    teams = "".join(f"t-{k:02},{'ab'[k % 2]}\n" for k in range(11))
    db = served_log(tmp_path, roster_csv="team,role\n" + teams)
    out = tmp_path / f"{paper}.html"
    status, _, err = run_cards(capsys, str(db), "--paper", paper, "--out", str(out))
    assert status == 0, err
    page = out.read_text()
    assert f"@page {{ size: {size.split(': ')[1]}; margin: 10.0mm; }}" in page
    assert card in page
    sheets = re.findall(
        r'<div class="sheet">(.*?)</div>\n(?=<div class="sheet">|</body>)', page, re.S
    )
    per_sheet = [[kind for kind, _, _ in cards_of(s)] for s in sheets]
    # The staff seats (a facilitator, two evaluators, an observer…) on their own sheet;
    # 11 teams on two more: 8 and 3.
    staff = [seat for seat in read_codes(codes_path(db)) if not seat.startswith("team:")]
    assert 4 <= len(staff) <= 8
    assert [len(s) for s in per_sheet] == [len(staff), 8, 3]
    assert set(per_sheet[0]) == {"card staff"} and set(per_sheet[1] + per_sheet[2]) == {"card"}


# ----------------------------------------------------------------- what it needs


def test_without_url_the_cards_say_where_browsers_go_and_warn_of_loopback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = served_log(tmp_path)
    status, _, err = run_cards(capsys, str(db))
    assert status == 0
    assert "http://192.168.7.7:8471" in err and "--url" in err
    page = (tmp_path / "exercise.cards.html").read_text()
    assert 'href="http://192.168.7.7:8471/#code=' in page
    status, _, err = run_cards(capsys, str(db), "--url", "http://localhost:8471")
    assert status == 0 and "cannot open it" in err


def test_clear_errors_for_what_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run_cards(capsys, str(tmp_path / "none.db"))
    assert status == 1 and "no such log" in err
    # A dry-run log has no seats: it was not made by a server.
    dry = tmp_path / "dry.db"
    assert main(["dry-run", str(FIXTURE), "--log", str(dry)]) == 0
    capsys.readouterr()
    status, _, err = run_cards(capsys, str(dry))
    assert status == 1 and "has no seats" in err and "sitroom serve" in err
    db = served_log(tmp_path)
    codes = codes_path(db)
    kept = codes.read_text()
    codes.unlink()
    status, _, err = run_cards(capsys, str(db))
    assert status == 1 and "no codes beside the log" in err and "--resume" in err
    # A codes file from another log (or one whose key line was lost) is never printed.
    (tmp_path / "other").mkdir()
    other = served_log(tmp_path / "other")
    codes.write_text(codes_path(other).read_text())
    status, _, err = run_cards(capsys, str(db))
    seats = len(read_codes(codes_path(other)))
    assert status == 1 and f"does not hold the current code of {seats} seat(s)" in err
    codes.write_text("\n".join(line for line in kept.splitlines() if not line.startswith("#key")))
    status, _, err = run_cards(capsys, str(db))
    assert status == 1 and "does not hold the current code" in err
    # A codes file damaged past reading (a stray byte) is named, with the byte and line.
    codes.write_bytes(kept.encode() + b"team\tx\t\xff\n")
    status, _, err = run_cards(capsys, str(db))
    line = kept.count("\n") + 1
    assert status == 1 and f"{codes}: not UTF-8 text (byte 0xff on line {line})" in err
    assert "codec" not in err and "Traceback" not in err
    codes.write_text(kept)
    for bad in ("ftp://x", "http://", "http://h:8471/?q=1", "10.0.0.1:8471"):
        status, _, err = run_cards(capsys, str(db), "--url", bad)
        assert status == 1 and "--url" in err, bad
    status, _, err = run_cards(capsys, str(db), "--out", str(tmp_path / "no" / "x.html"))
    assert status == 1 and "does not exist" in err and "Traceback" not in err
    assert not list(tmp_path.glob("*.cards.html"))
    with EventLog.open(db, readonly=True):  # the log was only read
        pass


# ----------------------------------------------------------------- in a browser

needs_chromium = pytest.mark.skipif(
    chromium() is None, reason="chromium is not installed (apt-get install chromium)"
)


@needs_chromium
@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbarimg is not installed")
def test_every_printed_qr_code_decodes_to_its_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = served_log(tmp_path)
    status, _, _ = run_cards(capsys, str(db), "--url", BROWSER)
    assert status == 0
    page = tmp_path / "exercise.cards.html"
    links = set(re.findall(r'class="qr-box" href="([^"]+)"', page.read_text()))
    shot = tmp_path / "cards.png"
    with Browser() as browser:
        browser.visit(page)
        browser.screenshot(shot, width=1240)
    decoded = subprocess.run(
        ["zbarimg", "-q", "--raw", str(shot)], capture_output=True, text=True, timeout=60
    ).stdout.split()
    assert set(decoded) == {html.unescape(link) for link in links}
    assert len(decoded) == len(links) == len(read_codes(codes_path(db)))


@needs_chromium
async def test_a_card_link_hands_its_code_to_the_tab_console_and_leaves_the_address_bar() -> None:
    code = "7K3M-Q9XD-2HPA"
    async with gateway() as gw:
        with Browser() as browser:
            await asyncio.to_thread(
                browser.call, "Page.navigate", {"url": f"{gw.url}/#code={code}"}
            )
            await eventually(lambda: gw.server.spawned == 1, "the tab's console")
            consoles = [c for c in gw.server._consoles if isinstance(c, CardConsole)]
            assert [c.card_code for c in consoles] == [code]
            shown = await asyncio.to_thread(
                browser.call,
                "Runtime.evaluate",
                {"expression": "location.href", "returnByValue": True},
            )
            assert shown["result"]["value"] == f"{gw.url}/", "the code left the address bar"


async def test_the_gateway_passes_only_a_code_shaped_subprotocol_to_the_console() -> None:
    async with gateway() as gw:
        for offered, reaches in (
            ("sitroom.code.7K3M-Q9XD-2HPA", "7K3M-Q9XD-2HPA"),
            ("sitroom.code.7k3mq9xd2hpa", "7k3mq9xd2hpa"),
            ("sitroom.code.$(reboot)", None),
            ("sitroom.code.not-a-code", None),
        ):
            ws = await gw.http.ws_connect(f"{gw.url}/ws", protocols=("sitroom", offered))
            assert ws.protocol == "sitroom", "the code is never echoed back"
            assert (await packet(ws, "started"))["code"] == reaches, offered
            await ws.close()


ANSI = re.compile(r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


async def test_a_refused_card_code_opens_the_login_saying_why(tmp_path: Path) -> None:
    """A card's code that no longer works (revoked, another exercise's) must not end the
    tab's console, which has no terminal to say why: the login says it, code in place."""
    async with serving(tmp_path) as served, gateway("--server", served.url, real=True) as gw:
        ws = await gw.http.ws_connect(
            f"{gw.url}/ws?width=100&height=30", protocols=("sitroom", "sitroom.code.AAAA-BBBB-CCCC")
        )
        await ws.send_str(json.dumps(["resize", {"width": 100, "height": 30}]))
        shown = ""
        deadline = time.monotonic() + 30
        while "unknown join code" not in ANSI.sub("", shown):
            try:
                msg = await ws.receive(timeout=max(0.01, deadline - time.monotonic()))
            except TimeoutError:
                seen = ANSI.sub("", shown)
                raise AssertionError(f"no refusal shown; the tab shows {seen!r}") from None
            assert msg.type == aiohttp.WSMsgType.BINARY, f"the console ended: {msg}"
            shown += msg.data.decode("utf-8", "replace")
        assert "Join the exercise" in ANSI.sub("", shown)
        await ws.close()
        await eventually(lambda: gw.server.open_sessions == 0, "the console to exit", 20)
