"""One attachment of an inject: written text or a text file shown inline; any other
file (a picture, a voice message, a PDF) described, with a button that opens it.

Opening fetches the file from the exercise server by its sha256 (checked: what
opens is what was delivered) and hands it to Textual's ``deliver_binary``: in a
browser (``sitroom web``) it opens in a new tab, where the browser shows the image,
plays the audio or shows the PDF; in a terminal it is saved in the player's
downloads folder (never over a file already there), and the toast says where.
What a file shows is also said in words (the attachment's ``text``), for whoever
cannot see or hear it.
"""

from __future__ import annotations

import asyncio
import errno
import os
from io import BytesIO
from pathlib import Path

from platformdirs import user_downloads_path
from rich.text import Text
from textual import on, work
from textual.widgets import Button, Static

from engine.i18n import _
from engine.net.client import FileUnavailable
from engine.scenario.attachfiles import kind_of
from engine.views import AttachmentView
from tui.console.safe import TextCollapsible, plain


class AttachmentBox(TextCollapsible):
    """An attachment in the inject view (collapsed when it is only text)."""

    DEFAULT_CSS = """
    AttachmentBox .kind { color: $text-muted; }
    AttachmentBox Button { margin-top: 1; }
    """

    def __init__(self, attachment: AttachmentView) -> None:
        self.attachment = attachment
        children: list[Static | Button] = []
        kind = attachment.kind_text()
        if kind:
            children.append(Static(plain(kind), classes="kind"))
        words = attachment.shown_text.rstrip("\n")
        if words:
            children.append(Static(plain(words)))
        self.openable = attachment.is_file and attachment.content is None
        if self.openable:
            label = Text(_("Open {name}").format(name=attachment.filename or attachment.name))
            children.append(Button(label, classes="open-file"))
        super().__init__(
            *children,
            title=_("Attachment: {name}").format(name=attachment.name),
            collapsed=not self.openable,
        )

    @on(Button.Pressed, ".open-file")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.open_file()

    @work(exclusive=True, group="attachment", exit_on_error=False)
    async def open_file(self) -> None:
        attachment = self.attachment
        link = getattr(self.screen, "link", None)
        if attachment.sha256 is None or link is None:
            self.notify(_("Not connected to the exercise server."), severity="warning")
            return
        name = attachment.filename or attachment.name
        try:
            data = await link.fetch_file(attachment.sha256)
        except FileUnavailable as exc:
            self.notify(
                _("Cannot open {name}: {error}").format(name=name, error=exc), severity="error"
            )
            return
        if self.app.is_web:
            kind = kind_of(name)
            self.app.deliver_binary(
                BytesIO(data),
                save_filename=name,
                open_method="browser",
                mime_type=kind.mime if kind is not None else None,
                # The gateway keeps a delivery whose bytes have this digest, so a media
                # player can fetch it again (tui/web/downloads.py).
                name=attachment.sha256,
            )
            self.notify(_("{name} opens in a new tab of your browser.").format(name=name))
            return
        try:
            saved = await asyncio.to_thread(save_download, data, name)
        except OSError as exc:
            self.notify(
                _("Cannot save {name}: {error}").format(name=name, error=exc.strerror or exc),
                severity="error",
            )
            return
        self.notify(_("{name} saved as {path}: open it from there.").format(name=name, path=saved))


def downloads_folder() -> Path:
    """Where a terminal console saves the files a player opens."""
    return user_downloads_path()


def save_download(data: bytes, name: str) -> Path:
    """Write ``data`` into the downloads folder as ``name`` (``name (2)`` … when taken;
    never over a file of the player's)."""
    folder = downloads_folder()
    folder.mkdir(parents=True, exist_ok=True)
    stem, suffix = os.path.splitext(os.path.basename(name) or "attachment")
    for n in range(1, 1000):
        target = folder / (f"{stem}{suffix}" if n == 1 else f"{stem} ({n}){suffix}")
        try:
            with open(target, "xb") as out:
                out.write(data)
        except FileExistsError:
            continue
        return target
    raise FileExistsError(errno.EEXIST, "too many files of that name", str(folder))
