"""Seats and join codes: who may join, in which role, with which secret.

A seat is one code's worth of access: a team (shared by its members), a
facilitator, an evaluator (the one named ``lead`` decides under ``grade_rule:
lead``), an observer or a wall (the room's projector: :mod:`engine.wallview`).
A code is 12 characters of Crockford base32 (60 bits from :mod:`secrets`; no
I/L/O/U to misread), printed in groups of four
(``7K3M-Q9XD-2HPA``) and accepted however it is typed: any case, with or without
dashes or spaces, I and L read as 1, O as 0. docs/security.md argues the length:
the server answers at most a few thousand guesses a second, and
:mod:`engine.net.server.guesses` limits wrong codes per address.

Only hashes of codes are kept, in memory and in the log header, and they are
keyed: HMAC-SHA256 with a 256-bit key that lives in the codes file beside the log,
never in the log. A stolen log alone therefore gives nothing to try codes against
offline, however short the codes (an unkeyed hash of a 60-bit code would fall to
a rented GPU farm in a day). A code is found by its hash and confirmed with
:func:`hmac.compare_digest`; the dictionary lookup can only leak timing about the
*hash* of what was typed, which says nothing about any valid code.

Logs written before the short codes (28 characters, 140 bits, plain SHA-256: the
``sha256`` scheme) keep working: their codes still open their seats, and a seat
reissued there gets a 28-character code, so such a log never holds an unkeyed
hash of a short code.

The codes themselves go once to stdout and to a file beside the log readable only
by its owner, with the exact command each seat runs.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import shlex
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from engine.grading import LEAD_EVALUATOR
from engine.i18n import N_, gettext
from engine.i18n.phrase import Phrase
from engine.net.protocol import Role
from engine.roster import Roster
from engine.textfile import utf8_text

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford base32: 5 bits a character."""
CODE_CHARS = 12
"""12 characters × 5 bits = 60 bits of randomness (docs/security.md: why that is enough)."""
LEGACY_CODE_CHARS = 28
"""The codes of logs written before the short codes: 140 bits, hashed without a key."""
GROUP = 4
"""Characters between dashes when a code is shown."""
KEYED = "hmac-sha256"
"""How a keyed book hashes codes (its key is in the codes file, not the log)."""
UNKEYED = "sha256"
"""How the books of older logs hash codes."""
HEADER_KEY = "seats"
CODE_ENV = "SITROOM_CODE"
"""The environment variable ``sitroom join``/``facilitate`` read a join code from: unlike an
argument, it does not show in ``ps`` to other local users."""
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0"})
_SEPARATORS = frozenset("-_. \t\u00a0\u2010\u2011\u2012\u2013\u2014\u2212")
"""What people put between groups: dashes (and what phones turn them into), spaces, dots."""
KEY_LINE = "#key"
"""How the codes file's line holding the hash key starts."""


@dataclass(frozen=True, slots=True)
class Seat:
    """One join code's access."""

    key: str
    """``role:name``, unique, without ``/`` (it prefixes message origins in the log)."""
    role: Role
    name: str
    """The team id, or the staff seat's name (``control``, ``lead``, ``eval-2``, ``observer``)."""
    label: str
    """What people call it: the team's name, or the role."""
    team: str | None = None
    code_hash: str = ""

    @property
    def command(self) -> str:
        return {"facilitator": "facilitate", "wall": "wall"}.get(self.role, "join")

    def to_dict(self, hash_field: str = "hash") -> dict[str, Any]:
        return {
            "key": self.key,
            "role": self.role,
            "name": self.name,
            "label": self.label,
            "team": self.team,
            hash_field: self.code_hash,
        }


