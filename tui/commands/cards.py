"""``sitroom cards LOG.db``: the join cards to print, one a seat, several a sheet.

Read from the log of a server (``sitroom serve`` makes its seats) and the codes
file beside it; written as one HTML page (A4 or Letter) with a QR code a card that
opens the browser console with the code filled in. The page holds every code, so
it is written owner-only, like the codes file, beside the log unless ``--out``
says where.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.eventlog import os_cause
from engine.handouts.cards import CardsError, read_cards
from engine.handouts.page import PAPERS, render
from engine.i18n import _, ngettext
from engine.i18n.forms import grouped
from engine.i18n.phrase import said
from engine.net.server.seats import write_private
from tui.commands.common import fail, say


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "log", metavar="LOG.db", help=_("the log of the exercise server (sitroom serve --db)")
    )
    parser.add_argument(
        "--out",
        "-o",
        metavar="FILE",
        help=_("the page to write (default: LOG.cards.html beside the log; a folder: in it)"),
    )
    parser.add_argument(
        "--paper", choices=tuple(PAPERS), default="a4", help=_("a4 (default) or letter")
    )
    parser.add_argument(
        "--url",
        metavar="BASE",
        help=_(
            "the address people open in a browser (sitroom web's address or --public-url); "
            "default: port 8471 on the server's host"
        ),
    )


def out_path(log: Path, out: str | None) -> Path:
    default = log.with_suffix(".cards.html").name
    if out is None:
        return log.with_name(default)
    target = Path(out)
    return target / default if target.is_dir() else target


def run(args: argparse.Namespace) -> int:
    log = Path(args.log)
    try:
        cards = read_cards(log, args.url)
    except CardsError as exc:
        return fail(str(exc))
    target = out_path(log, args.out)
    try:
        write_private(target, render(cards, args.paper))
    except OSError as exc:
        why = _("cannot write the cards: {error}")
        return fail(why.format(error=said(os_cause(target, exc))))
    for note in cards.notes:
        say("sitroom: " + _("note: {note}").format(note=note), file=sys.stderr)
    paper = PAPERS[args.paper]
    teams = sum(1 for card in cards.cards if not card.staff)
    # One sentence, its form chosen by the number of cards (English says "cards" for any
    # number, as it always has); the counts of teams and staff need no plural in French.
    wrote = ngettext(
        "wrote {n} cards ({teams} teams, {staff} staff) for {paper} paper, {per_sheet} a "
        "sheet, to {path} (owner-only: it holds every code; print it at 100 %)",
        "wrote {n} cards ({teams} teams, {staff} staff) for {paper} paper, {per_sheet} a "
        "sheet, to {path} (owner-only: it holds every code; print it at 100 %)",
        len(cards.cards),
    )
    say(
        "sitroom: "
        + wrote.format(
            n=grouped(len(cards.cards)),
            teams=grouped(teams),
            staff=grouped(len(cards.cards) - teams),
            paper=paper.name,
            per_sheet=paper.per_sheet,
            path=target,
        )
    )
    return 0
