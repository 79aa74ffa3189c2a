"""Filesystem faults for the log-safety tests: a read-only folder, a full disk, a damaged page.

A read-only folder is a read-only bind mount when the tests run as root (root
ignores permission bits) and ``chmod 0555`` otherwise; a full disk is a small
tmpfs, which needs root: a test that cannot have one is skipped, never faked.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def _run(*args: str) -> bool:
    if shutil.which(args[0]) is None:
        return False
    done = subprocess.run(args, capture_output=True, check=False)
    return done.returncode == 0


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """``folder`` made read-only for the duration (its files stay as they are)."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)
        return
    if not _run("mount", "--bind", str(folder), str(folder)):
        pytest.skip("running as root without a way to mount a read-only folder")
    try:
        if not _run("mount", "-o", "remount,bind,ro", str(folder), str(folder)):
            pytest.skip("cannot remount a folder read-only here")
        yield folder
    finally:
        _run("umount", str(folder))


@contextlib.contextmanager
def small_disk(folder: Path, size: str = "512k") -> Iterator[Path]:
    """A tmpfs of ``size`` mounted on ``folder`` (skips the test when it cannot mount)."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not _run(
        "mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)
    ):
        pytest.skip("a full disk needs a small tmpfs (root, mount)")
    try:
        yield folder
    finally:
        _run("umount", "-l", str(folder))


def fill(folder: Path) -> None:
    """Fill the filesystem of ``folder`` to the last byte."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        for size in (65536, 4096, 512, 1):
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * size)
    finally:
        os.close(fd)


def page_of(db: Path, needle: str) -> int:
    """The number (from 1) of the page of ``db`` that holds ``needle``."""
    with sqlite3.connect(db) as conn:
        page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    data = db.read_bytes()
    at = data.find(needle.encode())
    assert at >= 0, needle
    return at // page_size + 1


def junk_page(db: Path, page: int) -> None:
    """Overwrite page ``page`` of ``db`` (after its first bytes) with junk."""
    with sqlite3.connect(db) as conn:
        page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    with open(db, "r+b") as f:
        f.seek((page - 1) * page_size)
        f.write(b"\xde\xad\xbe\xef" * (page_size // 4))