def new_code(chars: int = CODE_CHARS) -> str:
    """A fresh code of ``chars`` random characters, shown in groups of four."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(chars))
    return "-".join(raw[i : i + GROUP] for i in range(0, chars, GROUP))


def normalise(code: str) -> str:
    """What was typed, as the canonical code: no dashes or spaces, upper case, I/L→1, O→0."""
    cleaned = "".join(ch for ch in code if ch not in _SEPARATORS).upper()
    return cleaned.translate(_CONFUSABLE)


def well_formed(code: str) -> bool:
    """Whether ``code`` could be a code at all (its length and letters): what is not, is
    a slip (a name in the code box, a cut paste), not a guess worth counting."""
    canonical = normalise(code)
    return len(canonical) in (CODE_CHARS, LEGACY_CODE_CHARS) and all(
        ch in ALPHABET for ch in canonical
    )


def code_hash(code: str, key: bytes | None = None) -> str:
    """The hash kept for ``code``: HMAC-SHA256 under ``key``, or SHA-256 (older logs)."""
    data = normalise(code).encode("ascii", "replace")
    if key is None:
        return hashlib.sha256(data).hexdigest()
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def refusal(code: str) -> str:
    """Why a code that opens no seat was refused, in words that help a person retype it."""
    if well_formed(code):
        return Phrase(N_("unknown join code"))
    shape = "-".join("X" * GROUP for _ in range(CODE_CHARS // GROUP))
    return Phrase(
        N_("unknown join code: a code has {count} letters and digits ({shape})"),
        count=CODE_CHARS,
        shape=shape,
    )


def staff_names(role: Role, count: int) -> list[str]:
    """Seat names for ``count`` staff seats of a role (the first evaluator is ``lead``)."""
    if count <= 0:
        return []
    if role == "evaluator":
        return [LEAD_EVALUATOR] + [f"eval-{k}" for k in range(2, count + 1)]
    base = {"facilitator": "control", "observer": "observer", "wall": "wall"}[role]
    return [base] if count == 1 else [f"{base}-{k}" for k in range(1, count + 1)]


class SeatBook:
    """Every seat of an exercise, found by code; revocations replace a seat's hash.

    ``key`` is the key of the code hashes (a new book makes one); ``None`` is the
    unkeyed scheme of older logs, whose reissued codes keep the old length.
    """

    def __init__(
        self, seats: list[Seat], revoked: list[str] | None = None, *, key: bytes | None = None
    ) -> None:
        self.seats: dict[str, Seat] = {s.key: s for s in seats}
        self._by_hash: dict[str, str] = {s.code_hash: s.key for s in seats}
        self.revoked: set[str] = set(revoked or ())
        self.key = key
        self.rekeyed = False
        """True when the header was keyed but its key was not given: a fresh key was made,
        so no old code opens a seat until it is reissued."""

    @property
    def scheme(self) -> str:
        return KEYED if self.key is not None else UNKEYED

    @property
    def code_chars(self) -> int:
        """The length of the codes this book issues."""
        return CODE_CHARS if self.key is not None else LEGACY_CODE_CHARS

    def hash(self, code: str) -> str:
        return code_hash(code, self.key)

    # ------------------------------------------------------------- making

    @classmethod
    def issue(
        cls,
        roster: Roster,
        *,
        facilitators: int = 1,
        evaluators: int = 1,
        observers: int = 1,
        walls: int = 1,
    ) -> tuple[SeatBook, dict[str, str]]:
        """New seats with fresh codes and a fresh key; returns the book and ``{seat key: code}``."""
        key = secrets.token_bytes(32)
        codes: dict[str, str] = {}
        seats: list[Seat] = []

        def add(role: Role, name: str, label: str, team: str | None) -> None:
            code = new_code()
            seat_key = f"{role}:{name}"
            codes[seat_key] = code
            seats.append(Seat(seat_key, role, name, label, team, code_hash(code, key)))

        for staff_role, count in (
            ("facilitator", facilitators),
            ("evaluator", evaluators),
            ("observer", observers),
            ("wall", walls),
        ):
            for name in staff_names(staff_role, count):  # type: ignore[arg-type]
                add(staff_role, name, staff_role, None)  # type: ignore[arg-type]
        for team in roster.teams:
            add("team", team.id, team.name, team.id)
        return cls(seats, key=key), codes

    def controllers(self) -> list[str]:
        """The facilitator seats' names, in the order issued: the sim cell's controllers."""
        return [s.name for s in self.seats.values() if s.role == "facilitator"]

    def to_header(self) -> str:
        """The seats for the log's header: hashes only (the key stays in the codes file)."""
        field = "hash" if self.key is not None else "sha256"
        body: dict[str, Any] = {}
        if self.key is not None:
            body["hash"] = KEYED
        body["seats"] = [s.to_dict(field) for s in self.seats.values()]
        body["revoked"] = sorted(self.revoked)
        return json.dumps(body, separators=(",", ":"))

    @classmethod
    def from_header(cls, text: str, key: bytes | None = None) -> SeatBook:
        """The book a header holds. A keyed header needs its ``key`` (from the codes file);
        without it the book gets a fresh key and :attr:`rekeyed` says so. Raises
        ValueError, KeyError or TypeError on a damaged header."""
        data = json.loads(text)
        scheme = data.get("hash", UNKEYED)
        if scheme not in (KEYED, UNKEYED):
            raise ValueError(f"unknown code hash {scheme!r}")
        field = "hash" if scheme == KEYED else "sha256"
        seats = [
            Seat(d["key"], d["role"], d["name"], d["label"], d.get("team"), d[field])
            for d in data["seats"]
        ]
        rekeyed = scheme == KEYED and key is None
        if scheme == KEYED and key is None:
            key = secrets.token_bytes(32)
        book = cls(seats, data.get("revoked", []), key=key if scheme == KEYED else None)
        book.rekeyed = rekeyed
        return book

    # ------------------------------------------------------------- using

    def find(self, code: str) -> Seat | None:
        """The seat a code opens, or None (unknown or revoked: see :meth:`is_revoked`)."""
        if not well_formed(code):
            return None
        digest = self.hash(code)
        key = self._by_hash.get(digest)
        if key is None:
            return None
        seat = self.seats[key]
        return seat if hmac.compare_digest(digest, seat.code_hash) else None

    def opens(self, seat_key: str, code: str) -> bool:
        """Whether ``code`` opens the seat ``seat_key``."""
        seat = self.find(code)
        return seat is not None and seat.key == seat_key

    def is_revoked(self, code: str) -> bool:
        return well_formed(code) and self.hash(code) in self.revoked

    def reissue(self, key: str) -> str:
        """Revoke a seat's code and give it a new one (returned)."""
        seat = self.seats[key]
        code = new_code(self.code_chars)
        fresh = replace(seat, code_hash=self.hash(code))
        self.revoked.add(seat.code_hash)
        self._by_hash.pop(seat.code_hash, None)
        self._by_hash[fresh.code_hash] = key
        self.seats[key] = fresh
        return code

    def by_role(self, role: Role) -> list[Seat]:
        return [s for s in self.seats.values() if s.role == role]


