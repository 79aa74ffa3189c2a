"""Attachments that are files beside the scenario: checked, hashed, and written into
the scenario text the event log keeps.

An inject's attachment may name a ``file:``: a path relative to the scenario's
folder (the main file's, also for an inject written in an included file), in it or
below. When the scenario is loaded from its file, each such file is:

* checked: a regular file under the scenario's folder (a scenario is shared as a
  folder, and a server must not be led to serve ``../../.ssh/id_ed25519``), no
  control characters in its path, a known kind whose first bytes match its name
  (a ``.png`` that is a text file is an error, not a broken picture in the room),
  at most :data:`MAX_FILE` bytes, and a text file small enough to show inline;
* described: its sha256, size and kind are written into the attachment (and a text
  file's text), so the scenario text the log stores says exactly what was shown,
  a replay or a report on another machine reads no other file, and changing the
  file changes the scenario's hash.

Loaded from a log (no file to read from), the attachment must carry those fields
already; the exercise server serves the files themselves by their sha256 from the
scenario's folder.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Any

from engine.i18n import N_, _
from engine.problems import Problem
from engine.scenario.include import CONTROL, NotRegular, os_reason, read_regular
from engine.scenario.model import Scenario
from engine.scenario.yamlsrc import Located, Path, format_path
from engine.textfile import NotUtf8, utf8_text

FILLED = ("sha256", "size", "media", "content")
"""What the loader writes into a file attachment (a planner writes name, file, text)."""


def as_written(attachment: dict[str, Any]) -> dict[str, Any]:
    """An attachment as a planner writes it, without what the loader filled in (the MSEL
    export: an edited file must not fail its next import for a stale hash)."""
    return {key: value for key, value in attachment.items() if key not in FILLED}


MAX_FILE = 20 * 1024 * 1024
"""Largest attachment file (a voice message or a short video clip fits; a film does not)."""
MAX_TEXT = 64 * 1024
"""Largest text file: shown inline in every console, and kept in the log's scenario text."""


@dataclass(frozen=True, slots=True)
class Kind:
    media: str
    """What the consoles do with it: image, audio, video, pdf or text."""
    mime: str
    """The Content-Type the exercise server sends it with."""
    magic: tuple[tuple[int, bytes], ...] = ()
    """(offset, bytes) signatures, any of which the file must start with (none: text)."""


_JPEG = Kind("image", "image/jpeg", ((0, b"\xff\xd8\xff"),))
_TEXT = Kind("text", "text/plain; charset=utf-8")
KINDS: dict[str, Kind] = {
    ".png": Kind("image", "image/png", ((0, b"\x89PNG\r\n\x1a\n"),)),
    ".jpg": _JPEG,
    ".jpeg": _JPEG,
    ".gif": Kind("image", "image/gif", ((0, b"GIF87a"), (0, b"GIF89a"))),
    ".webp": Kind("image", "image/webp", ((8, b"WEBP"),)),
    ".mp3": Kind("audio", "audio/mpeg", ((0, b"ID3"), (0, b"\xff\xfb"), (0, b"\xff\xf3"))),
    ".wav": Kind("audio", "audio/wav", ((8, b"WAVE"),)),
    ".ogg": Kind("audio", "audio/ogg", ((0, b"OggS"),)),
    ".m4a": Kind("audio", "audio/mp4", ((4, b"ftyp"),)),
    ".mp4": Kind("video", "video/mp4", ((4, b"ftyp"),)),
    ".pdf": Kind("pdf", "application/pdf", ((0, b"%PDF-"),)),
    ".txt": _TEXT,
    ".log": _TEXT,
    ".csv": Kind("text", "text/csv; charset=utf-8"),
    ".md": _TEXT,
    ".json": Kind("text", "application/json"),
}
"""The kinds of file an attachment may be, by name. SVG and HTML are not among them:
a browser runs the scripts they may hold."""


def _close_names(target: FsPath, entry: str) -> list[str]:
    """Files beside a missing ``target`` whose names are close to its own, written as
    the scenario wrote ``entry`` (its folder part as given)."""
    try:
        names = [p.name for p in target.parent.iterdir() if p.is_file()]
    except OSError:
        return []
    found = difflib.get_close_matches(target.name, names, n=1, cutoff=0.75)
    return [os.path.join(os.path.dirname(entry), n) for n in found]


def _starts_as(raw: bytes, kind: Kind) -> bool:
    """Whether ``raw`` starts with one of ``kind``'s signatures."""
    return any(raw[at : at + len(sig)] == sig for at, sig in kind.magic)


_NOT_A = {
    "image": N_("{path!r} is not an image file, whatever its name says"),
    "audio": N_("{path!r} is not an audio file, whatever its name says"),
    "video": N_("{path!r} is not a video file, whatever its name says"),
    "pdf": N_("{path!r} is not a PDF file, whatever its name says"),
    "text": N_("{path!r} is not a text file, whatever its name says"),
}
"""What a file whose first bytes are not of its kind is told, by the kind its name says."""


def kind_of(name: str) -> Kind | None:
    return KINDS.get(os.path.splitext(name)[1].lower())


