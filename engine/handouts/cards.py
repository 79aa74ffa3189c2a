"""The join cards of an exercise: one a seat, read from the log and its codes file.

The log's header names the seats (and holds only keyed hashes of their codes),
the scenario (its title, the roles' names) and the roster (team names and
members); the codes file beside the log (``LOG.db.codes``, written by ``sitroom
serve`` when it starts, and again on every revoke) holds the codes, the key of
their hashes and the server's address. A card is made only for a code that opens
its seat in the log: a codes file from another log, or an old one, is refused with
the way to get a current one, never printed.

A card's link opens the browser console (``sitroom web``) with the code after
``#``: a fragment never leaves the browser in a request, so the code reaches no
server log or proxy log on the way; the page hands it to its console
(docs/security.md).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from engine.eventlog import EventLog, LogError
from engine.i18n import N_, _, ngettext
from engine.i18n.forms import grouped
from engine.net.protocol import Role
from engine.net.server.seats import HEADER_KEY, SeatBook, codes_path, read_codes_file
from engine.roster import Roster
from engine.scenario.load import load_bytes
from engine.textfile import NotUtf8

GATEWAY_PORT = 8471
"""``sitroom web``'s default port: where browsers are sent when ``--url`` is not given."""
CODE_FRAGMENT = "code"
"""The link's fragment key: ``http://host:8471/#code=7K3M-Q9XD-2HPA``."""

_STAFF_TITLES: dict[str, str] = {
    "facilitator": N_("Facilitator"),
    "evaluator": N_("Evaluator"),
    "observer": N_("Observer"),
    "wall": N_("Wall (projector)"),
}
_STAFF_NOTES: dict[str, str] = {
    "facilitator": N_("Runs the clock and the injects, talks for the outside world."),
    "evaluator": N_("Sees every team's answers and the answer keys: not for players."),
    "observer": N_("Sees every team and the answer keys, read-only: not for players."),
    "wall": N_("The room's projector: shows what the whole room may see, read-only."),
}
_ORDER = ("facilitator", "evaluator", "observer", "wall")


class CardsError(Exception):
    """The cards cannot be made; ``str()`` says why and what to do."""


@dataclass(frozen=True)
class Card:
    """One seat's card. Every text is as people wrote it (escaped when rendered)."""

    seat: str
    """The seat's key (``team:gov-01``, ``evaluator:lead``)."""
    role: Role
    heading: str
    """The team's name, or the staff role ("Evaluator")."""
    detail: str
    """The team's role in the scenario, or the staff seat's name."""
    members: tuple[str, ...]
    note: str
    """For staff: what the seat sees and does (why it is not a player's card)."""
    code: str
    link: str
    """What the QR code opens: the browser console with the code filled in."""
    command: str
    """The terminal alternative (the code is then typed, or set in SITROOM_CODE)."""

    @property
    def staff(self) -> bool:
        return self.role != "team"


@dataclass(frozen=True)
class CardSet:
    title: str
    browser: str
    """The address of the browser consoles (``sitroom web``) the links open."""
    server: str
    """The exercise server's address (for terminals)."""
    cards: tuple[Card, ...]
    notes: tuple[str, ...] = ()
    """Things the person printing should know (an address players cannot reach, say)."""


def join_link(browser: str, code: str) -> str:
    """The browser console's address with ``code`` in its fragment."""
    return f"{browser.rstrip('/')}/#{CODE_FRAGMENT}={code}"


def check_browser_url(text: str) -> str:
    """``text`` as a base address for links (``http(s)://host[:port][/path]``, no query or
    fragment, no trailing slash). Raises :class:`CardsError`."""
    try:
        parts = urlsplit(text.strip())
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.query
        or parts.fragment
        or parts.username
        or any(ch.isspace() for ch in text.strip())
    ):
        raise CardsError(
            _(
                "--url {url}: give the address people open in a browser, "
                "e.g. http://192.168.1.20:8471 (sitroom web's address, or its --public-url)"
            ).format(url=repr(text))
        )
    return text.strip().rstrip("/")