# ----------------------------------------------------------------- the codes file


def codes_path(db: str | Path) -> Path:
    """The codes file beside the log: ``exercise.db`` → ``exercise.db.codes``."""
    return Path(str(db) + ".codes")


def join_line(seat: Seat, code: str, url: str, program: str = "sitroom") -> str:
    """The command a seat runs, its code in the environment: an argument (``--code``)
    would show in ``ps`` to every user of the machine it runs on. ``program`` is how
    the command line that started the server runs sitroom (a shell word or words: a
    full path when ``sitroom`` is not on PATH), so the line runs as pasted."""
    return f"{CODE_ENV}={code} {program} {seat.command} {shlex.quote(url)}"


def format_codes(
    book: SeatBook, codes: dict[str, str], url: str, title: str, program: str = "sitroom"
) -> list[str]:
    """Lines of the codes file: a comment header, the key of the log's code hashes (a
    keyed book), then ``role, seat, label, code, command``. ``sitroom serve`` prints
    them from the third line on (the key is not shown).

    The comments and the key's note are in the active language: a reader skips every
    ``#`` line and reads the key by its ``#key`` tag, so a file in either language
    reads the same."""
    heading = gettext("sitroom join codes: {title}").format(title=" ".join(title.split()))
    note = gettext("(the key of the code hashes in the log)")
    private = gettext("Keep this file private: a code lets its holder act for that seat.")
    env = gettext("Each command passes its code in {env}, not as an argument (ps shows those).")
    lines = [
        f"# {heading}",
        *([f"{KEY_LINE}\t{book.key.hex()}\t{note}"] if book.key is not None else []),
        f"# {private}",
        f"# {env.format(env=CODE_ENV)}",
        "# " + gettext("role\tseat\tname\tcode\tcommand"),
    ]
    for key, seat in book.seats.items():
        code = codes.get(key)
        if code is None:
            continue
        label = " ".join(seat.label.split())
        command = join_line(seat, code, url, program)
        lines.append(f"{seat.role}\t{seat.name}\t{label}\t{code}\t{command}")
    return lines


