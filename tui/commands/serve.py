"""``sitroom serve``: run a live exercise server and print the join codes."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from engine.eventlog import LogError
from engine.roster import RosterError
from engine.scenario import load_file
from engine.server.runner import prepare, serve, tls_context
from tui.commands.common import fail, print_problems
from tui.commands.dryrun import pick_roster


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(
        level=getattr(logging, args.log_level.upper()),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    loaded = load_file(args.file)
    if not loaded.ok:
        print_problems(loaded.problems)
        return 1
    scenario = loaded.require()
    if bool(args.cert) != bool(args.key):
        return fail("--cert and --key go together")
    if args.resume and (args.teams or args.roster):
        print(
            "sitroom: --resume uses the teams recorded in the log; --teams/--roster ignored",
            file=sys.stderr,
        )
    try:
        roster = pick_roster(scenario, args.teams, args.roster)
    except RosterError as exc:
        print_problems(exc.problems)
        return 1
    if not args.resume and Path(args.db).exists() and Path(args.db).stat().st_size > 0:
        return fail(f"{args.db} already exists: resume it with --resume, or choose another --db")
    try:
        tls = tls_context(
            Path(args.cert) if args.cert else None, Path(args.key) if args.key else None
        )
    except (OSError, ValueError) as exc:
        return fail(f"cannot load the TLS certificate: {exc}")
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
        )
    except LogError as exc:
        return fail(str(exc))
    return asyncio.run(
        serve(prepared, host=args.host, port=args.port, tls=tls, print_codes=not args.quiet)
    )
