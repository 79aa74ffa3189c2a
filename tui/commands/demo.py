"""``sitroom demo``: a live exercise on a bundled scenario, bots in the other teams.

The logic lives in :mod:`tui.demo`; this module turns the command line into
:class:`~engine.demo.session.DemoOptions`, runs the app, and says where the log and
the report are once it has closed (the terminal is the user's again by then).
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from engine import library
from engine.demo.session import DEFAULT_SCENARIO, DEFAULT_SPEED, DemoError, DemoOptions
from engine.i18n import _
from tui.commands.common import fail, need_terminal, program
from tui.demo.app import DemoApp, make_demo_app


def options_from(args: argparse.Namespace) -> DemoOptions:
    return DemoOptions(
        scenario=library.resolve(args.scenario) if args.scenario else DEFAULT_SCENARIO,
        team=args.team,
        name=args.name if args.name is not None else _("you"),
        speed=args.speed,
        log_dir=Path(args.dir) if args.dir else None,
        autostart=not args.paused,
        bots=args.bots,
        port=args.port,
        program=program(),
    )


async def _play(app: DemoApp) -> None:
    try:
        await app.run_async()
    finally:
        await app.stop()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--scenario",
        metavar="SCENARIO",
        help=_(
            "a scenario file or a bundled scenario's name (default {name}; "
            "sitroom scenarios lists them)"
        ).format(name=library.DEFAULT),
    )
    parser.add_argument("--team", metavar="TEAM", help=_("the team you play (default: the first)"))
    parser.add_argument("--name", help=_("your name in the exercise (default: you)"))
    parser.add_argument(
        "--speed",
        type=float,
        default=DEFAULT_SPEED,
        help=_(
            "exercise seconds per wall second (default {speed}: 2 h 30 of play in "
            "15 minutes, a 10-minute deadline in one; the clock starts when you close the welcome)"
        ).format(speed=f"{DEFAULT_SPEED:g}"),
    )
    parser.add_argument(
        "--dir",
        metavar="DIR",
        help=_("where the log and the report go (default: a new temp folder)"),
    )
    parser.add_argument(
        "--paused",
        action="store_true",
        help=_("do not start the clock: start it in the control room"),
    )
    parser.add_argument(
        "--bots", default="mix", help=_("bot profiles, as for dry-run (default mix)")
    )
    parser.add_argument(
        "--port", type=int, default=0, help=_("port of the demo's server (default: any free one)")
    )


def run(args: argparse.Namespace) -> int:
    need_terminal("sitroom demo")
    try:
        app = make_demo_app(options_from(args))
    except DemoError as exc:
        return fail(str(exc))
    asyncio.run(_play(app))
    if app.return_code:
        return app.return_code
    session = app.session
    print("sitroom demo: " + _("the exercise log is {path}").format(path=session.db))
    if session.report is not None:
        print(
            "sitroom demo: " + _("after-action report: {path}").format(path=session.report.markdown)
        )
        print(
            "sitroom demo: " + _("the same for a browser: {path}").format(path=session.report.html)
        )
    else:
        print(
            "sitroom demo: "
            + _("write its report with: {command}").format(
                command=f"{program()} report {session.db}"
            )
        )
    return 0
