"""Join codes off the command line: ``SITROOM_CODE``, ``--code-file`` and the prompt.

``ps`` shows every process's arguments to every local user, so a code given with
``--code`` is readable by anyone logged in to the same machine. These tests run
the command line in a child process (what a person runs) and check where the code
was read from by the server's answer: a team's code given to ``facilitate`` is
refused with "this code is for a team", which only a code the server recognised
can produce. Nothing in them passes the code in argv.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pty
import select
import shlex
import signal
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from textual.screen import Screen
from textual.widgets import Input

from engine.net.server.seats import CODE_ENV
from tests.server.conftest import ROOT, Served, serving
from tests.tui.pilots import until
from tui.cli import build_parser
from tui.commands.join import JoinApp, Want, make_join_app
from tui.console.login import LoginScreen
from tui.evaluator.app import EvaluatorScreen
from tui.facilitator.app import FacilitatorScreen

SIZE = (120, 40)
TIMEOUT = 30.0


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[Served]:
    async with serving(tmp_path) as served:
        yield served


async def sitroom(
    *argv: str, env: dict[str, str] | None = None, stdin: bytes | None = None
) -> tuple[int, str]:
    """Run ``sitroom ARGV`` in a child process (no terminal); its exit status and stderr."""
    base = {k: v for k, v in os.environ.items() if k != CODE_ENV}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tui.cli",
        *argv,
        cwd=ROOT,
        stdin=asyncio.subprocess.PIPE if stdin is not None else asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
        env={**base, "PYTHONUNBUFFERED": "1", **(env or {})},
        start_new_session=True,
    )
    try:
        _, err = await asyncio.wait_for(proc.communicate(stdin), TIMEOUT)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise
    assert proc.returncode is not None
    return proc.returncode, err.decode()


def recognised(status: int, err: str, code: str) -> bool:
    """Whether ``facilitate`` was refused because the server recognised a team's code
    (and said so without repeating the code)."""
    assert status == 1, err
    assert "Traceback" not in err, err
    assert code not in err, "the refusal repeats the code"
    return "for a team" in err


async def test_the_code_can_come_from_the_environment(server: Served) -> None:
    code = server.code("team:a-01")
    status, err = await sitroom("facilitate", server.url, env={CODE_ENV: code})
    assert recognised(status, err, code), err


async def test_the_code_can_come_from_a_file(server: Served, tmp_path: Path) -> None:
    code = server.code("team:a-01")
    card = tmp_path / "code.txt"
    card.write_text(f"# my card\n\n  {code}  \n")
    status, err = await sitroom("facilitate", server.url, "--code-file", str(card))
    assert recognised(status, err, code), err
    # The file wins over the environment.
    status, err = await sitroom(
        "facilitate", server.url, "--code-file", str(card), env={CODE_ENV: "WRONG"}
    )
    assert recognised(status, err, code), err


async def test_the_code_can_come_from_standard_input(server: Served) -> None:
    code = server.code("team:a-01")
    status, err = await sitroom(
        "facilitate", server.url, "--code-file", "-", stdin=f"{code}\n".encode()
    )
    assert recognised(status, err, code), err


async def test_a_code_file_that_cannot_serve_says_why(server: Served, tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    status, err = await sitroom("join", server.url, "--code-file", str(missing))
    assert status == 1 and err.startswith(f"sitroom: cannot read the join code from {missing}")
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing here\n\n")
    status, err = await sitroom("join", server.url, "--code-file", str(empty))
    assert status == 1 and "holds no join code" in err, err
    codes = server.db.parent / "exercise.db.codes"
    status, err = await sitroom("join", server.url, "--code-file", str(codes))
    assert status == 1 and "one code" in err, err
    for line in codes.read_text().splitlines():
        if not line.startswith("#"):
            assert line.split("\t")[3] not in err
    status, err = await sitroom("join", server.url, "--code-file", "-", stdin=b"")
    assert status == 1 and "holds no join code" in err, err


async def test_code_and_code_file_together_are_refused(tmp_path: Path) -> None:
    status, err = await sitroom("join", "http://x", "--code", "A", "--code-file", "f")
    assert status == 2 and "not allowed with" in err, err


async def test_code_on_the_command_line_still_works(server: Served) -> None:
    code = server.code("team:a-01")
    status, err = await sitroom("facilitate", server.url, "--code", code)
    assert recognised(status, err, code), err


async def test_code_file_dash_on_a_terminal_prompts_without_echo(server: Served) -> None:
    """``--code-file -`` on a terminal asks for the code as a password prompt does."""
    code = server.code("team:a-01")
    master, slave = os.openpty()
    try:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tui.cli",
            "facilitate",
            server.url,
            "--code-file",
            "-",
            cwd=ROOT,
            stdin=slave,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
            env={k: v for k, v in os.environ.items() if k != CODE_ENV},
            start_new_session=True,
        )
        assert proc.stderr is not None
        prompt = await asyncio.wait_for(proc.stderr.readuntil(b": "), TIMEOUT)
        assert b"join code" in prompt.lower()
        os.write(master, f"{code}\n".encode())
        err = (await asyncio.wait_for(proc.stderr.read(), TIMEOUT)).decode()
        await asyncio.wait_for(proc.wait(), TIMEOUT)
        assert recognised(proc.returncode or 0, err, code), err
        os.set_blocking(master, False)
        try:
            echoed = os.read(master, 4096)
        except (BlockingIOError, OSError):
            echoed = b""
        assert code.encode() not in echoed, "the code was echoed"
    finally:
        os.close(master)
        os.close(slave)


def console_in_a_terminal(shell: str, seen: bytes, timeout: float = TIMEOUT) -> tuple[int, bool]:
    """Run ``shell`` on a new terminal; once ``seen`` shows, press Ctrl+Q. Its exit status
    (-9 if it had to be killed at ``timeout``), and whether ``seen`` showed."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the terminal is its controlling terminal
        os.chdir(ROOT)
        os.execvp("sh", ["sh", "-c", shell])
    out, quit_sent, status = b"", False, None
    deadline = time.monotonic() + timeout
    try:
        while status is None and time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                with contextlib.suppress(OSError):
                    out += os.read(fd, 65536)
            if not quit_sent and seen in out:
                time.sleep(0.5)
                os.write(fd, b"\x11")
                quit_sent = True
                time.sleep(0.5)  # a team console asks first; Ctrl+Q again confirms
                with contextlib.suppress(OSError):
                    os.write(fd, b"\x11")
            done, raw = os.waitpid(pid, os.WNOHANG)
            if done:
                status = os.waitstatus_to_exitcode(raw)
    finally:
        if status is None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            status = -9
        os.close(fd)
    return status, seen in out