def default_browser(server: str) -> str:
    """Where browsers are sent when no ``--url`` is given: ``sitroom web``'s default port on
    the server's host."""
    parts = urlsplit(server)
    host = parts.hostname or "localhost"
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{GATEWAY_PORT}"


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def read_cards(log_path: str | Path, browser: str | None = None) -> CardSet:
    """Every seat's card, staff first, then the teams in roster order. Raises
    :class:`CardsError` naming what is missing and how to get it."""
    path = Path(log_path)
    try:
        with EventLog.open(path, readonly=True) as log:
            header = dict(log.header)
            roster = log.roster
            scenario_text = log.scenario_text
            scenario_name = log.scenario_name
    except LogError as exc:
        raise CardsError(str(exc)) from None
    if HEADER_KEY not in header:
        raise CardsError(
            _(
                "{path} has no seats: it was not made by sitroom serve (a dry-run log, say). "
                "Cards are printed from the log of a server: sitroom serve SCENARIO --db {name}"
            ).format(path=path, name=path.name)
        )
    where = codes_path(path)
    try:
        on_file = read_codes_file(where)
    except (OSError, NotUtf8) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        why = _("cannot read the codes file {path}: {reason}").format(path=where, reason=reason)
        raise CardsError(why) from None
    if not on_file.codes:
        raise CardsError(
            _(
                "no codes beside the log: {path} is missing or empty. sitroom serve writes it "
                "when it starts: start the server on this log (sitroom serve SCENARIO --db "
                "{name} --resume) and print the cards again"
            ).format(path=where, name=path.name)
        )
    try:
        book = SeatBook.from_header(header[HEADER_KEY], on_file.key)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        damaged = _("{path}: the log's header is damaged: its 'seats' ({error})")
        raise CardsError(damaged.format(path=path, error=repr(exc))) from None
    stale = [
        key
        for key in book.seats
        if key not in on_file.codes or not book.opens(key, on_file.codes[key])
    ]
    if stale:
        shown = ", ".join(stale[:5])
        if len(stale) > 5:
            shown += " " + _("and {n} more").format(n=grouped(len(stale) - 5))
        # English says "seat(s)" for any number, as it always has.
        stale_words = ngettext(
            "{path} does not hold the current code of {n} seat(s) ({seats}): it "
            "belongs to another log, or its key line was lost. Restart the server with "
            "--resume: it issues new codes for those seats and writes the file again",
            "{path} does not hold the current code of {n} seat(s) ({seats}): it "
            "belongs to another log, or its key line was lost. Restart the server with "
            "--resume: it issues new codes for those seats and writes the file again",
            len(stale),
        )
        raise CardsError(stale_words.format(path=where, n=grouped(len(stale)), seats=shown))
    server = on_file.url or "http://localhost:8470"
    notes: list[str] = []
    if browser is None:
        browser = default_browser(server)
        notes.append(
            _(
                "the cards send browsers to {url} (sitroom web's default port on the "
                "server's host): give --url with the address people open, if it is another"
            ).format(url=browser)
        )
    else:
        browser = check_browser_url(browser)
    if _is_loopback(browser):
        notes.append(
            _(
                "{url} is this machine's own address: players' phones and laptops cannot "
                "open it; give --url with an address they can reach"
            ).format(url=browser)
        )
    title, role_names = _scenario_names(scenario_text, scenario_name)
    cards = [
        _card(book, key, on_file.codes[key], roster, role_names, browser, server)
        for key in _ordered(book, roster)
    ]
    return CardSet(title, browser, server, tuple(cards), tuple(notes))


def _scenario_names(text: str, fallback: str) -> tuple[str, dict[str, str]]:
    """The scenario's title and its roles' names (the scenario is read from the log)."""
    scenario = load_bytes(text, fallback).scenario
    if scenario is None:
        return fallback, {}
    return scenario.title, {team.id: team.name for team in scenario.teams}


def _ordered(book: SeatBook, roster: Roster) -> list[str]:
    staff = [s.key for s in book.seats.values() if s.role != "team"]
    staff.sort(key=lambda key: _rank(book.seats[key].role))
    position = {team.id: i for i, team in enumerate(roster.teams)}
    teams = [s.key for s in book.seats.values() if s.role == "team"]
    teams.sort(key=lambda key: position.get(book.seats[key].team or "", len(position)))
    return staff + teams


def _rank(role: str) -> int:
    return _ORDER.index(role) if role in _ORDER else len(_ORDER)


def _card(
    book: SeatBook,
    key: str,
    code: str,
    roster: Roster,
    role_names: dict[str, str],
    browser: str,
    server: str,
) -> Card:
    seat = book.seats[key]
    command = f"sitroom {seat.command} {server}"
    link = join_link(browser, code)
    if seat.role == "team":
        team = roster.get(seat.team or "")
        role = team.role if team else ""
        return Card(
            seat=key,
            role="team",
            heading=team.name if team else seat.label,
            detail=role_names.get(role, role),
            members=team.members if team else (),
            note="",
            code=code,
            link=link,
            command=command,
        )
    return Card(
        seat=key,
        role=seat.role,
        heading=_(_STAFF_TITLES[seat.role])
        if seat.role in _STAFF_TITLES
        else seat.role.capitalize(),
        detail=seat.name,
        members=(),
        note=_(_STAFF_NOTES.get(seat.role, N_("A staff seat: not for players."))),
        code=code,
        link=link,
        command=command,
    )


def describe(cards: CardSet) -> str:
    """One line for the terminal: how many cards, of which kinds."""
    teams = sum(1 for c in cards.cards if not c.staff)
    staff = len(cards.cards) - teams
    return f"{len(cards.cards)} cards ({teams} teams, {staff} staff)"
