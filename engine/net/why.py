"""Why a link went down: decided once, by the client that saw it, in words a person reads.

The shipped client and the fake link both lose connections, are refused and are
told goodbye; both hand their user a :class:`~engine.net.protocol.LinkChange`, and
both answer the commands still waiting with an ``unavailable`` error. A :class:`Why`
is that one decision: its ``cause`` (what a console acts on: "unreachable" makes the
login point at the address) and its words, in English as the reason (logs, tests)
and as a catalog message with values, so a French console says it in French. Words
the server sent (a ``bye``, a refusal) are passed on as the server made them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.i18n import N_
from engine.i18n.phrase import Phrase
from engine.net.protocol import Error, LinkCause, LinkChange, LinkState, Worded, reason_fields

__all__ = [
    "BY_CLIENT",
    "GOODBYE",
    "REFUSED",
    "Why",
    "closed_with",
    "lost",
    "no_answer",
    "unreachable",
    "unreachable_by",
]


@dataclass(frozen=True)
class Why:
    """The cause of a link's last change and its words (see the module doc)."""

    cause: LinkCause | None = None
    words: dict[str, Any] = field(default_factory=lambda: {"reason": ""})
    """``reason`` (English) and, when it was made from a catalog message, ``template``,
    ``values`` and ``said``: the fields of :class:`~engine.net.protocol.Worded`."""

    @classmethod
    def of(cls, cause: LinkCause | None, reason: str) -> Why:
        """``reason`` (a :class:`Phrase` says itself in the reader's language)."""
        return cls(cause, {"reason": str(reason), **reason_fields(reason)})

    @classmethod
    def heard(cls, cause: LinkCause, msg: Worded, fallback: str) -> Why:
        """The words of a server's message (a ``bye``, a refusal), or ``fallback``."""
        return cls(cause, msg.words()) if msg.reason else cls.of(cause, fallback)

    @property
    def reason(self) -> str:
        """In English."""
        return str(self.words["reason"])

    def change(self, state: LinkState) -> LinkChange:
        return LinkChange(state=state, cause=self.cause, **self.words)

    def error(self, mid: str | None) -> Error:
        """The answer to a command that can no longer be sent."""
        return Error(id=mid, code="unavailable", **self.words)

    def shown(self) -> str:
        """The reason in the active language."""
        return self.change("closed").shown()


def unreachable(error: BaseException) -> Why:
    return Why.of("unreachable", Phrase(N_("cannot connect: {error}"), error=str(error)))


def no_answer(seconds: float) -> Why:
    return Why.of(
        "unreachable",
        Phrase(N_("cannot connect: no answer within {seconds} s"), seconds=f"{seconds:g}"),
    )


def unreachable_by(change: Worded) -> str | float:
    """What an ``unreachable`` change made by :func:`unreachable` or :func:`no_answer`
    names: the address's own error (text), or the seconds waited for an answer."""
    found = change.values or {}
    if "error" in found:
        return found["error"]
    return float(found.get("seconds", 0))


def lost(error: object) -> Why:
    return Why.of("lost", Phrase(N_("connection lost: {error}"), error=str(error)))


def closed_with(code: int) -> Why:
    return Why.of("closed", Phrase(N_("connection closed ({code})"), code=code))


BY_CLIENT = Why.of("closed", Phrase(N_("closed by the client")))
"""Its user closed the link."""
GOODBYE = Phrase(N_("the server said goodbye"))
"""A ``bye`` with no reason."""
REFUSED = Phrase(N_("refused"))
"""A refusal with no reason."""
