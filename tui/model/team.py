"""What a team sees, folded from the events the server sends it.

Pure data, no Textual: the team console renders it, tests drive it directly, and
it is the same fold whether events arrive live, in a catch-up or in a snapshot.
``apply`` returns which parts changed so the console refreshes only those.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from tui.model.clock import ConsoleClock

Area = Literal["inbox", "feed", "messages", "clock", "log", "score"]
FEED_CHANNELS = frozenset({"news", "social"})
ExpectationStatus = Literal["open", "overdue", "answered", "late", "expired"]


@dataclass
class ExpectationItem:
    """One question under an inject, with this team's answer and result."""

    ref: str
    id: str
    kind: str
    prompt: str
    due_at: int | None
    answer_by: str = "any"
    options: list[tuple[str, str]] = field(default_factory=list)
    items: list[tuple[str, str]] = field(default_factory=list)
    min_words: int = 0
    max_words: int | None = None
    answer: dict[str, Any] | None = None
    answered_at: int | None = None
    answered_by: str | None = None
    expired: bool = False
    result: dict[str, Any] | None = None
    members_answered: list[str] = field(default_factory=list)

    def status(self, now: int) -> ExpectationStatus:
        if self.answered_at is not None:
            late = self.due_at is not None and self.answered_at > self.due_at
            return "late" if late else "answered"
        if self.expired:
            return "expired"
        if self.due_at is not None and now >= self.due_at:
            return "overdue"
        return "open"

    def describe_answer(self) -> str:
        """The answer in words, as the team gave it."""
        if self.answer is None:
            return ""
        if self.answer.get("choice"):
            labels = dict(self.options)
            choice = str(self.answer["choice"])
            return labels.get(choice, choice)
        if self.answer.get("items") is not None:
            labels = dict(self.items)
            done = [labels.get(i, i) for i in self.answer["items"]]
            return "; ".join(done) if done else "(nothing ticked)"
        return str(self.answer.get("text") or "")


@dataclass
class InboxEntry:
    """One delivered inject."""

    seq: int
    inject: str
    title: str
    channel: str
    sender: str
    sender_kind: str
    priority: str
    body: str
    delivered_at: int
    attachments: list[tuple[str, str]] = field(default_factory=list)
    expectations: list[ExpectationItem] = field(default_factory=list)
    read: bool = False

    def next_due(self, now: int) -> int | None:
        """The nearest deadline still open (for the countdown and urgency order)."""
        dues = [
            e.due_at
            for e in self.expectations
            if e.due_at is not None and e.status(now) in ("open", "overdue")
        ]
        return min(dues) if dues else None

    def needs_answer(self, now: int) -> bool:
        return any(e.status(now) in ("open", "overdue") for e in self.expectations)


@dataclass
class Message:
    """A line in the team's messages: a question to an actor, a reply, a broadcast, a note."""

    seq: int
    t: int
    kind: Literal["ask", "reply", "broadcast", "team_note"]
    author: str
    actor: str | None
    text: str
    title: str = ""


