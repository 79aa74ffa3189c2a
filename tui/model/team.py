"""What a team sees, folded from the events the server sends it.

Pure data, no Textual: the team console renders it, tests drive it directly, and
it is the same fold whether events arrive live, in a catch-up or in a snapshot.
Events are typed (:class:`engine.views.TeamEvent`) and matched on their body's
class. ``apply`` returns which parts changed so the console refreshes only those.

Whether the team has answered a question, and its result, are the engine's
decisions (a ``scored`` event saying ``completed``, or ``completed`` where results
are hidden): the console shows them and never
works them out, so a whole-team question is answered only once every member has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, assert_never

from engine import commands as c
from engine.events import Discussion, Ended, Scored
from engine.i18n import _
from engine.i18n.forms import listed
from engine.meaning.verdict import TextVerdict
from engine.net.protocol import EventMsg, Welcome, team_event
from engine.storyclock import from_wire
from engine.views import (
    AnswerShown,
    AttachmentView,
    BriefingView,
    CompletedShown,
    DeadlineShown,
    ExerciseInfo,
    InjectShown,
    PauseView,
    PhaseText,
    TeamEvent,
    pause_after,
)
from scoring.stats import sum_points
from tui.model.clock import ConsoleClock

Area = Literal["inbox", "feed", "messages", "clock", "log", "score"]
FEED_CHANNELS = frozenset({"news", "social"})
ExpectationStatus = Literal["open", "overdue", "answered", "late", "expired"]
MessageKind = Literal["ask", "reply", "broadcast", "team_note"]
ALERT_KINDS = frozenset({"reply", "broadcast"})
"""Messages from outside the team (the control room, an actor): they arrive with an alert."""
PlayTurn = Literal["paused", "running"]
PLAY_STATES: frozenset[str] = frozenset({"paused", "running"})
"""The clock's states a member is told play went between (a start and the end have their
own words: the briefing gives way to the first inject, the feedback tab opens)."""


@dataclass(frozen=True, slots=True)
class GivenAnswer:
    """What was answered: an option, ticked items, or text."""

    choice: str | None = None
    items: list[str] | None = None
    text: str | None = None
    verdict: TextVerdict | None = None
    """A text answer's grade per element (sent only when the scenario shows results)."""
    feedback: str = ""
    """What the author wrote about the option chosen, in the member's language (sent
    with the answer, only when the scenario shows results)."""


