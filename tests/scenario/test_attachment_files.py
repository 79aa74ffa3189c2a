"""Attachments that are files beside the scenario (issue 16): checked by the loader,
described (sha256, size, kind) in the text the log keeps, served by the exercise
server by their hash, and a scenario text from a log needs no file."""

from __future__ import annotations

import hashlib
import os
import struct
import wave
import zlib
from pathlib import Path

import pytest
import yaml
from aiohttp.test_utils import TestClient, TestServer

from engine.net.client import Client, FileUnavailable, files_url
from engine.net.server.app import build_app
from engine.net.server.files import FileStore
from engine.net.server.runner import prepare
from engine.roster import roster_from_counts
from engine.scenario import load_bytes, load_file
from engine.scenario.attachfiles import served_files
from engine.views import inject_for_team
from tests.engine.test_dryrun_cli import sitroom
from tests.scenario.test_library import merged, readme_examples

HEAD = """\
# A scenario with files (the leading comment is kept in the log's text)
id: files
title: Files
duration: 1h
teams: [{id: t, name: T}]
actors: [{id: x, name: X}]
injects:
  - id: I1
    at: 1m
    to: all
    channel: email
    from: x
    title: The still
    attachments:
"""


def png() -> bytes:
    """A real 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def write_wav(path: Path) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * 800)


def folder(tmp_path: Path, attachments: str) -> Path:
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "still.png").write_bytes(png())
    write_wav(tmp_path / "media" / "voice.wav")
    (tmp_path / "excerpt.log").write_text("10:02 agent called delete_all()\n", encoding="utf-8")
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(HEAD + attachments, encoding="utf-8")
    return scenario


GOOD = """\
      - {name: Leaked still, file: media/still.png, text: 'A man at a podium, eyes closed'}
      - {name: Voice message, file: media/voice.wav, text: Half a second of silence}
      - {name: Log excerpt, file: excerpt.log}
      - {name: Memo, text: Written here}
