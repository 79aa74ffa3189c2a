"""The wall's texts: headlines, notices, the banner and the header, as Rich ``Text``.

Every word that people wrote (a scenario author's headline, a controller's
broadcast, a pause's message) goes through :mod:`tui.console.safe`: text, never
markup, control characters made visible. Times are written by
:mod:`engine.durations` (through the console clock and :class:`~engine.views.PauseView`).
"""

from __future__ import annotations

import re
from datetime import tzinfo

from rich.text import Text

from engine.durations import format_clock
from engine.i18n import N_, _
from engine.net.protocol import LinkState
from engine.storyclock import StoryClock
from scoring.chronicle import end_reason
from tui.console.discussion import discussion_text
from tui.console.safe import add
from tui.wall.model import Notice, Post, WallModel

BODY_LIMIT = 320
"""Characters of a post's body on the wall: the gist, readable from the back of the room."""
NOTICE_LIMIT = 400
_CHANNEL_LABEL = {"news": N_("NEWS"), "social": N_("SOCIAL")}
"""A post's channel as the room reads it (the channel itself is data: its key stays)."""
_CHANNEL_STYLE = {"news": "bold white on dark_blue", "social": "bold white on dark_magenta"}
_STATUS_STYLE = {
    "running": "bold black on green",
    "paused": "bold black on yellow",
    "ended": "bold white on red",
    "ready": "bold reverse",
}
_DOT = {
    "connected": ("●", "green"),
    "reconnecting": ("●", "yellow"),
    "connecting": ("○", "yellow"),
    "closed": ("●", "red"),
}


_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")


def prose(text: str) -> str:
    """An author's Markdown as running text for the wall: paragraphs kept, the lines in
    each joined, emphasis markers dropped (the wall reads from the back of a room)."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    joined = "\n\n".join(p for p in paragraphs if p)
    return _EMPHASIS.sub(r"\2", _STRONG.sub(r"\2", joined))


def when(model: WallModel, t: int) -> str:
    """An event's moment: story time when the scenario has one, else the exercise clock."""
    story = model.clock.story
    return story.text(t) if story is not None else format_clock(t)


def story_parts(story: StoryClock | None, now: int) -> tuple[str, str] | None:
    """The story's day and time of day (``Tue``, ``09:42``), when the scenario has a start."""
    if story is None:
        return None
    day, _sep, time_of_day = story.text(now).partition(" ")
    return day, time_of_day


def header(model: WallModel, state: LinkState) -> Text:
    """The top line: the exercise's title, its state, the connection."""
    out = Text(no_wrap=True, overflow="ellipsis")
    status = model.clock.status
    out.append(f" {model.clock.status_text()} ", style=_STATUS_STYLE.get(status, "bold"))
    out.append("  ")
    add(out, model.title or "sitroom", "bold", one_line=True, limit=200)
    dot, colour = _DOT[state]
    out.append(f"  {dot}", style=colour)
    return out


def phase_text(model: WallModel) -> Text:
    phase = model.phase
    if phase is None:
        return Text("—", style="dim")
    out = Text()
    if phase.number:
        out.append(f"{phase.number} · ", style="bold")
    return add(out, phase.title, "bold", one_line=True, limit=120)


def banner(model: WallModel, wall_now: float, tz: tzinfo | None) -> Text | None:
    """What stops play, in large words: not started, a pause (its message and when play
    resumes), the end. None while the clock runs."""
    status = model.clock.status
    if status == "running":
        return None
    out = Text(justify="center")
    if status == "ready":
        out.append(_("The exercise starts soon"), style="bold")
        return out
    if status == "ended":
        out.append(_("The exercise has ended"), style="bold")
        if model.ended:
            out.append("\n")
            add(out, end_reason(model.ended), one_line=True, limit=200)
        return out
    pause = model.pause
    if pause is None:
        out.append(_("Paused"), style="bold")
        return out
    if pause.discussion is not None:
        # A module's discussion: the room reads the questions every table discusses.
        return discussion_text(pause.discussion)
    add(out, pause.headline(tz), "bold", one_line=True, limit=240)
    left = pause.seconds_left(wall_now)
    if left is not None and left <= 0:
        out.append("\n" + _("resuming…"), style="dim")
    return out


def posts(model: WallModel, items: list[Post]) -> Text:
    """Headlines and posts, newest first (or what to expect before the first)."""
    if not items:
        out = Text()
        if model.clock.status == "ready" and model.briefing:
            out.append(_("Before we start") + "\n", style="bold")
            add(out, prose(model.briefing), limit=1_500)
            return out
        out.append(_("Headlines and social posts appear here as the story unfolds."), style="dim")
        return out
    out = Text()
    for k, post in enumerate(items):
        if k:
            out.append("\n\n")
        label = _CHANNEL_LABEL.get(post.channel)
        channel = _(label) if label is not None else post.channel.upper()
        out.append(f" {channel} ", style=_CHANNEL_STYLE.get(post.channel, "reverse"))
        out.append(f" {when(model, post.t)}  ", style="dim")
        add(out, post.sender, "italic", one_line=True, limit=60)
        out.append("\n")
        add(out, post.title, "bold", one_line=True, limit=200)
        if post.body.strip():
            out.append("\n")
            add(out, " ".join(prose(post.body).split()), limit=BODY_LIMIT)
    return out


def notices(model: WallModel, items: list[Notice]) -> Text:
    """Broadcasts to everyone, newest first."""
    if not items:
        return Text(_("Messages from the control room to everyone appear here."), style="dim")
    out = Text()
    for k, notice in enumerate(items):
        if k:
            out.append("\n\n")
        out.append(f"{when(model, notice.t)}  ", style="dim")
        add(out, notice.sender, "italic", one_line=True, limit=60)
        out.append("\n")
        if notice.title:
            add(out, notice.title, "bold", one_line=True, limit=200)
            out.append("\n")
        add(out, notice.text, limit=NOTICE_LIMIT)
    return out
