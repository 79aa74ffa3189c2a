"""Running a server: open or resume the log, issue codes, serve, shut down gracefully.

:func:`prepare` builds the room from files (a new exercise, or ``resume``: replay
the log, carry on paused). :func:`serve` runs it until SIGTERM or SIGINT, then
shuts down in the order that loses nothing: stop accepting connections, let the
commands in flight reach the log, send every client ``bye`` and close its
socket with a reason, close the log (checkpointed, so the file alone is whole).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import ssl
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from aiohttp import web

from engine import commands as c
from engine.eventlog import EventLog, LogError, os_cause
from engine.events import Event
from engine.exercise import Exercise
from engine.i18n import _, ngettext
from engine.i18n.forms import grouped
from engine.i18n.phrase import said
from engine.net.server.app import build_app
from engine.net.server.files import FileStore
from engine.net.server.room import Room
from engine.net.server.seats import (
    HEADER_KEY,
    SeatBook,
    codes_path,
    format_codes,
    read_codes,
    read_key,
    write_codes,
)
from engine.net.server.settings import ServerSettings
from engine.replay import resume as resume_log
from engine.roster import Roster
from engine.scenario.attachfiles import served_files
from engine.scenario.load import LoadResult
from engine.textfile import NotUtf8


@dataclass
class Prepared:
    room: Room
    codes: dict[str, str]
    """Seat key → code, for every seat whose code is known."""
    resumed: bool = False
    notes: list[str] = field(default_factory=list)
    tracks: dict[str, list[str]] = field(default_factory=dict)
    """Controller seat name → the sim cell tracks given to it at start (``--track``)."""


def prepare(
    loaded: LoadResult,
    db: str | Path,
    roster: Roster,
    *,
    resume: bool = False,
    speed: float | None = None,
    facilitators: int = 1,
    evaluators: int = 1,
    observers: int = 1,
    walls: int = 1,
    settings: ServerSettings | None = None,
    tracks: dict[str, list[str]] | None = None,
) -> Prepared:
    """A room for a new exercise, or for one resumed from its log (raises ``LogError``).

    ``tracks`` gives controllers (facilitator seats) their sim cell tracks: logged as
    ``tracks`` inputs, like a console's, so every control room and a replay read them
    (raises ``ValueError`` for a seat that is no controller or a track no team has).
    """
    scenario = loaded.require()
    notes: list[str] = []
    assigned: list[Event] = []
    if resume:
        log, rebuilt = resume_log(db, expect_sha256=loaded.sha256)
        try:
            exercise = rebuilt.exercise
            seats, codes = _resumed_seats(log, db, notes, facilitators, evaluators, observers)
            assigned = _assign_tracks(exercise, seats, tracks or {})
        except BaseException:
            log.close()
            raise
        first: list[str] = []
        if rebuilt.pending:
            n = len(rebuilt.pending)
            wrote = ngettext(
                "wrote {n} output the crashed server had not logged",
                "wrote {n} outputs the crashed server had not logged",
                n,
            )
            first.append(wrote.format(n=grouped(n)))
        if rebuilt.dropped:
            n = rebuilt.dropped
            dropped = ngettext(
                "dropped {n} damaged event at the end of the log",
                "dropped {n} damaged events at the end of the log",
                n,
            )
            first.append(dropped.format(n=grouped(n)))
        notes[:0] = first
    else:
        seats, codes = SeatBook.issue(
            roster,
            facilitators=facilitators,
            evaluators=evaluators,
            observers=observers,
            walls=walls,
        )
        exercise = Exercise(scenario, roster, scenario.seed)
        # Checked before the log exists: a mistyped --track leaves no file behind.
        assigned = _assign_tracks(exercise, seats, tracks or {})
        log = EventLog.create(
            db,
            scenario_text=loaded.text,
            scenario_sha256=loaded.sha256,
            scenario_name=loaded.name,
            seed=scenario.seed,
            roster=roster,
            extra={HEADER_KEY: seats.to_header()},
        )
    try:
        log.append(assigned)
        if speed is not None and speed != exercise.speed and not exercise.ended:
            outcome = exercise.submit(c.SetSpeed(speed=speed), exercise.now)
            if outcome.ok:
                log.append(exercise.drain())
        room = Room(exercise, log, seats, settings=settings)
        if loaded.folder is not None:
            room.files = FileStore(served_files(scenario, loaded.folder))
        return Prepared(room, codes, resume, notes, dict(tracks or {}))
    except BaseException:
        log.close()
        raise


def _assign_tracks(
    exercise: Exercise, seats: SeatBook, tracks: dict[str, list[str]]
) -> list[Event]:
    """A ``tracks`` input per controller given tracks on the command line, applied; the
    events to log (raises ``ValueError`` naming the first bad seat or track)."""
    events: list[Event] = []
    controllers = seats.controllers()
    for name, given in tracks.items():
        if name not in controllers:
            nobody = _(
                "--track {name}=…: no controller seat {seat} (the facilitator seats are {seats})"
            )
            seat = repr(name)
            raise ValueError(nobody.format(name=name, seat=seat, seats=", ".join(controllers)))
        cmd = c.Tracks(controller=name, tracks=given, by=name)
        outcome = exercise.submit(cmd, exercise.now)
        if not outcome.ok:
            why = _("--track {name}=…: {reason}")
            raise ValueError(why.format(name=name, reason=said(outcome.reason)))
        events.extend(exercise.drain())
    return events


def _resumed_seats(
    log: EventLog,
    db: str | Path,
    notes: list[str],
    facilitators: int,
    evaluators: int,
    observers: int,
) -> tuple[SeatBook, dict[str, str]]:
    """A resumed log's seats and their codes, from the codes file; a seat whose code is
    not there gets a new one (noted). Leaves the seats in the log's header."""
    if HEADER_KEY in log.header:
        try:
            hash_key = read_key(codes_path(db))
        except (OSError, NotUtf8):
            hash_key = None  # said below, where the codes are read
        try:
            seats = SeatBook.from_header(log.header[HEADER_KEY], hash_key)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            damaged = _("{path}: the log's header is damaged: its 'seats' ({error})")
            raise LogError(damaged.format(path=log.path, error=repr(exc))) from None
    else:
        seats, _unused = SeatBook.issue(
            log.roster, facilitators=facilitators, evaluators=evaluators, observers=observers
        )
        log.set_header(HEADER_KEY, seats.to_header())
    try:
        on_file = read_codes(codes_path(db))
    except (OSError, NotUtf8) as exc:
        unread = _("cannot read {path} ({error}): issuing new codes")
        notes.append(unread.format(path=codes_path(db), error=exc))
        on_file = {}
    known = {
        key: code for key, code in on_file.items() if key in seats.seats and seats.opens(key, code)
    }
    missing = [key for key in seats.seats if key not in known]
    if seats.rekeyed and on_file:
        notes.append(_("{path} holds no key for the log's code hashes").format(path=codes_path(db)))
    if missing:
        for key in missing:
            known[key] = seats.reissue(key)
        log.set_header(HEADER_KEY, seats.to_header())
        reissued = ngettext(
            "{n} code was not in {path}: issued a new one (the old one no longer works)",
            "{n} codes were not in {path}: issued new ones (the old ones no longer work)",
            len(missing),
        )
        notes.append(reissued.format(n=grouped(len(missing)), path=codes_path(db)))
    return seats, known