"""


def test_files_are_described_and_the_logged_text_needs_no_file(tmp_path: Path) -> None:
    loaded = load_file(folder(tmp_path, GOOD))
    assert loaded.ok, [p.format() for p in loaded.problems]
    still, voice, log, memo = loaded.require().injects[0].attachments
    assert (still.media, still.size, still.sha256) == (
        "image",
        len(png()),
        hashlib.sha256(png()).hexdigest(),
    )
    assert voice.media == "audio" and voice.content is None
    assert log.media == "text" and log.content == "10:02 agent called delete_all()\n"
    assert memo.file is None and memo.sha256 is None
    # What the preview watches: the attachment files too.
    assert {tmp_path / "media" / "still.png", tmp_path / "excerpt.log"} <= set(loaded.files)
    # The text the log keeps says all of it, comment first, and loads without the folder.
    assert loaded.text.startswith("# A scenario with files")
    assert still.sha256 is not None and still.sha256 in loaded.text
    again = load_bytes(loaded.text, "from the log")
    assert again.ok and again.require() == loaded.require() and again.folder is None
    # What a team receives describes the file, with its name.
    shown = inject_for_team(loaded.require(), loaded.require().injects[0]).attachments
    assert (shown[0].filename, shown[0].kind_text()) == ("still.png", "image, 69 B")
    assert shown[2].shown_text.startswith("10:02")


def test_a_changed_file_changes_the_scenario_hash(tmp_path: Path) -> None:
    path = folder(tmp_path, GOOD)
    before = load_file(path).sha256
    (tmp_path / "excerpt.log").write_text("10:02 agent called delete_none()\n", encoding="utf-8")
    assert load_file(path).sha256 != before


def test_a_scenario_without_files_keeps_its_own_text(tmp_path: Path) -> None:
    path = folder(tmp_path, "      - {name: Memo, text: Written here}\n")
    loaded = load_file(path)
    assert loaded.ok and loaded.text == path.read_text(encoding="utf-8")


def _problems(tmp_path: Path, entry: str) -> list[str]:
    loaded = load_file(folder(tmp_path, f"      - {{name: A, file: {entry}}}\n"))
    assert not loaded.ok
    return [p.format() for p in loaded.problems]


@pytest.mark.parametrize(
    ("entry", "says"),
    [
        ("media/missing.png", "cannot read 'media/missing.png'"),
        ("media/stil.png", "(did you mean 'media/still.png'?)"),
        ("../outside.png", "outside the scenario's folder"),
        ("/etc/passwd.txt", "write a path relative"),
        ("media", "not a kind of file"),
        ("notes.svg", "not a kind of file"),
        ('"media/still\\u0007.png"', "no control characters"),
        ("fake.png", "is not an image file"),
        ("voicemail.mp3", "'voicemail.mp3' is a WAV file (.wav), whatever its name says"),
        ("still.wav", "is a PNG file (.png)"),
        ("big.txt", "at most 64 KiB"),
        ("latin1.txt", "is not UTF-8 text"),
        ("dir.txt", "is not a regular file"),
    ],
)
def test_bad_files_are_errors_at_their_line(tmp_path: Path, entry: str, says: str) -> None:
    (tmp_path / "outside.png").write_bytes(png())
    sub = tmp_path / "s"
    sub.mkdir()
    (sub / "fake.png").write_text("not a picture", encoding="utf-8")
    (sub / "voicemail.mp3").write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt ")
    (sub / "still.wav").write_bytes(png())
    (sub / "big.txt").write_text("x" * (64 * 1024 + 1), encoding="utf-8")
    (sub / "latin1.txt").write_bytes("café".encode("latin-1"))
    (sub / "dir.txt").mkdir()
    problems = _problems(sub, entry)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{sub / 'scenario.yaml'}:15:25:") and says in problems[0]


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    (problem,) = _problems(tmp_path, "pipe.txt")
    assert "not a regular file" in problem


def test_text_without_its_folder_cannot_name_a_file() -> None:
    loaded = load_bytes(HEAD + "      - {name: A, file: still.png}\n", "pasted.yaml")
    (problem,) = [p.format() for p in loaded.problems]
    assert "load the scenario from its file" in problem


async def test_the_server_serves_each_file_by_its_hash_and_nothing_else(tmp_path: Path) -> None:
    big = png() + bytes(range(256)) * 1200  # 300 KB: what a real picture weighs
    scenario_path = folder(tmp_path, GOOD)
    (tmp_path / "media" / "still.png").write_bytes(big)
    loaded = load_file(scenario_path)
    scenario = loaded.require()
    prepared = prepare(loaded, tmp_path / "x.db", roster_from_counts(scenario, 1))
    still = scenario.injects[0].attachments[0]
    assert still.sha256 is not None and still.size == len(big)
    async with TestClient(TestServer(build_app(prepared.room))) as client:
        got = await client.get(f"/files/{still.sha256}")
        assert got.status == 200 and await got.read() == big
        assert got.headers["Content-Type"] == "image/png"
        assert got.headers["X-Content-Type-Options"] == "nosniff"
        unknown = await client.get(f"/files/{hashlib.sha256(b'other').hexdigest()}")
        assert unknown.status == 404
        assert (await client.get("/files/../../etc/passwd")).status == 404
        # The consoles' client fetches it whole, the same way, and checks what it got.
        console = Client(str(client.make_url("/")), code="unused")
        assert await console.fetch_file(still.sha256) == big
        with pytest.raises(FileUnavailable, match="no such file"):
            await console.fetch_file(hashlib.sha256(b"other").hexdigest())
        # Changed on disk since (or swapped for a link): still what was delivered.
        (tmp_path / "media" / "still.png").write_bytes(b"\x89PNG\r\n\x1a\nnot the same")
        assert await console.fetch_file(still.sha256) == big
    # A server started on the changed file does not serve it as what was shown.
    assert still.sha256 not in served_files(scenario, tmp_path)
    voice = scenario.injects[0].attachments[1]
    assert voice.sha256 is not None
    changed = FileStore(served_files(scenario, tmp_path))
    (tmp_path / "media" / "voice.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEother")
    assert await changed.get(voice.sha256) is None


def test_files_url_keeps_a_proxys_path() -> None:
    sha = "0" * 64
    assert files_url("http://h:8470", sha) == f"http://h:8470/files/{sha}"
    assert files_url("wss://h/room2/ws", sha) == f"https://h/room2/files/{sha}"
    assert files_url("h:8470", sha) == f"http://h:8470/files/{sha}"


def test_the_report_lists_what_each_delivered_inject_carried(tmp_path: Path) -> None:
    path = folder(tmp_path, GOOD)
    db = tmp_path / "x.db"
    assert sitroom("dry-run", str(path), "--teams", "2", "--log", str(db)).returncode == 0
    report = sitroom("report", str(db)).stdout
    digest = hashlib.sha256(png()).hexdigest()[:16]
    assert f"| I1 | Leaked still | image, 69 B | {digest} |" in report
    assert "| I1 | Memo | text |" in report


def test_the_guides_attachment_example_validates(tmp_path: Path) -> None:
    """The authoring guide's example, laid over its first scenario, with the files it
    names written beside it, has no problem at all."""
    examples = readme_examples()
    base = yaml.safe_load(examples[0][1])
    (block,) = [b for _, b in examples if "file: media/still.png" in b]
    text = yaml.safe_dump(merged(base, yaml.safe_load(block)), sort_keys=False)
    (tmp_path / "media").mkdir()
    (tmp_path / "evidence").mkdir()
    (tmp_path / "media" / "still.png").write_bytes(png())
    (tmp_path / "media" / "voicemail.mp3").write_bytes(b"ID3\x04\x00\x00\x00\x00\x00\x00")
    (tmp_path / "evidence" / "gateway.log").write_text("09:58 GET /\n", encoding="utf-8")
    (tmp_path / "scenario.yaml").write_text(text, encoding="utf-8")
    loaded = load_file(tmp_path / "scenario.yaml")
    assert [p.format() for p in loaded.problems] == []
    inject = next(i for i in loaded.require().injects if i.attachments)
    assert [a.media for a in inject.attachments] == ["image", "audio", "text"]


def test_the_msel_round_trip_keeps_the_files_as_written(tmp_path: Path) -> None:
    """The sheet names each file as the planner wrote it (no hash, no text copied): an
    import beside the files validates, also after a file was edited since the export,
    and exports the same sheet again."""
    path = folder(tmp_path, GOOD)
    sheet = sitroom("msel", "export", str(path), "-o", str(tmp_path / "msel.csv"))
    assert sheet.returncode == 0, sheet.stderr
    text = (tmp_path / "msel.csv").read_text(encoding="utf-8")
    assert "media/still.png" in text and "sha256" not in text and "delete_all" not in text
    (tmp_path / "excerpt.log").write_text("edited since the export\n", encoding="utf-8")
    back = tmp_path / "back.yaml"
    imported = sitroom("msel", "import", "-q", str(tmp_path / "msel.csv"), "-o", str(back))
    assert imported.returncode == 0, imported.stderr
    loaded = load_file(back)
    assert loaded.ok and loaded.require().injects[0].attachments[2].content == (
        "edited since the export\n"
    )
    again = sitroom("msel", "export", str(back))
    assert again.stdout == text


def test_content_is_never_given_for_a_picture(tmp_path: Path) -> None:
    path = folder(tmp_path, "      - {name: A, file: media/still.png, content: 'the words'}\n")
    (problem,) = [p.format() for p in load_file(path).problems]
    assert "content is filled in from a text file" in problem
