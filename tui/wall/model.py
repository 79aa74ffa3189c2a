"""What the wall shows, folded from the events the server sends it.

Pure data, no Textual: the wall console renders it, tests drive it directly, and
it is the same fold whether events arrive live, in a catch-up or in a snapshot.
Events are typed (:class:`engine.wallview.WallEvent`) and matched on their body's
class; ``apply`` returns which parts of the screen changed.

The wall holds only what the server sends a wall seat (:mod:`engine.wallview`):
nothing here could spoil an inject still to come, since none ever arrives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, assert_never

from engine import commands as c
from engine.events import Discussion, Ended
from engine.i18n import _
from engine.net.protocol import EventMsg, Welcome
from engine.storyclock import from_wire
from engine.views import ExerciseInfo, PauseView, pause_after
from engine.wallview import PhaseView, WallEvent, WallShown, wall_event
from tui.model.clock import ConsoleClock

Area = Literal["clock", "posts", "notices", "phase"]
MAX_KEPT = 200
"""Posts and notices kept (the screen shows the newest few): a day's worth and more."""


@dataclass(frozen=True, slots=True)
class Post:
    """A headline or a social post released to the room."""

    seq: int
    t: int
    inject: str
    title: str
    channel: str
    sender: str
    body: str


@dataclass(frozen=True, slots=True)
class Notice:
    """A broadcast to every team."""

    seq: int
    t: int
    title: str
    text: str
    sender: str


@dataclass
class WallModel:
    title: str = ""
    briefing: str = ""
    """What every team reads before play (shown before the first headline)."""
    actors: dict[str, str] = field(default_factory=dict)
    """Actor id → name."""
    clock: ConsoleClock = field(default_factory=ConsoleClock)
    posts: list[Post] = field(default_factory=list)
    """Oldest first; each inject once (a post reaching teams at several moments)."""
    notices: list[Notice] = field(default_factory=list)
    phase: PhaseView | None = None
    pause: PauseView | None = None
    """The pause in force: its message and planned end."""
    ended: str = ""
    """Why the exercise ended, once it has."""
    last_seq: int = 0
    _seen: set[str] = field(default_factory=set)

    @property
    def who(self) -> str:
        return _("Wall")

    def newest_posts(self, count: int) -> list[Post]:
        return self.posts[-count:][::-1] if count > 0 else []

    def newest_notices(self, count: int) -> list[Notice]:
        return self.notices[-count:][::-1] if count > 0 else []

    def actor_name(self, actor: str | None) -> str:
        if actor is None:
            return _("Control room")
        return self.actors.get(actor, actor)

    # ----------------------------------------------------------------- folding

    def welcome(self, msg: Welcome) -> None:
        info = ExerciseInfo.model_validate(msg.exercise)
        self.title = info.title
        self.briefing = info.briefing.text
        self.actors = {a.id: a.name for a in info.actors}
        self.clock.duration = info.duration
        self.clock.story = from_wire(info.start, info.story_jumps)

    def receive(self, msg: EventMsg) -> set[Area]:
        """Fold an ``event`` message as the server sent it to the wall."""
        return self.apply(wall_event(msg))

    def apply(self, event: WallEvent) -> set[Area]:
        """Fold one event; returns the parts of the screen it changed."""
        if event.seq and event.seq <= self.last_seq:
            return set()
        self.last_seq = max(self.last_seq, event.seq)
        body = event.body
        match body:
            case WallShown():
                return self._shown(event, body)
            case c.Broadcast():
                notice = Notice(
                    event.seq, event.t, body.title, body.text, self.actor_name(body.actor)
                )
                self.notices = [*self.notices[-(MAX_KEPT - 1) :], notice]
                return {"notices"}
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
                self.clock.apply(body, event.t)
                self.pause = pause_after(body, self.pause, event.wall)
                if isinstance(body, c.End | Ended):
                    self.ended = body.reason or self.ended
                return {"clock"}
            case _:
                assert_never(body)

    def _shown(self, event: WallEvent, body: WallShown) -> set[Area]:
        changed: set[Area] = set()
        ahead = self.phase is None or (body.phase is not None and _later(body.phase, self.phase))
        if body.phase is not None and ahead and body.phase != self.phase:
            self.phase = body.phase
            changed.add("phase")
        post = body.post
        if post is not None and post.id not in self._seen:
            self._seen.add(post.id)
            shown = Post(
                event.seq, event.t, post.id, post.title, post.channel, post.sender.name, post.body
            )
            self.posts = [*self.posts[-(MAX_KEPT - 1) :], shown]
            changed.add("posts")
        return changed


def _later(phase: PhaseView, current: PhaseView) -> bool:
    """Whether the room moves on to ``phase``: a later one, or any when either is unlisted."""
    return phase.number >= current.number or not (phase.number and current.number)