@dataclass
class TeamModel:
    team: str = ""
    team_name: str = ""
    member: str = ""
    title: str = ""
    show_results: bool = True
    actors: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Actor id → (name, kind)."""
    clock: ConsoleClock = field(default_factory=ConsoleClock)
    inbox: dict[str, InboxEntry] = field(default_factory=dict)
    messages: list[Message] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    last_seq: int = 0
    last_delivered: InboxEntry | None = None
    """The inject delivered most recently (for the arrival notification)."""
    arrived: list[InboxEntry] = field(default_factory=list)
    """Injects delivered since the console last looked (it clears this)."""
    changed: set[str] = field(default_factory=set)
    """Injects whose content or answers changed since the console last looked."""

    # ------------------------------------------------------------------ reading

    def entries(self, order: Literal["newest", "urgency"] = "newest") -> list[InboxEntry]:
        items = sorted(self.inbox.values(), key=lambda e: (-e.delivered_at, -e.seq))
        if order == "urgency":
            now = self.clock.now()
            items.sort(key=lambda e: (e.next_due(now) is None, e.next_due(now) or 0))
        return items

    def feed(self) -> list[InboxEntry]:
        """News and social injects, newest first: the newsroom view."""
        return [e for e in self.entries() if e.channel in FEED_CHANNELS]

    def unread(self) -> int:
        return sum(1 for e in self.inbox.values() if not e.read)

    def expectation(self, ref: str) -> ExpectationItem | None:
        entry = self.inbox.get(ref.partition(".")[0])
        if entry is None:
            return None
        return next((e for e in entry.expectations if e.ref == ref), None)

    def score(self) -> tuple[float, float]:
        """Points earned and available so far, from the results the server showed."""
        got = total = 0.0
        for entry in self.inbox.values():
            for exp in entry.expectations:
                if exp.result is not None:
                    got += float(exp.result.get("points", 0))
                    total += float(exp.result.get("max", 0))
        return got, total

    def actor_name(self, actor: str | None) -> str:
        if actor is None:
            return "Control"
        return self.actors.get(actor, (actor, "other"))[0]

    # ----------------------------------------------------------------- folding

    def welcome(self, msg: dict[str, Any]) -> None:
        info = msg.get("exercise", {})
        self.team = msg.get("team") or ""
        self.member = msg.get("name", "")
        self.title = info.get("title", "")
        self.show_results = bool(info.get("show_results", True))
        self.actors = {a["id"]: (a["name"], a.get("kind", "other")) for a in info.get("actors", [])}
        self.team_name = info.get("team_name") or self.team
        self.clock.duration = int(info.get("duration", 0))
        start = info.get("start")
        if start:
            self.clock.start = datetime.fromisoformat(start)

    def apply(self, event: dict[str, Any]) -> set[Area]:
        """Fold one event message (``{seq, t, kind, team, actor, payload}``)."""
        seq = int(event.get("seq", 0))
        if seq and seq <= self.last_seq:
            return set()
        self.last_seq = max(self.last_seq, seq)
        handler = _HANDLERS.get(event.get("kind", ""))
        if handler is None:
            return set()
        return handler(self, event, event.get("payload") or {})

    def _delivered(self, ev: dict[str, Any], p: dict[str, Any]) -> set[Area]:
        content = p.get("inject") if isinstance(p.get("inject"), dict) else p.get("content")
        if not isinstance(content, dict):
            content = {"id": p.get("inject", "?"), "title": p.get("inject", "?")}
        inject_id = str(content.get("id"))
        sender = content.get("from") or {}
        t = int(ev.get("t", 0))
        exps = [
            ExpectationItem(
                ref=f"{inject_id}.{x['id']}",
                id=x["id"],
                kind=x.get("kind", "manual"),
                prompt=x.get("prompt", ""),
                due_at=t + int(x["due"]) if x.get("due") is not None else None,
                answer_by=x.get("answer_by", "any"),
                options=[(o["id"], o["label"]) for o in x.get("options", [])],
                items=[(i["id"], i["label"]) for i in x.get("items", [])],
                min_words=int(x.get("min_words") or 0),
                max_words=x.get("max_words"),
            )
            for x in content.get("expects", [])
        ]
        entry = self.inbox[inject_id] = InboxEntry(
            seq=int(ev.get("seq", 0)),
            inject=inject_id,
            title=content.get("title", inject_id),
            channel=content.get("channel", "email"),
            sender=str(sender.get("name", sender.get("id", "")))
            if isinstance(sender, dict)
            else str(sender),
            sender_kind=sender.get("kind", "other") if isinstance(sender, dict) else "other",
            priority=content.get("priority", "normal"),
            body=content.get("body", ""),
            delivered_at=t,
            attachments=[(a["name"], a["text"]) for a in content.get("attachments", [])],
            expectations=exps,
        )
        self.last_delivered = entry
        self.arrived.append(entry)
        self.changed.add(inject_id)
        areas: set[Area] = {"inbox"}
        if content.get("channel") in FEED_CHANNELS:
            areas.add("feed")
        return areas

    def _deadline(self, ev: dict[str, Any], p: dict[str, Any]) -> set[Area]:
        exp = self.expectation(str(p.get("expectation", "")))
        if exp is None:
            return set()
        exp.expired = True
        self.changed.add(exp.ref.partition(".")[0])
        return {"inbox"}

    def _respond(self, ev: dict[str, Any], p: dict[str, Any]) -> set[Area]:
        exp = self.expectation(str(p.get("expectation", "")))
        if exp is None:
            return set()
        member = str(p.get("member", ""))
        if member and member not in exp.members_answered:
            exp.members_answered.append(member)
        if exp.answer is None:
            exp.answer = {k: p[k] for k in ("choice", "items", "text") if k in p}
            exp.answered_by = member
        # A whole-team expectation is answered once the server says every member has.
        if exp.answered_at is None and (exp.answer_by == "any" or p.get("complete")):
            exp.answered_at = int(ev.get("t", 0))
        if isinstance(p.get("result"), dict):
            exp.result = p["result"]
        self.changed.add(exp.ref.partition(".")[0])
        return {"inbox", "score"}

    def _grade(self, ev: dict[str, Any], p: dict[str, Any]) -> set[Area]:
        exp = self.expectation(str(p.get("expectation", "")))
        if exp is None:
            return set()
        result = dict(exp.result or {})
        result["points"] = p.get("points", result.get("points", 0))
        result.setdefault("max", p.get("max", 0))
        result["graded"] = True
        exp.result = result
        self.changed.add(exp.ref.partition(".")[0])
        return {"inbox", "score"}

    def _message(self, ev: dict[str, Any], p: dict[str, Any]) -> set[Area]:
        kind = ev["kind"]
        author = (
            p.get("member") if kind in ("ask", "team_note") else self.actor_name(p.get("actor"))
        )
        self.messages.append(
            Message(
                int(ev.get("seq", 0)),
                int(ev.get("t", 0)),
                kind,
                str(author or ""),
                p.get("actor"),
                str(p.get("text", "")),
                str(p.get("title", "")),
            )
        )
        return {"log" if kind == "team_note" else "messages"}

    def _join(self, ev: dict[str, Any], p: dict[str, Any]) -> set[Area]:
        member = str(p.get("member", ""))
        if member and member not in self.members:
            self.members.append(member)
        return {"log"}

    def _clock_event(self, ev: dict[str, Any], p: dict[str, Any]) -> set[Area]:
        self.clock.apply_event(ev["kind"], int(ev.get("t", 0)), p)
        return {"clock"}


_HANDLERS = {
    "delivered": TeamModel._delivered,
    "deadline": TeamModel._deadline,
    "respond": TeamModel._respond,
    "grade": TeamModel._grade,
    "ask": TeamModel._message,
    "reply": TeamModel._message,
    "broadcast": TeamModel._message,
    "team_note": TeamModel._message,
    "join": TeamModel._join,
    "start": TeamModel._clock_event,
    "pause": TeamModel._clock_event,
    "resume": TeamModel._clock_event,
    "set_speed": TeamModel._clock_event,
    "jump": TeamModel._clock_event,
    "end": TeamModel._clock_event,
    "ended": TeamModel._clock_event,
}
