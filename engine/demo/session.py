"""The demo's exercise: a real server on loopback, bot teams, a conductor, the report.

Built the way ``sitroom serve`` builds a server (:func:`engine.net.server.runner.prepare`
and :func:`engine.net.server.app.build_app`), but started inside the caller's event
loop and without printing, so it can share a process with the Textual app that
shows it. The codes file is written beside the log as ``serve`` writes it, so a
second person can join the demo from another terminal (an evaluator, say).

The conductor is one more real client, on the facilitator seat: it starts the
clock (unless asked not to) and, when the exercise ends, however it ends, has the
after-action report written. Reports are ``scoring``'s business, which the
engine does not import: the caller passes the writer in (``sitroom demo`` passes
:func:`tui.demo.report.write_report`), a function from the log's path to
whatever it wrote.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from aiohttp import web
from pydantic import ValidationError

from engine import commands as c
from engine import library
from engine.bots import BotTeams, check_profile_spec, profile_for
from engine.demo.bots import BotEvaluator, BotSeat, BotTeam
from engine.events import DISCUSSION, ENDED, Discussion, Ended
from engine.i18n import _
from engine.net.client import Client
from engine.net.protocol import EventMsg, Incoming, staff_event
from engine.net.server.app import build_app
from engine.net.server.room import Room
from engine.net.server.runner import Prepared, prepare
from engine.net.server.seats import codes_path, format_codes, write_codes
from engine.roster import Roster, roster_from_counts, said_in
from engine.scenario import Scenario, load_file
from engine.scenario.load import LoadResult

R = TypeVar("R")
ReportWriter = Callable[[Path], R]
"""Writes the report of the exercise log at a path; returns what it wrote."""

DEFAULT_SCENARIO = library.default()
"""summit-deepfake, from the scenario library the package carries (found in a tool
install as in a checkout)."""
DEFAULT_SPEED = 10.0
"""Exercise seconds per wall second. At ×10 summit-deepfake's 2 h 30 plays in fifteen
minutes, and its shortest deadline (10 minutes) leaves a minute of real time: enough for
a newcomer to read an inject of a hundred words and choose, with the other views a key
away. At ×30 (until issue 12) that minute was twenty seconds, and the first decision
expired while the newcomer was still reading the welcome. The control room's speed
dialog (F2, x) goes faster or slower at any time."""
LEAD_IN = 60_000
"""The demo skips the quiet opening: the clock starts this long (exercise ms) before the
first scheduled inject, so a newcomer sees one arrive within seconds. Nothing is due
before it, so the jump delivers nothing early; the log records it like any jump."""


class DemoError(Exception):
    """The demo cannot start; the message says why, in the user's terms."""


@dataclass(frozen=True)
class DemoOptions:
    scenario: Path = DEFAULT_SCENARIO
    team: str | None = None
    """The team you play (an id or a role); default: the scenario's first team."""
    name: str = "you"
    speed: float = DEFAULT_SPEED
    log_dir: Path | None = None
    """Where the log, codes and report go; default: a new temporary folder (kept)."""
    autostart: bool = True
    """Start the clock as soon as everyone is connected."""
    bots: str = "mix"
    """Bot profile spec, as for ``sitroom dry-run --profile``."""
    host: str = "127.0.0.1"
    port: int = 0
    program: str = "sitroom"
    """How the join commands in the codes file run sitroom (see ``sitroom serve``)."""