def write_codes(path: Path, lines: list[str]) -> None:
    """Write the codes file atomically, readable and writable by its owner only (0600)."""
    write_private(path, "\n".join(lines) + "\n")


def write_private(path: Path, text: str) -> None:
    """Write a file that holds codes (the codes file, the join cards) atomically, readable
    and writable by its owner only (0600).

    The text goes to a fresh temporary name beside it, created exclusively and never
    through a symlink (``O_EXCL | O_NOFOLLOW``: a name planted in the folder, such as
    ``LOG.db.codes.tmp``, is never opened), then renamed over ``path`` (a rename
    replaces a planted ``path`` symlink itself, never its target). Raises OSError.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
        try:
            fd = os.open(tmp, flags, 0o600)
            break
        except FileExistsError:
            continue
    else:  # pragma: no cover - 100 random 64-bit names all taken
        raise FileExistsError(f"cannot make a temporary file beside {path}")
    try:
        try:
            os.fchmod(fd, 0o600)
            data = memoryview(text.encode("utf-8"))
            while data:
                data = data[os.write(fd, data) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@dataclass(frozen=True)
class CodesFile:
    """What a codes file holds: each seat's code, the key of the log's code hashes, and
    the server address its commands name."""

    codes: dict[str, str]
    """Seat key → code."""
    key: bytes | None = None
    """None for a file written before the keyed hashes (or one whose key line is lost)."""
    url: str | None = None
    """The address the seats' commands join (the last word of the first command)."""


def read_codes_file(path: Path) -> CodesFile:
    """A codes file's contents (empty when it does not exist). Raises OSError, or
    :class:`~engine.textfile.NotUtf8` (naming the file, the byte and the line) when it is
    damaged past reading."""
    if not path.exists():
        return CodesFile({})
    codes: dict[str, str] = {}
    key: bytes | None = None
    url: str | None = None
    for line in utf8_text(path.read_bytes(), str(path)).splitlines():
        parts = line.split("\t")
        if parts[0] == KEY_LINE and len(parts) >= 2:
            key = _key_of(parts[1])
        elif line and not line.startswith("#") and len(parts) >= 4:
            codes[f"{parts[0]}:{parts[1]}"] = parts[3]
            if url is None and len(parts) >= 5:
                with contextlib.suppress(ValueError, IndexError):
                    url = shlex.split(parts[4])[-1]
    return CodesFile(codes, key, url)


def _key_of(text: str) -> bytes | None:
    try:
        key = bytes.fromhex(text)
    except ValueError:
        return None
    return key if len(key) >= 16 else None


def read_key(path: Path) -> bytes | None:
    """The key of the code hashes from a codes file (None when missing, or an older file)."""
    return read_codes_file(path).key


def read_codes(path: Path) -> dict[str, str]:
    """``{seat key: code}`` from a codes file (empty when missing)."""
    return read_codes_file(path).codes