def resolve_files(
    located: Located, name: str, path: FsPath | None, named: list[FsPath] | None = None
) -> tuple[list[Problem], bool]:
    """Check and describe every file attachment in ``located.data`` (in place), adding
    the path of each file named to ``named`` (what ``sitroom preview`` watches).

    Returns the problems found and whether a file was read (the scenario text must
    then be rewritten with what was found, :func:`engine.scenario.include.resolved_text`).
    """
    problems: list[Problem] = []
    read = False
    injects = located.data.get("injects")
    if not isinstance(injects, list):
        return problems, read
    root = os.path.realpath(path.parent) if path is not None else None
    for i, inject in enumerate(injects):
        attachments = inject.get("attachments") if isinstance(inject, dict) else None
        if not isinstance(attachments, list):
            continue
        for j, attachment in enumerate(attachments):
            if not isinstance(attachment, dict) or attachment.get("file") is None:
                continue
            at: Path = ("injects", i, "attachments", j, "file")
            if root is None or path is None:
                if attachment.get("sha256") is None:
                    problems.append(
                        _problem(
                            located,
                            name,
                            at,
                            _(
                                "a file attachment is read from the scenario's folder: load the "
                                "scenario from its file"
                            ),
                        )
                    )
                continue
            if named is not None and isinstance(attachment["file"], str):
                with contextlib.suppress(ValueError):
                    named.append(FsPath(os.path.normpath(path.parent / attachment["file"])))
            why = _describe(attachment, path.parent, root)
            if why is None:
                read = True
            else:
                problems.append(_problem(located, name, at, why))
    return problems, read


def _describe(attachment: dict[str, Any], folder: FsPath, root: str) -> str | None:
    """Fill the attachment's sha256, size, media (and content); or say what is wrong."""
    entry = attachment["file"]
    if not isinstance(entry, str) or not entry.strip():
        return _("file: a path relative to the scenario, in quotes if need be")
    if CONTROL.search(entry):
        return _("an attachment's path holds no control characters ({path!r})").format(path=entry)
    if os.path.isabs(entry) or entry.startswith("~"):
        return _("{path!r}: write a path relative to the scenario's file").format(path=entry)
    kind = kind_of(entry)
    if kind is None:
        known = ", ".join(sorted(KINDS))
        return _("{path!r}: not a kind of file the consoles show (use one of {kinds})").format(
            path=entry, kinds=known
        )
    try:
        target = FsPath(os.path.normpath(folder / entry))
        real = os.path.realpath(target)
    except (ValueError, OSError) as exc:
        return _("cannot resolve {path!r}: {reason}").format(path=entry, reason=exc)
    if os.path.commonpath([real, root]) != root:
        return _("{path!r} is outside the scenario's folder: only files in it or below").format(
            path=entry
        )
    try:
        raw = read_regular(target, MAX_FILE)
    except NotRegular:
        return _("{path!r} is not a regular file").format(path=entry)
    except (OSError, ValueError) as exc:
        reason = os_reason(exc)
        said = _("cannot read {path!r}: {reason}").format(path=entry, reason=reason)
        close = _close_names(target, entry) if isinstance(exc, FileNotFoundError) else []
        if close:  # a typo: name the file beside it that was meant
            said += " " + _("(did you mean {path!r}?)").format(path=close[0])
        return said
    if raw is None:
        return _("{path!r} is larger than {mib} MiB").format(
            path=entry, mib=MAX_FILE // 1024 // 1024
        )
    if kind.magic and not _starts_as(raw, kind):
        actual = next((ext for ext, k in KINDS.items() if k.magic and _starts_as(raw, k)), None)
        if actual is not None:  # a file of another kind sitroom takes: say which
            return _(
                "{path!r} is a {kind} file ({ext}), whatever its name says: name it with {ext}"
            ).format(path=entry, kind=actual.lstrip(".").upper(), ext=actual)
        return _(_NOT_A[kind.media]).format(path=entry)
    if kind.media != "text" and attachment.get("content") is not None:
        return _("{path!r}: content is filled in from a text file, not given").format(path=entry)
    if kind.media == "text":
        if len(raw) > MAX_TEXT:
            return _(
                "{path!r}: a text attachment is shown inline, so at most {kib} KiB "
                "(cut it, or make it a PDF)"
            ).format(path=entry, kib=MAX_TEXT // 1024)
        try:
            content = utf8_text(raw, entry)
        except NotUtf8 as exc:
            return _(
                "{path!r} is not UTF-8 text (byte {byte} on line {line}): save it as UTF-8"
            ).format(path=entry, byte=exc.hex, line=exc.line)
        if "\x00" in content:
            return _("{path!r} is not text (it holds NUL characters)").format(path=entry)
        attachment["content"] = content
    digest = hashlib.sha256(raw).hexdigest()
    given = attachment.get("sha256")
    if given is not None and given != digest:
        return _("{path!r} has changed: its sha256 is not the one the scenario gives").format(
            path=entry
        )
    attachment.update(sha256=digest, size=len(raw), media=kind.media)
    return None


def _problem(located: Located, name: str, at: Path, text: str) -> Problem:
    file, inner = located.origin(at, name)
    line, col = located.where(at)
    return Problem(file, line, col, format_path(inner), text)


@dataclass(frozen=True, slots=True)
class Served:
    """A file the exercise server hands out, by its sha256."""

    path: FsPath
    name: str
    mime: str


def served_files(scenario: Scenario, folder: FsPath) -> dict[str, Served]:
    """The files the exercise server hands out, by sha256: the scenario's file
    attachments, each checked against the file in ``folder`` now (a file changed since
    the log was written is not served as what was shown)."""
    out: dict[str, Served] = {}
    root = os.path.realpath(folder)
    for inject in scenario.injects:
        for attachment in inject.attachments:
            if attachment.file is None or attachment.sha256 is None:
                continue
            found: dict[str, Any] = {"file": attachment.file, "sha256": attachment.sha256}
            kind = kind_of(attachment.file)
            if kind is None or _describe(found, folder, root) is not None:
                continue
            target = FsPath(os.path.normpath(folder / attachment.file))
            out[attachment.sha256] = Served(target, os.path.basename(attachment.file), kind.mime)
    return out