def public_url(host: str, port: int, tls: bool) -> str:
    shown = socket.getfqdn() if host in ("0.0.0.0", "::", "") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"{'https' if tls else 'http'}://{shown}:{port}"


def tls_context(cert: Path | None, key: Path | None) -> ssl.SSLContext | None:
    if cert is None:
        return None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key) if key else None)
    return context


async def serve(
    prepared: Prepared,
    *,
    host: str = "127.0.0.1",
    port: int = 8470,
    tls: ssl.SSLContext | None = None,
    out: TextIO = sys.stdout,
    print_codes: bool = True,
    program: str = "sitroom",
) -> int:
    """Serve until SIGTERM/SIGINT (or the engine fails); returns the exit status."""
    room = prepared.room
    app = build_app(room)
    runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=10.0, access_log=None)
    try:
        await runner.setup()  # the room's start reads the log
    except LogError as exc:
        room.close_log()
        print(f"sitroom: {exc}", file=sys.stderr)
        return 1
    site = web.TCPSite(runner, host, port, ssl_context=tls, backlog=4096)
    try:
        await site.start()
    except OSError as exc:
        await runner.cleanup()
        cause = exc.strerror or str(exc)
        why = _("cannot listen on {host}:{port}: {cause}").format(host=host, port=port, cause=cause)
        print("sitroom: " + why, file=sys.stderr)
        return 1
    bound = port
    for address in runner.addresses:
        if isinstance(address, tuple):
            bound = int(address[1])
            break
    url = public_url(host, bound, tls is not None)
    room.url = url
    room.program = program
    lines = format_codes(room.seats, prepared.codes, url, room.scenario.title, program)
    path = codes_path(room.log.path)
    try:
        write_codes(path, lines)
    except OSError as exc:
        await runner.cleanup()
        cause = os_cause(path, exc)
        why = _("cannot write the codes file: {cause}: fix that, then start again")
        print("sitroom: " + why.format(cause=said(cause)), file=sys.stderr)
        return 1
    for note in prepared.notes:
        print(f"sitroom: {note}", file=out)
    if print_codes:
        for line in lines[2:]:
            print(line.replace("\t", "  "), file=out)
    for name, tracks in prepared.tracks.items():
        covers = _("controller {name} covers {tracks}")
        print(
            "sitroom: " + covers.format(name=name, tracks=", ".join(tracks) or _("no track")),
            file=out,
        )
    # The status lines a person reads at the terminal, in her language, as are the codes
    # file's comments (its rows, which other commands read, are data: the same in both).
    if prepared.resumed:
        state = _("resumed, paused: the facilitator restarts the clock")
    else:
        state = _("ready")
    written = _("codes written to {path} (owner-only)").format(path=path)
    print("sitroom: " + written, file=out)
    serving = _("serving {title} ({state}) on {url}")
    serving = serving.format(title=repr(room.scenario.title), state=state, url=url)
    print("sitroom: " + serving, file=out, flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(room.failed.wait())]
    await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    for waiter in waiters:
        waiter.cancel()
    failed = room.failed.is_set() or room.live.failure is not None
    print("sitroom: " + _("shutting down…"), file=out, flush=True)
    await runner.cleanup()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(sig)
    stopped = _("stopped; log closed at event #{seq}").format(seq=room.hub.last_seq)
    print("sitroom: " + stopped, file=out, flush=True)
    if room.live.failure is not None:
        refused = _(
            "inputs were refused since the log could not be written ({cause}): "
            "fix that, then restart with --resume"
        ).format(cause=said(room.live.failure.cause))
        print("sitroom: " + refused, file=sys.stderr)
    return 1 if failed else 0
