"""Seats and join codes: who may join, in which role, with which secret.

A seat is one code's worth of access: a team (shared by its members), a
facilitator, an evaluator (the one named ``lead`` decides under ``grade_rule:
lead``) or an observer. Codes carry 140 bits from :mod:`secrets`, written in
Crockford base32 (no I/L/O/U to misread) in groups of four, so people can type
them from a printed card.

Only SHA-256 hashes of codes are kept in memory and in the log header: a stolen
log does not let anyone join. A code is found by its hash and confirmed with
:func:`hmac.compare_digest`; the dictionary lookup can only leak timing about
the *hash* of what was typed, which says nothing about any valid code. The codes
themselves go once to stdout and to a file beside the log readable only by its
owner, with the exact command each seat runs.
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
from engine.net.protocol import Role
from engine.roster import Roster

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford base32: 5 bits a character."""
CODE_CHARS = 28
"""28 characters × 5 bits = 140 bits of randomness (at least 128 required)."""
HEADER_KEY = "seats"
CODE_ENV = "SITROOM_CODE"
"""The environment variable ``sitroom join``/``facilitate`` read a join code from: unlike an
argument, it does not show in ``ps`` to other local users."""
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0"})


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
        return "facilitate" if self.role == "facilitator" else "join"

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "role": self.role,
            "name": self.name,
            "label": self.label,
            "team": self.team,
            "sha256": self.code_hash,
        }


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_CHARS))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_CHARS, 4))


def normalise(code: str) -> str:
    """What was typed, as the canonical code: no dashes or spaces, upper case, I/L→1, O→0."""
    cleaned = "".join(ch for ch in code if ch not in "- \t").upper()
    return cleaned.translate(_CONFUSABLE)


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise(code).encode("ascii", "replace")).hexdigest()


def staff_names(role: Role, count: int) -> list[str]:
    """Seat names for ``count`` staff seats of a role (the first evaluator is ``lead``)."""
    if count <= 0:
        return []
    if role == "evaluator":
        return [LEAD_EVALUATOR] + [f"eval-{k}" for k in range(2, count + 1)]
    base = {"facilitator": "control", "observer": "observer"}[role]
    return [base] if count == 1 else [f"{base}-{k}" for k in range(1, count + 1)]


class SeatBook:
    """Every seat of an exercise, found by code; revocations replace a seat's hash."""

    def __init__(self, seats: list[Seat], revoked: list[str] | None = None) -> None:
        self.seats: dict[str, Seat] = {s.key: s for s in seats}
        self._by_hash: dict[str, str] = {s.code_hash: s.key for s in seats}
        self.revoked: set[str] = set(revoked or ())

    # ------------------------------------------------------------- making

    @classmethod
    def issue(
        cls, roster: Roster, *, facilitators: int = 1, evaluators: int = 1, observers: int = 1
    ) -> tuple[SeatBook, dict[str, str]]:
        """New seats with fresh codes; returns the book and ``{seat key: code}``."""
        codes: dict[str, str] = {}
        seats: list[Seat] = []

        def add(role: Role, name: str, label: str, team: str | None) -> None:
            code = new_code()
            key = f"{role}:{name}"
            codes[key] = code
            seats.append(Seat(key, role, name, label, team, code_hash(code)))

        for staff_role, count in (
            ("facilitator", facilitators),
            ("evaluator", evaluators),
            ("observer", observers),
        ):
            for name in staff_names(staff_role, count):  # type: ignore[arg-type]
                add(staff_role, name, staff_role, None)  # type: ignore[arg-type]
        for team in roster.teams:
            add("team", team.id, team.name, team.id)
        return cls(seats), codes

    def to_header(self) -> str:
        return json.dumps(
            {"seats": [s.to_dict() for s in self.seats.values()], "revoked": sorted(self.revoked)},
            separators=(",", ":"),
        )

    @classmethod
    def from_header(cls, text: str) -> SeatBook:
        data = json.loads(text)
        seats = [
            Seat(d["key"], d["role"], d["name"], d["label"], d.get("team"), d["sha256"])
            for d in data["seats"]
        ]
        return cls(seats, data.get("revoked", []))

    # ------------------------------------------------------------- using

    def find(self, code: str) -> Seat | None:
        """The seat a code opens, or None (unknown or revoked: see :meth:`is_revoked`)."""
        digest = code_hash(code)
        key = self._by_hash.get(digest)
        if key is None:
            return None
        seat = self.seats[key]
        return seat if hmac.compare_digest(digest, seat.code_hash) else None

    def is_revoked(self, code: str) -> bool:
        return code_hash(code) in self.revoked

    def reissue(self, key: str) -> str:
        """Revoke a seat's code and give it a new one (returned)."""
        seat = self.seats[key]
        code = new_code()
        fresh = replace(seat, code_hash=code_hash(code))
        self.revoked.add(seat.code_hash)
        del self._by_hash[seat.code_hash]
        self._by_hash[fresh.code_hash] = key
        self.seats[key] = fresh
        return code

    def by_role(self, role: Role) -> list[Seat]:
        return [s for s in self.seats.values() if s.role == role]


# ----------------------------------------------------------------- the codes file


def codes_path(db: str | Path) -> Path:
    """The codes file beside the log: ``exercise.db`` → ``exercise.db.codes``."""
    return Path(str(db) + ".codes")


def join_line(seat: Seat, code: str, url: str) -> str:
    """The command a seat runs, its code in the environment: an argument (``--code``)
    would show in ``ps`` to every user of the machine it runs on."""
    return f"{CODE_ENV}={code} sitroom {seat.command} {shlex.quote(url)}"


def format_codes(book: SeatBook, codes: dict[str, str], url: str, title: str) -> list[str]:
    """Lines of the codes file: a comment header, then ``role, seat, label, code, command``."""
    lines = [
        f"# sitroom join codes: {title}",
        "# Keep this file private: a code lets its holder act for that seat.",
        f"# Each command passes its code in {CODE_ENV}, not as an argument (ps shows those).",
        "# role\tseat\tname\tcode\tcommand",
    ]
    for key, seat in book.seats.items():
        code = codes.get(key)
        if code is None:
            continue
        label = " ".join(seat.label.split())
        lines.append(f"{seat.role}\t{seat.name}\t{label}\t{code}\t{join_line(seat, code, url)}")
    return lines


def write_codes(path: Path, lines: list[str]) -> None:
    """Write the codes file atomically, readable and writable by its owner only (0600).

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
            data = memoryview(("\n".join(lines) + "\n").encode("utf-8"))
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


def read_codes(path: Path) -> dict[str, str]:
    """``{seat key: code}`` from a codes file (empty when missing)."""
    if not path.exists():
        return {}
    found: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) >= 4:
            found[f"{parts[0]}:{parts[1]}"] = parts[3]
    return found