async def test_a_piped_code_leaves_the_keyboard_to_the_console(server: Served) -> None:
    """``… | sitroom join URL --code-file -``: the code comes from the pipe, the keys from
    the terminal (Ctrl+Q, twice for a team console that asks, quits it)."""
    code = server.code("team:a-01")
    shell = (
        f"echo {shlex.quote(code)} | {shlex.quote(sys.executable)} -m tui.cli join "
        f"{server.url} --code-file - --name Zed"
    )
    status, shown = await asyncio.to_thread(console_in_a_terminal, shell, b"Inbox")
    assert shown, "the team console did not open"
    assert status == 0


async def test_without_a_code_the_login_screen_asks_for_it(server: Served) -> None:
    args = build_parser().parse_args(["join", server.url])
    app = await make_join_app(args, "join")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LoginScreen), "the login screen")
        box = app.screen.query_one("#code", Input)
        # Shown as typed (issue 12): a code is copied from a card, dots only hide typos.
        assert not box.password
        await until(pilot, lambda: app.focused is box, "the code focused")
        await pilot.press("ctrl+q")


async def test_the_printed_commands_keep_codes_off_the_command_line(
    server: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each command in the codes file (and on ``serve``'s stdout) passes its code in
    ``SITROOM_CODE``, never as an argument, and opens its seat as printed."""
    lines = (server.db.parent / "exercise.db.codes").read_text().splitlines()
    rows = [line.split("\t") for line in lines if not line.startswith("#")]
    assert rows
    screens: dict[str, type[Screen[Any]]] = {"control": FacilitatorScreen, "lead": EvaluatorScreen}
    for _role, seat, _label, code, command in rows:
        words = shlex.split(command)
        assignments = [w for w in words if "=" in w and not w.startswith("-")]
        argv = words[len(assignments) :]
        assert assignments == [f"{CODE_ENV}={code}"], command
        assert argv[0] == "sitroom" and code not in " ".join(argv), command
        if seat in screens:
            monkeypatch.setenv(CODE_ENV, code)
            want: Want = "facilitate" if argv[1] == "facilitate" else "join"
            app = await make_join_app(build_parser().parse_args(argv[1:]), want)
            assert isinstance(app, JoinApp)
            async with app.run_test(size=SIZE) as pilot:

                def up(a: JoinApp = app, s: type[Screen[Any]] = screens[seat]) -> bool:
                    return isinstance(a.screen, s)

                await until(pilot, up, seat)
                await pilot.press("ctrl+q")
