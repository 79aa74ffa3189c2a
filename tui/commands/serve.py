"""``sitroom serve``: run a live exercise server and print the join codes."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from engine.eventlog import LogError
from engine.i18n import _
from engine.net.server.runner import prepare, serve, tls_context
from engine.roster import RosterError
from engine.scenario import load_file
from tui.commands.common import fail, print_problems, program, scenario_arg
from tui.commands.dryrun import pick_roster
from tui.commands.options import SCENARIO, TEAMS, inherit


def add_arguments(parser: argparse.ArgumentParser) -> None:
    inherit(parser, SCENARIO)
    parser.add_argument(
        "--db", required=True, metavar="DB", help=_("the event log (created, or resumed)")
    )
    inherit(parser, TEAMS)
    parser.add_argument(
        "--host", default="127.0.0.1", help=_("address to listen on (default 127.0.0.1)")
    )
    parser.add_argument(
        "--port", type=int, default=8470, help=_("port (default 8470; 0: any free)")
    )
    parser.add_argument("--cert", metavar="PEM", help=_("TLS certificate (serve https/wss)"))
    parser.add_argument("--key", metavar="PEM", help=_("TLS private key"))
    parser.add_argument(
        "--resume",
        action="store_true",
        help=_("continue the exercise in --db after a stop or crash"),
    )
    parser.add_argument(
        "--speed", type=float, help=_("exercise seconds per wall second (default 1)")
    )
    parser.add_argument(
        "--facilitators", type=int, default=1, metavar="N", help=_("facilitator seats")
    )
    parser.add_argument(
        "--track",
        action="append",
        default=[],
        type=track_arg,
        metavar="SEAT=TRACK,…",
        help=_(
            "give a controller (facilitator seat: control-1, …) sim cell tracks: roles or "
            "tags whose questions come first on its console (repeat per controller)"
        ),
    )
    parser.add_argument("--evaluators", type=int, default=1, metavar="N", help=_("evaluator seats"))
    parser.add_argument("--observers", type=int, default=1, metavar="N", help=_("observer seats"))
    parser.add_argument(
        "--walls", type=int, default=1, metavar="N", help=_("wall seats (the room's projector)")
    )
    parser.add_argument("--quiet", "-q", action="store_true", help=_("do not print the codes"))
    parser.add_argument(
        "--log-level", default="info", choices=("debug", "info", "warning", "error")
    )


def track_arg(text: str) -> tuple[str, list[str]]:
    """``control-1=soc,legal`` as (seat, tracks)."""
    seat, sep, tracks = text.partition("=")
    names = [t.strip() for t in tracks.split(",") if t.strip()]
    if not sep or not seat.strip() or not names:
        raise argparse.ArgumentTypeError(
            _("{text!r}: write SEAT=TRACK,…, e.g. {example}").format(
                text=text, example="control-1=soc,legal"
            )
        )
    return seat.strip(), names


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(
        level=getattr(logging, args.log_level.upper()),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    loaded = load_file(scenario_arg(args))
    if not loaded.ok:
        print_problems(loaded.problems)
        return 1
    scenario = loaded.require()
    if bool(args.cert) != bool(args.key):
        return fail(_("--cert and --key go together"))
    if args.resume and (args.teams or args.roster):
        print(
            "sitroom: "
            + _("--resume uses the teams recorded in the log; --teams/--roster ignored"),
            file=sys.stderr,
        )
    try:
        roster = pick_roster(scenario, args.teams, args.roster)
    except RosterError as exc:
        print_problems(exc.problems)
        return 1
    if not args.resume and Path(args.db).exists() and Path(args.db).stat().st_size > 0:
        return fail(
            _("{db} already exists: resume it with --resume, or choose another --db").format(
                db=args.db
            )
        )
    try:
        tls = tls_context(
            Path(args.cert) if args.cert else None, Path(args.key) if args.key else None
        )
    except (OSError, ValueError) as exc:
        return fail(_("cannot load the TLS certificate: {error}").format(error=exc))
    try:
        prepared = prepare(
            loaded,
            args.db,
            roster,
            resume=args.resume,
            speed=args.speed,
            facilitators=args.facilitators,
            evaluators=args.evaluators,
            observers=args.observers,
            walls=args.walls,
            tracks=dict(args.track),
        )
    except (LogError, ValueError) as exc:
        return fail(str(exc))
    return asyncio.run(
        serve(
            prepared,
            host=args.host,
            port=args.port,
            tls=tls,
            print_codes=not args.quiet,
            program=program(),
        )
    )
