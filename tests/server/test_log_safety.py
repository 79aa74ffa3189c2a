"""The server and its log files: one server per log, owner-only files, a codes file that
no planted symlink redirects, and a full disk met with a clear refusal, not a silent death."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from engine.eventlog import EventLog, LogError
from engine.net.server.runner import prepare
from engine.net.server.seats import HEADER_KEY, codes_path, write_codes
from engine.roster import roster_from_counts
from engine.scenario import load_file
from tests.engine.fs_faults import fill, small_disk
from tests.server.conftest import (
    FIXTURE,
    ROOT,
    Raw,
    ServerProcess,
    joined_raw,
    server_process,
    serving,
)

NOTE = {"type": "team_note", "text": "x"}


def serve_args(db: Path, port: int, *extra: str) -> list[str]:
    """``sitroom serve`` on ``db`` (with ``--resume`` among ``extra``: the log's teams)."""
    teams = [] if "--resume" in extra else ["--teams", "2"]
    return [
        sys.executable, "-m", "tui.cli", "serve", str(FIXTURE), "--db", str(db),
        "--port", str(port), *teams, "--quiet", *extra,
    ]  # fmt: skip


async def note(conn: Raw, mid: str, text: str = "x") -> dict[str, object]:
    await conn.send({"type": "command", "id": mid, "command": {**NOTE, "text": text}})
    return await conn.reply_to(mid, timeout=10)


# ------------------------------------------------------------------ one server per log


async def test_a_second_server_on_a_live_log_refuses_to_start(tmp_path: Path) -> None:
    async with server_process(tmp_path) as server:
        db = tmp_path / "exercise.db"
        assert server.proc is not None
        second = await asyncio.to_thread(
            subprocess.run,
            serve_args(db, server.port + 1, "--resume"),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 1
        lines = (second.stdout + second.stderr).strip().splitlines()
        assert len(lines) == 1, lines
        assert f"pid {server.proc.pid} on {socket.gethostname()}" in lines[0]
        assert "in use" in lines[0]
        report = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "tui.cli", "report", str(db)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert report.returncode == 0, report.stderr  # a reader needs no lock
        async with contextlib.AsyncExitStack() as stack:  # the first server is unharmed
            conn = await joined_raw(stack, server.url, server.codes()["team:a-01"], "amira")
            assert (await note(conn, "after"))["type"] == "ack"


async def test_a_server_killed_with_sigkill_leaves_no_lock_behind(tmp_path: Path) -> None:
    async with server_process(tmp_path) as server:
        await server.kill()
        await server.start(resume=True)
        assert any("resumed, paused" in line for line in server.output)


# ------------------------------------------------------------------ files


def test_write_codes_never_follows_a_planted_symlink(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("mine\n")
    path = tmp_path / "exercise.db.codes"
    Path(str(path) + ".tmp").symlink_to(victim)
    write_codes(path, ["# codes", "team\ta\tA\tCODE\tcmd"])
    assert victim.read_text() == "mine\n"
    assert not path.is_symlink()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text() == "# codes\nteam\ta\tA\tCODE\tcmd\n"
    path.unlink()
    path.symlink_to(victim)  # a planted final name is replaced, not written through
    write_codes(path, ["# again"])
    assert victim.read_text() == "mine\n" and not path.is_symlink()
    assert path.read_text() == "# again\n"


async def test_a_server_creates_every_file_owner_only_and_follows_no_symlink(
    tmp_path: Path,
) -> None:
    victim = tmp_path / "victim"
    Path(str(tmp_path / "exercise.db.codes") + ".tmp").symlink_to(victim)
    old = os.umask(0o022)
    try:
        async with server_process(tmp_path) as server:
            assert server.codes()
            modes = {
                p.name: stat.S_IMODE(p.lstat().st_mode)
                for p in tmp_path.iterdir()
                if p.name.startswith("exercise.db") and not p.is_symlink()
            }
    finally:
        os.umask(old)
    assert not victim.exists()
    names = {"exercise.db", "exercise.db-wal", "exercise.db-shm", "exercise.db.lock"}
    assert names | {"exercise.db.codes"} <= set(modes)
    assert modes == dict.fromkeys(modes, 0o600)


def test_a_damaged_seats_header_is_refused_on_resume(tmp_path: Path) -> None:
    loaded = load_file(FIXTURE)
    roster = roster_from_counts(loaded.require(), "2")
    db = tmp_path / "exercise.db"
    prepare(loaded, db, roster).room.close_log()
    with EventLog.open(db) as log:
        log.set_header(HEADER_KEY, '{"seats": [{"key": 1')
    with pytest.raises(LogError, match="seats"):
        prepare(loaded, db, roster, resume=True)
    with EventLog.open(db):  # the failed resume released the log
        pass


# ------------------------------------------------------------------ a full disk


async def test_a_full_disk_refuses_inputs_with_a_clear_reason(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="sitroom.server")
    async with serving(tmp_path) as served, contextlib.AsyncExitStack() as stack:
        conn = await joined_raw(stack, served.url, served.code("team:a-01"), "amira")
        first = await note(conn, "before")
        assert first["type"] == "ack"
        log = served.room.log
        pages = log._conn.execute("PRAGMA page_count").fetchone()[0]
        log._conn.execute(f"PRAGMA max_page_count = {pages}")
        reply: dict[str, object] = {}
        for i in range(100):
            reply = await note(conn, f"n{i}", "z" * 4000)
            if reply["type"] != "ack":
                break
        assert reply["type"] == "error" and reply["code"] == "unavailable", reply
        assert "disk is full" in str(reply["reason"])
        again = await note(conn, "later")  # refused at once, for the same reason
        assert again["type"] == "error" and "disk is full" in str(again["reason"])
        assert not served.room.failed.is_set()
        await conn.send({"type": "ping", "id": "alive"})
        assert (await conn.reply_to("alive"))["type"] == "ack"
    assert not [r for r in caplog.records if r.exc_info], "no traceback in the server's log"
    critical = [r.getMessage() for r in caplog.records if r.levelno >= logging.CRITICAL]
    assert len(critical) == 1 and "disk is full" in critical[0], critical
    with EventLog.open(tmp_path / "exercise.db", readonly=True) as logged:
        origins = {e.origin for e in logged.events()}
    assert "team:a-01/amira/before" in origins


async def test_a_full_disk_under_a_process_and_its_resume_say_so(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", "1m") as disk:
        server = ServerProcess(FIXTURE, disk / "exercise.db", "2")
        await server.start(timeout=30.0)
        try:
            async with contextlib.AsyncExitStack() as stack:
                conn = await joined_raw(stack, server.url, server.codes()["team:a-01"], "amira")
                assert (await note(conn, "before"))["type"] == "ack"
                fill(disk)
                reply: dict[str, object] = {}
                for i in range(200):
                    reply = await note(conn, f"n{i}", "z" * 4000)
                    if reply["type"] != "ack":
                        break
                assert reply["type"] == "error" and reply["code"] == "unavailable", reply
                assert "disk is full" in str(reply["reason"])
                assert server.proc is not None and server.proc.returncode is None
            output = "\n".join(server.output)
            assert "Traceback" not in output and "cannot rollback" not in output
            assert "disk is full" in output
            await server.kill()
            resumed = await asyncio.to_thread(
                subprocess.run,
                serve_args(disk / "exercise.db", server.port, "--resume"),
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=60,
            )
            lines = (resumed.stdout + resumed.stderr).strip().splitlines()
            assert resumed.returncode == 1, lines
            assert "Traceback" not in "\n".join(lines)
            assert "full" in lines[-1] or "No space" in lines[-1], lines
        finally:
            await server.ensure_stopped()


def test_the_lock_file_names_its_pid_host_and_start(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    loaded = load_file(FIXTURE)
    roster = roster_from_counts(loaded.require(), "2")
    prepared = prepare(loaded, db, roster)
    try:
        held = json.loads(Path(str(db) + ".lock").read_text())
        assert held["pid"] == os.getpid() and held["host"] == socket.gethostname()
        assert held["started"]
    finally:
        prepared.room.close_log()
    assert codes_path(db).name == "x.db.codes"
