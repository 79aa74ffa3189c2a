"""Files a browser console delivered, kept a while so the browser may ask for them again.

When a player opens an attachment, the console hands the file to Textual's
``deliver_binary``; textual-serve announces a key, and the browser opens
``/download/KEY`` in a new tab. textual-serve streams that download once, from the
console, and forgets the key. A picture survives that; a recording or a video does
not: the browser's media player asks for the file a second time (and again, by byte
ranges, to seek), finds the key gone, and shows a dead player at 0:00 (seen in
headless Chromium with the library's robocall.wav).

:class:`KeptDownloads` pulls each download from its console once, whole, into
memory, whatever happens to the request that asked first (a browser drops its
first request as soon as it sees a media type), and answers every request for that
key from there for :data:`KEEP_S` seconds, byte ranges included.

* **Only whole files.** textual-serve ends a download the same way whether the
  console sent the last byte or died half-way. The console names each delivery by
  the attachment's sha256 (checked when it fetched it from the exercise server), and
  a file is kept and served only when its bytes have that digest: a cut file is
  never served as a whole one. A delivery without a digest is served once, as
  textual-serve would, and not kept.
* **Bounded.** A file over :data:`MAX_BODY` is not kept (the console only delivers
  checked attachments, at most 20 MiB). Files are kept once per digest however many
  tabs open them, and bytes still arriving count with those kept: past
  :data:`MAX_KEPT` the oldest are dropped first, and a pull that cannot fit is
  abandoned (the tab is told to open the file again).

Keys are textual-serve's random delivery keys, one per opening.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp.helpers import content_disposition_header
from textual_serve.download_manager import DownloadManager

from engine.scenario.attachfiles import MAX_FILE

log = logging.getLogger("sitroom.web")

KEEP_S = 600.0
"""How long a delivered file stays available to its tab (a recording replayed later)."""
MAX_BODY = MAX_FILE + 1024 * 1024
"""Largest file kept (an attachment is at most MAX_FILE; a little room for text files)."""
MAX_KEPT = 256 * 1024 * 1024
"""Bytes kept and arriving at most over every tab; the oldest files go first past it."""
_DIGEST = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class Kept:
    """One delivered file, whole, with the headers every answer for it carries."""

    body: bytes
    content_type: str
    disposition: str
    digest: str | None
    """Its sha256 when the console named one and the bytes matched it (kept); None:
    served once, not kept."""
    at: float
    """When it was pulled (monotonic seconds)."""


class KeptDownloads:
    """Each delivery key's file, pulled once from its console and answered from memory."""

    def __init__(
        self,
        manager: DownloadManager,
        *,
        keep_s: float = KEEP_S,
        max_kept: int = MAX_KEPT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.manager = manager
        self.keep_s = keep_s
        self.max_kept = max_kept
        self.clock = clock
        self._pulls: dict[str, asyncio.Task[Kept | None]] = {}
        self._kept: OrderedDict[str, Kept] = OrderedDict()
        self._bodies: dict[str, tuple[bytes, int]] = {}
        """digest → (the bytes, how many kept keys share them)."""
        self._bytes = 0
        """Bytes of the distinct bodies kept."""
        self._arriving = 0
        """Bytes of pulls under way."""

    async def fetch(self, key: str) -> Kept | None:
        """The file delivered under ``key``, or None when there is none (never delivered,
        expired, too large, or not whole: its console went away before the end)."""
        self._expire()
        kept = self._kept.get(key)
        if kept is not None:
            self._kept.move_to_end(key)
            return kept
        pull = self._pulls.get(key)
        if pull is None:
            try:
                meta = await self.manager.get_download_metadata(key)
            except KeyError:
                return None
            pull = self._pulls.get(key)  # another request may have started it meanwhile
            if pull is None:
                content_type = meta.mime_type
                if meta.encoding:
                    content_type += f"; charset={meta.encoding}"
                disposition = content_disposition_header(
                    "inline" if meta.open_method == "browser" else "attachment",
                    filename=meta.file_name,
                )
                digest = meta.name if meta.name and _DIGEST.fullmatch(meta.name) else None
                pull = asyncio.ensure_future(self._pull(key, content_type, disposition, digest))
                self._pulls[key] = pull
        # Shielded: a browser that drops its request must not cut the pull short for the
        # request it makes next.
        return await asyncio.shield(pull)

    async def _pull(
        self, key: str, content_type: str, disposition: str, digest: str | None
    ) -> Kept | None:
        chunks: list[bytes] = []
        size = 0
        whole = True
        try:
            async for chunk in self.manager.download(key):
                size += len(chunk)
                self._arriving += len(chunk)
                if size > MAX_BODY or not self._room():
                    whole = False  # read on, so the console's delivery ends cleanly
                    chunks.clear()
                elif whole:
                    chunks.append(chunk)
        except Exception:  # textual-serve's stream fails when its console goes silent
            log.warning("download %s failed part-way; the tab may open it again", key)
            return None
        finally:
            self._arriving -= size
            self._pulls.pop(key, None)
        if not whole:
            return None
        body = b"".join(chunks)
        if digest is None:
            return Kept(body, content_type, disposition, None, self.clock())
        if hashlib.sha256(body).hexdigest() != digest:
            log.warning("download %s ended before its last byte; not served", key)
            return None
        kept = Kept(self._share(digest, body), content_type, disposition, digest, self.clock())
        self._kept[key] = kept
        self._evict()
        return kept

    def _room(self) -> bool:
        """Whether what is kept and arriving fits, after dropping the oldest kept files."""
        while self._bytes + self._arriving > self.max_kept and self._kept:
            self._drop(next(iter(self._kept)))
        return self._bytes + self._arriving <= self.max_kept

    def _share(self, digest: str, body: bytes) -> bytes:
        held = self._bodies.get(digest)
        if held is not None:
            self._bodies[digest] = (held[0], held[1] + 1)
            return held[0]
        self._bodies[digest] = (body, 1)
        self._bytes += len(body)
        return body

    def _drop(self, key: str) -> None:
        kept = self._kept.pop(key)
        assert kept.digest is not None
        body, users = self._bodies[kept.digest]
        if users > 1:
            self._bodies[kept.digest] = (body, users - 1)
        else:
            del self._bodies[kept.digest]
            self._bytes -= len(body)

    def _evict(self) -> None:
        while self._bytes + self._arriving > self.max_kept and len(self._kept) > 1:
            self._drop(next(iter(self._kept)))

    def _expire(self) -> None:
        limit = self.clock() - self.keep_s
        for key in [k for k, kept in self._kept.items() if kept.at <= limit]:
            self._drop(key)

    @property
    def kept_bytes(self) -> int:
        return self._bytes