@dataclass(frozen=True, slots=True)
class Response:
    """One member's answer, when the engine took it (a whole-team question has one per
    member; the transcript lists them all)."""

    member: str
    t: int
    given: GivenAnswer


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
    answer: GivenAnswer | None = None
    """The team's first answer (for a whole-team question, the first member's)."""
    answered_at: int | None = None
    """When the engine said the team completed it (every member, for ``answer_by: all``)."""
    answered_by: str | None = None
    expired: bool = False
    result: Scored | None = None
    """The engine's latest figures for it (when the scenario shows results)."""
    members_answered: list[str] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    """Every answer the team's members gave, in order, with its time."""

    def status(self, now: int) -> ExpectationStatus:
        if self.answered_at is not None:
            late = self.due_at is not None and self.answered_at > self.due_at
            return "late" if late else "answered"
        if self.expired:
            return "expired"
        if self.due_at is not None and now >= self.due_at:
            return "overdue"
        return "open"

    def describe_answer(self, given: GivenAnswer | None = None) -> str:
        """The answer in words, as the team gave it (or ``given``, about to be sent)."""
        answer = given if given is not None else self.answer
        if answer is None:
            return ""
        if answer.choice:
            return dict(self.options).get(answer.choice, answer.choice)
        if answer.items is not None:
            labels = dict(self.items)
            done = [labels.get(i, i) for i in answer.items]
            return listed(done) if done else _("(nothing ticked)")
        return answer.text or ""


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
    attachments: list[AttachmentView] = field(default_factory=list)
    expectations: list[ExpectationItem] = field(default_factory=list)
    read: bool = False
    """This console showed it (its unread mark is off)."""
    opened_by: str = ""
    """The member of the team who opened it first, as the engine recorded (the ledger)."""

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
    kind: MessageKind
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
    briefing: BriefingView = field(default_factory=BriefingView)
    """What the team reads before the first inject (the scenario's and its role's)."""
    actors: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Actor id → (name, kind)."""
    clock: ConsoleClock = field(default_factory=ConsoleClock)
    pause: PauseView | None = None
    """The pause in force: its message and planned end (a break)."""
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
    heard: list[Message] = field(default_factory=list)
    """Broadcasts and actors' messages since the console last alerted (it clears this)."""
    unread_messages: int = 0
    """Broadcasts and actors' messages not yet seen on the Messages tab."""
    lang: str | None = None
    """The language this member reads the scenario in (``join --lang``); None: the one
    it is played in. Only a scenario written in several has another."""
    languages: list[str] = field(default_factory=list)
    """The languages the scenario is written in (empty: one)."""
    phase_text: dict[str, PhaseText] = field(default_factory=dict)
    """Each phase's words in ``lang``, for its discussion (empty: as played)."""
    replayed_upto: int = 0
    """The welcome's ``last_seq``: events up to it (a catch-up, a snapshot) tell what
    happened before this connection, which is no news to announce."""
    play_was: str | None = None
    """The play status the member last saw, when play has turned since (a pause or resume
    heard live, or one that happened while the link was down); None: nothing to tell."""
    rejoin_from: str | None = None
    """The play status shown before a rejoin, until the clock message that follows the
    welcome says where play stands now (:meth:`clock_heard`)."""

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
        """Points earned and available so far: the engine's latest figures for each
        expectation (``scored`` events, sent when the scenario shows results)."""
        results = [
            exp.result
            for entry in self.inbox.values()
            for exp in entry.expectations
            if exp.result is not None
        ]
        return (
            sum_points(r.points or 0.0 for r in results),
            sum_points(r.max_points for r in results),
        )

    def play_turn(self) -> PlayTurn | None:
        """Whether play paused or resumed since the console last asked, and which; once.

        Decided against the status the member last saw: a pause or resume heard live,
        or one that happened while the link was down (:meth:`clock_heard`); a first
        join starts from the clock as it is, and the catch-up after a (re)join is no
        news of its own. A pause and a resume heard together cancel out (the status the
        member saw is kept for the next turn), so a redraw tells one turn at most, and
        only one that still holds.
        """
        was, status = self.play_was, self.clock.status
        if was is None or status == was:
            return None
        self.play_was = None
        if status not in PLAY_STATES:
            return None
        return "running" if status == "running" else "paused"

    def clock_heard(self) -> None:
        """The server's clock message: the first after a rejoin's welcome says where play
        stands, against what the member saw before the link dropped (the events caught
        up after it may pass through states play has left: they are not read for it)."""
        was, self.rejoin_from = self.rejoin_from, None
        status = self.clock.status
        if was is not None and status in PLAY_STATES and status != was:
            self.play_was = was

    def actor_name(self, actor: str | None) -> str:
        if actor is None:
            return "Control"
        return self.actors.get(actor, (actor, "other"))[0]

    # ----------------------------------------------------------------- folding

    def welcome(self, msg: Welcome) -> None:
        info = ExerciseInfo.model_validate(msg.exercise).in_language(self.lang)
        self.languages = list(info.languages or [])
        self.phase_text = dict(info.phases or {})
        self.team = msg.team or ""
        self.member = msg.name
        self.title = info.title
        self.show_results = info.show_results
        self.actors = {a.id: (a.name, a.kind) for a in info.actors}
        self.team_name = info.team_name or self.team
        self.briefing = info.briefing
        self.clock.duration = info.duration
        self.clock.story = from_wire(info.start, info.story_jumps)
        self.replayed_upto = msg.last_seq
        self.play_was = None
        # Back after a drop, what the member saw; a first join ("ready") has nothing.
        shown = self.clock.status
        self.rejoin_from = shown if shown in PLAY_STATES else None

    @property
    def who(self) -> str:
        """Who is at this console, for the clock bar."""
        return f"{self.team_name} · {self.member}"

    def receive(self, msg: EventMsg) -> set[Area]:
        """Fold an ``event`` message as the server sent it to this team."""
        return self.apply(team_event(msg))

    def apply(self, event: TeamEvent) -> set[Area]:
        """Fold one event; returns the parts of the console it changed."""
        if event.seq and event.seq <= self.last_seq:
            return set()
        self.last_seq = max(self.last_seq, event.seq)
        body = event.body
        match body:
            case InjectShown():
                return self._delivered(event, body)
            case DeadlineShown():
                return self._deadline(body)
            case (
                c.Start()
                | c.Pause()
                | c.Resume()
                | c.SetSpeed()
                | c.Jump()
                | c.End()
                | Ended()
                | Discussion()
            ):
                if isinstance(body, Discussion) and body.phase in self.phase_text:
                    words = self.phase_text[body.phase]
                    body = body.model_copy(
                        update={"title": words.title, "questions": words.questions}
                    )
                was = self.clock.status
                self.clock.apply(body, event.t)
                self.pause = pause_after(body, self.pause, event.wall)
                turned = {was, self.clock.status} == PLAY_STATES
                if turned and event.seq > self.replayed_upto and self.play_was is None:
                    self.play_was = was
                return {"clock"}
            case AnswerShown():
                return self._respond(event.t, body)
            case CompletedShown():
                return self._completed(event.t, body.expectation)
            case Scored():
                areas = self._completed(event.t, body.expectation) if body.completed else set()
                return areas | self._scored(body)
            case c.Ask():
                return self._message(event, "ask", body.member, body.actor, body.text)
            case c.Reply():
                return self._message(
                    event, "reply", self.actor_name(body.actor), body.actor, body.text
                )
            case c.Broadcast():
                author = self.actor_name(body.actor)
                return self._message(event, "broadcast", author, body.actor, body.text, body.title)
            case c.TeamNote():
                return self._message(event, "team_note", body.member, None, body.text)
            case c.Join():
                if body.member not in self.members:
                    self.members.append(body.member)
                return {"log"}
            case c.Open():
                entry = self.inbox.get(body.inject)
                if entry is not None and not entry.opened_by:
                    entry.opened_by = body.member
                return set()
            case _:
                assert_never(body)

    def _delivered(self, event: TeamEvent, body: InjectShown) -> set[Area]:
        inject = body.in_language(self.lang)
        t = event.t
        exps = [
            ExpectationItem(
                ref=f"{inject.id}.{x.id}",
                id=x.id,
                kind=x.kind,
                prompt=x.prompt,
                due_at=t + x.due if x.due is not None else None,
                answer_by=x.answer_by,
                options=[(o.id, o.label) for o in x.options],
                items=[(i.id, i.label) for i in x.items],
                min_words=x.min_words,
                max_words=x.max_words,
            )
            for x in inject.expects
        ]
        entry = self.inbox[inject.id] = InboxEntry(
            seq=event.seq,
            inject=inject.id,
            title=inject.title,
            channel=inject.channel,
            sender=inject.sender.name,
            sender_kind=inject.sender.kind,
            priority=inject.priority,
            body=inject.body,
            delivered_at=t,
            attachments=list(inject.attachments),
            expectations=exps,
        )
        self.last_delivered = entry
        self.arrived.append(entry)
        self.changed.add(inject.id)
        areas: set[Area] = {"inbox"}
        if inject.channel in FEED_CHANNELS:
            areas.add("feed")
        return areas

    def _deadline(self, body: DeadlineShown) -> set[Area]:
        exp = self.expectation(body.expectation)
        if exp is None:
            return set()
        exp.expired = True
        self.changed.add(exp.ref.partition(".")[0])
        return {"inbox"}

    def _respond(self, t: int, body: AnswerShown) -> set[Area]:
        """An answer by a member of the team, as the server shapes it for the team."""
        exp = self.expectation(body.expectation)
        if exp is None:
            return set()
        feedback, verdict = body.feedback_in(self.lang), body.verdict_in(self.lang)
        given = GivenAnswer(body.choice, body.items, body.text, verdict, feedback)
        exp.responses.append(Response(body.member, t, given))
        if body.member not in exp.members_answered:
            exp.members_answered.append(body.member)
        if exp.answer is None:
            exp.answer = given
            exp.answered_by = body.member
        self.changed.add(exp.ref.partition(".")[0])
        return {"inbox"}

    def _completed(self, t: int, ref: str) -> set[Area]:
        """The engine says the team has answered (every member, for a whole-team question)."""
        exp = self.expectation(ref)
        if exp is None:
            return set()
        if exp.answered_at is None:
            exp.answered_at = t
        self.changed.add(exp.ref.partition(".")[0])
        return {"inbox", "score"}

    def _scored(self, body: Scored) -> set[Area]:
        exp = self.expectation(body.expectation)
        if exp is None:
            return set()
        exp.result = body
        self.changed.add(exp.ref.partition(".")[0])
        return {"inbox", "score"}

    def _message(
        self,
        event: TeamEvent,
        kind: MessageKind,
        author: str,
        actor: str | None,
        text: str,
        title: str = "",
    ) -> set[Area]:
        message = Message(event.seq, event.t, kind, author, actor, text, title)
        self.messages.append(message)
        if kind in ALERT_KINDS:
            self.heard.append(message)
            self.unread_messages += 1
        return {"log" if kind == "team_note" else "messages"}

    def messages_seen(self) -> None:
        """The team has the Messages tab in front of it: nothing there is unread."""
        self.unread_messages = 0
