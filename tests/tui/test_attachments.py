"""The team console shows an inject's attachments: text inline, a file described with
an Open button that fetches it from the server (checked by its hash) and hands it
to the browser or the player's downloads (issue 16)."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Button, Static

from engine import commands as c
from engine.net.fake import FakeServer
from tests.scenario.test_attachment_files import GOOD, folder, png
from tests.tui.pilots import until
from tests.tui.scripted import M, send
from tui.team.app import TeamScreen, make_team_app
from tui.team.attachment import AttachmentBox

Delivered = list[tuple[bytes, dict[str, Any]]]


def _server(tmp_path: Path) -> tuple[FakeServer, Any]:
    server = FakeServer.from_file(folder(tmp_path, GOOD), 1, wall=lambda: 0.0)
    control = server.link("facilitator:control")
    team = server.link("team:t", "Amira")
    send(server, control, c.Start())
    server.advance_to(2 * M)
    return server, team


async def _open_console(
    tmp_path: Path, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch, *, web: bool
) -> None:
    """``web``: as under ``sitroom web`` (the browser gets the file); else a terminal's
    console saves it in the downloads folder."""
    server, team = _server(tmp_path)
    app = make_team_app(link=team)
    delivered: Delivered = []

    def deliver(file: BytesIO, **options: Any) -> str:
        delivered.append((file.read(), options))
        return "key"

    downloads = tmp_path / "Downloads"
    monkeypatch.setattr("tui.team.attachment.downloads_folder", lambda: downloads)
    monkeypatch.setattr(type(app), "is_web", property(lambda _app: web))
    app.deliver_binary = deliver  # type: ignore[assignment,method-assign]
    async with app.run_test(size=size, notifications=True) as pilot:
        await until(pilot, lambda: isinstance(app.screen, TeamScreen), "the team console")
        screen = app.screen
        assert isinstance(screen, TeamScreen)
        await until(pilot, lambda: screen.query(AttachmentBox), "the attachments")
        boxes = list(screen.query(AttachmentBox))
        assert [b.attachment.name for b in boxes] == [
            "Leaked still",
            "Voice message",
            "Log excerpt",
            "Memo",
        ]
        still, voice, log, memo = boxes
        # Files are open, with what they are and what they show; text stays folded.
        assert not still.collapsed and not voice.collapsed and log.collapsed and memo.collapsed
        words = [str(s.render()) for s in still.query(Static)]
        assert "image, 69 B" in words and "A man at a podium, eyes closed" in words
        assert not log.query(Button) and not memo.query(Button)
        log.collapsed = False
        await pilot.pause()
        assert "10:02 agent called delete_all()" in [str(s.render()) for s in log.query(Static)]
        # The Open button, by keyboard: focus it, press Enter.
        button = still.query_one(Button)
        assert str(button.label) == "Open still.png"
        button.focus()
        await pilot.press("enter")
        if web:
            await until(pilot, lambda: delivered, "the file handed over")
            data, options = delivered[0]
            assert data == png()
            assert options["save_filename"] == "still.png"
            assert options["mime_type"] == "image/png" and options["open_method"] == "browser"
        else:
            await until(pilot, lambda: (downloads / "still.png").exists(), "the file saved")
            assert (downloads / "still.png").read_bytes() == png()
            await until(pilot, lambda: said(app, f"saved as {downloads / 'still.png'}"), "where")
            # Opened again, it never overwrites: a second copy beside the first.
            button.press()
            await until(pilot, lambda: (downloads / "still (2).png").exists(), "a second copy")
            assert not delivered
        # A file the server no longer has is an error that says so, not a crash.
        server.files.clear()
        voice.query_one(Button).press()
        await until(pilot, lambda: said(app, "Cannot open voice.wav"), "the error")
        assert len(delivered) == (1 if web else 0)
        assert not (downloads / "voice.wav").exists()


def said(app: Any, words: str) -> bool:
    return any(words in str(n.message) for n in app._notifications)


async def test_attachments_in_a_terminal_at_80_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _open_console(tmp_path, (80, 24), monkeypatch, web=False)


async def test_attachments_in_a_browser_at_160_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _open_console(tmp_path, (160, 48), monkeypatch, web=True)