class DemoSession(Generic[R]):
    """One demo exercise: :meth:`start` it in a running loop, :meth:`stop` it at the end.

    ``write_report`` writes the after-action report of the log (in a worker thread,
    when the exercise ends and on :meth:`refresh_report`).
    """

    def __init__(self, options: DemoOptions, write_report: ReportWriter[R]) -> None:
        self.options = options
        self._write_report_of = write_report
        self.scenario, self.roster, loaded = self._load(options)
        self.team = self._pick_team(options.team)
        folder = options.log_dir or Path(tempfile.mkdtemp(prefix="sitroom-demo-"))
        folder.mkdir(parents=True, exist_ok=True)
        self.db = folder / f"{self.scenario.id}.db"
        if self.db.exists() and self.db.stat().st_size > 0:
            raise DemoError(
                _("{path} already exists: choose another --dir, or remove it").format(path=self.db)
            )
        self._prepared: Prepared = prepare(loaded, self.db, self.roster, speed=options.speed)
        self.url = ""
        self.ended = asyncio.Event()
        self.report: R | None = None
        self.report_error = ""
        self.on_report: Callable[[R | None, str], None] | None = None
        """Called on the event loop once the report is written (or failed)."""
        self.bots: list[BotSeat] = []
        self._runner: web.AppRunner | None = None
        self._conductor: Client | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    # ------------------------------------------------------------ preparing

    @staticmethod
    def _load(options: DemoOptions) -> tuple[Scenario, Roster, LoadResult]:
        if not options.scenario.is_file():
            raise DemoError(
                _(
                    "{path}: no such scenario file, and no bundled scenario of that name "
                    "(bundled: {names})"
                ).format(path=options.scenario, names=", ".join(library.names()))
            )
        bad = check_profile_spec(options.bots)
        if bad:
            raise DemoError(bad)
        if not 0 < options.speed <= 3600:
            raise DemoError(_("--speed must be above 0 and at most 3600"))
        loaded = load_file(options.scenario)
        if not loaded.ok:
            first = loaded.problems[0].format() if loaded.problems else _("invalid")
            raise DemoError(_("the scenario has problems: {first}").format(first=first))
        scenario = loaded.require()
        return scenario, roster_from_counts(scenario, 1), loaded

    def _pick_team(self, wanted: str | None) -> str:
        teams = self.roster.teams
        if wanted is None:
            return teams[0].id
        for team in teams:
            if wanted in (team.id, team.role):
                return team.id
        names = ", ".join(t.id for t in teams)
        raise DemoError(
            _("no team {team!r} in {scenario}: choose one of {names}").format(
                team=wanted, scenario=self.scenario.id, names=names
            )
        )

    @property
    def codes(self) -> dict[str, str]:
        return self._prepared.codes

    @property
    def team_code(self) -> str:
        return self.codes[f"team:{self.team}"]

    @property
    def facilitator_code(self) -> str:
        return next(code for key, code in self.codes.items() if key.startswith("facilitator:"))

    @property
    def team_name(self) -> str:
        seat = self.roster.get(self.team)
        return seat.name if seat is not None else self.team

    def read_in(self, lang: str) -> tuple[Scenario, str]:
        """The scenario and the player's team name as a player who reads ``lang`` meets
        them: in ``lang`` when the scenario is written in it, else as played."""
        read = self.room.translations.others.get(lang)  # read once, when the room opened
        if read is None:
            return self.scenario, self.team_name
        seat = said_in(self.roster, [self.scenario], read).get(self.team)
        return read, seat.name if seat is not None else self.team

    @property
    def bot_teams(self) -> list[str]:
        return [t.id for t in self.roster.teams if t.id != self.team]

    @property
    def room(self) -> Room:
        """The server's room (for tests that look inside)."""
        return self._prepared.room

    # ------------------------------------------------------------ running

    async def start(self, consoles: Sequence[Client] = ()) -> None:
        """Serve, then play (both steps below)."""
        await self.start_server()
        self.start_play(consoles)

    async def start_server(self) -> None:
        """Listen on loopback and write the codes file beside the log."""
        room = self._prepared.room
        runner = web.AppRunner(build_app(room), handle_signals=False, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, self.options.host, self.options.port)
        try:
            await site.start()
        except OSError as exc:
            await runner.cleanup()
            raise DemoError(
                _("cannot listen on port {port}: {error}").format(
                    port=self.options.port, error=exc.strerror or exc
                )
            ) from None
        self._runner = runner
        port = next(a for a in runner.addresses if isinstance(a, tuple))[1]
        self.url = room.url = f"http://{self.options.host}:{port}"
        room.program = self.options.program
        lines = format_codes(
            room.seats, self.codes, self.url, self.scenario.title, self.options.program
        )
        write_codes(codes_path(self.db), lines)

    def start_play(self, consoles: Sequence[Client] = (), go: asyncio.Event | None = None) -> None:
        """Connect the bots and the conductor; returns at once.

        The clock starts once the bots and ``consoles`` (the app's clients) have
        joined, so every console sees the exercise live from its first second, and
        once ``go`` is set, when one is given: the app sets it when the newcomer has
        read the welcome, so no deadline runs while it is on screen.
        """
        profiles = {t: profile_for(i, self.options.bots) for i, t in enumerate(self.bot_teams)}
        planner = BotTeams(self.scenario, self.scenario.seed, profiles, evaluator=False)
        grader = BotTeams(self.scenario, self.scenario.seed, profiles, evaluator=True)
        clients: list[Client] = []

        def play(bot: BotSeat, code: str, name: str) -> None:
            client = Client(self.url, code, name, on_message=bot.on_message, heartbeat=None)
            bot.start(client)
            self.bots.append(bot)
            clients.append(client)

        for team in profiles:
            play(BotTeam(team, planner), self.codes[f"team:{team}"], f"{team} bot")
        evaluator = next((v for k, v in self.codes.items() if k.startswith("evaluator:")), None)
        if evaluator is not None:
            play(BotEvaluator(grader), evaluator, "evaluator bot")
        self._conductor = Client(
            self.url, self.facilitator_code, "demo", on_message=self._conduct, heartbeat=None
        )
        if self.options.autostart:
            self._spawn(self._start_clock([*consoles, *clients], go))
        else:
            self._conductor.start()

    async def _start_clock(self, clients: list[Client], go: asyncio.Event | None) -> None:
        assert self._conductor is not None
        await self._conductor.wait_joined(10)
        await asyncio.gather(*(client.wait_joined(10) for client in clients))
        if go is not None:
            await go.wait()
        if self._prepared.room.exercise.status != "ready":
            return
        await self._conductor.send(c.Start())
        first = self.first_inject_at()
        if first is not None and first > LEAD_IN:
            await self._conductor.send(c.Jump(to=first - LEAD_IN))

    def first_inject_at(self) -> int | None:
        """When the first scheduled inject is due (ms), if any is scheduled by time."""
        times = [i.at for i in self.scenario.injects if i.at is not None and not i.contingency]
        return min(times) if times else None

    def _conduct(self, msg: Incoming) -> None:
        if isinstance(msg, EventMsg) and msg.kind == DISCUSSION:
            self._spawn(self._resume_after(msg))
            return
        if not isinstance(msg, EventMsg) or msg.kind != ENDED or self.ended.is_set():
            return
        try:
            ended = isinstance(staff_event(msg).body, Ended)
        except ValidationError:
            return
        if ended:
            self.ended.set()
            self._spawn(self._write_report())

    async def _resume_after(self, msg: EventMsg) -> None:
        """A module's discussion: the conductor, as a facilitator would, resumes play
        after its suggested minutes (at the demo's speed), unless someone resumed it
        already from the control room."""
        try:
            body = staff_event(msg).body
        except ValidationError:
            return
        if not isinstance(body, Discussion):
            return
        ex = self._prepared.room.exercise
        await asyncio.sleep(body.minutes * 60 / max(ex.speed, 1e-3))
        if ex.status == "paused" and ex.now == msg.t and self._conductor is not None:
            await self._conductor.send(c.Resume())

    async def _write_report(self) -> None:
        try:
            self.report = await asyncio.to_thread(self._write_report_of, self.db)
            self.report_error = ""
        except Exception as exc:  # the demo goes on; the message says what failed
            self.report_error = f"the report could not be written: {exc}"
        if self.on_report is not None:
            self.on_report(self.report, self.report_error)

    async def refresh_report(self) -> R:
        """Write the report again from the log as it is now (after late grades, say)."""
        report = await asyncio.to_thread(self._write_report_of, self.db)
        self.report = report
        return report

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def stop(self) -> None:
        """Close every client, then the server (which closes the log)."""
        for task in list(self._tasks):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await asyncio.gather(*(bot.close() for bot in self.bots), return_exceptions=True)
        if self._conductor is not None:
            await self._conductor.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
