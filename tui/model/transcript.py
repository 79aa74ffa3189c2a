"""The team console as one linear transcript: what arrived and what the team did, in order.

For players who cannot use the screen's layout (a screen reader reads a terminal or a
page line by line, and a layout of lists, tabs and panes read that way is noise), and for
anyone who wants the whole story in one place. Each delivered inject, in the order it
arrived, with its time, channel, sender, title, text, attachments, each question with its
options, every answer given (who, when) and, when the scenario shows them, the results;
broadcasts, the conversation with actors and the team's own notes in their place in time.

Words only: no glyphs, boxes or colours, and a label on every line that needs one
("Question", "Answer by Amira at 0:09:00"), so a line read aloud alone still makes sense.
Built from the team's model (:class:`~tui.model.team.TeamModel`) and nothing else: it
decides nothing (status, completion and results are the engine's, as the model holds
them). People's words come out as they were written; the view makes their control
characters visible (:func:`tui.console.safe.visible`) and shows them as text, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

from engine.durations import format_clock, format_seconds
from engine.i18n import _
from engine.meaning.verdict import TextVerdict
from tui.console.glyphs import CHANNEL_NAME
from tui.model.team import ExpectationItem, ExpectationStatus, InboxEntry, Message, TeamModel

ASK_WORDS = {
    "decision": "Choose one option",
    "checklist": "Tick every item that applies",
    "text": "Write your answer",
    "manual": "An evaluator grades this; notes are optional",
}
"""What each kind of question asks the team to do, said before its options."""
STATUS_WORDS: dict[ExpectationStatus, str] = {
    "open": "open",
    "overdue": "overdue, not answered yet",
    "expired": "missed",
    "answered": "answered",
    "late": "answered late",
}
"""A question's status in words (no capitals: a screen reader spells those out)."""


@dataclass(frozen=True, slots=True)
class Block:
    """One thing that happened, as lines of text: an inject with its questions, or a
    message. Blocks are shown in order of time, then of the server's sequence."""

    t: int
    seq: int
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Transcript:
    """The transcript as lines of text (a value with newlines is split), and where each
    inject or message starts (so a reader can go to the latest)."""

    lines: list[str]
    starts: list[int]
    """Index in ``lines`` of each block's first line, in order."""

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def transcript(model: TeamModel, now: int) -> Transcript:
    """The transcript at exercise time ``now`` (a question's status reads it)."""
    lines: list[str] = []
    starts: list[int] = []

    def put(*values: str) -> None:
        for value in values:
            lines.extend(value.split("\n"))

    put(
        f"Transcript: {model.title or 'exercise'}",
        f"Team: {model.team_name or model.team}"
        + (f", you are {model.member}" if model.member else ""),
        "Every inject and every answer, oldest first. Times are exercise time"
        + (", with the time in the story in brackets." if model.clock.story else "."),
    )
    briefing = model.briefing
    if briefing.text or briefing.role_text:
        put("", "Briefing")
        if briefing.text:
            put(markdown_text(briefing.text))
        if briefing.role_text:
            put(f"Your role, {briefing.role}:" if briefing.role else "Your role:")
            put(markdown_text(briefing.role_text))
    blocks = [inject_block(model, entry, now) for entry in model.inbox.values()]
    blocks += [message_block(model, msg) for msg in model.messages]
    if not model.inbox:
        put("", "No inject has arrived yet.")
    for block in sorted(blocks, key=lambda b: (b.t, b.seq)):
        put("")
        starts.append(len(lines))
        put(*block.lines)
    put("", f"End of transcript at {when(model, now)}.")
    return Transcript(lines, starts)


def transcript_text(model: TeamModel, now: int) -> str:
    return transcript(model, now).text


_MARKDOWN = MarkdownIt("commonmark")


def markdown_text(source: str) -> str:
    """An inject's or a briefing's Markdown as plain text: a paragraph or a list item on
    one line (the view wraps it to the width; the author's line breaks inside a paragraph
    are not breaks in Markdown either), without emphasis marks (a screen reader reads
    "star star"), a link's address after its words, code blocks line for line."""
    lines: list[str] = []
    prefix = ""
    for token in _MARKDOWN.parse(source):
        match token.type:
            case "list_item_open":
                prefix = f"{token.info}. " if token.info else "- "
            case "inline":
                lines.append(prefix + _inline_text(token))
                prefix = ""
            case "fence" | "code_block" | "html_block":
                lines.extend(token.content.rstrip("\n").split("\n"))
            case _:
                pass
    return "\n".join(lines) if any(lines) else source.strip("\n")


def _inline_text(token: Token) -> str:
    parts: list[str] = []
    href = ""
    for child in token.children or []:
        match child.type:
            case "text" | "code_inline" | "html_inline":
                parts.append(child.content)
            case "softbreak":
                parts.append(" ")
            case "hardbreak":
                parts.append("\n")
            case "image":
                parts.append(child.content)
            case "link_open":
                href = str(child.attrGet("href") or "")
            case "link_close":
                words = parts[-1] if parts else ""
                if href and href != words:
                    parts.append(f" ({href})")
                href = ""
            case _:
                pass
    return "".join(parts)


def when(model: TeamModel, t: int) -> str:
    """An exercise time, with the in-world time when the scenario has one: ``0:09:00
    (Tue 09:09)``."""
    story = model.clock.story
    return format_clock(t) + (f" ({story.text(t)})" if story is not None else "")


def inject_block(model: TeamModel, entry: InboxEntry, now: int) -> Block:
    channel = _(CHANNEL_NAME.get(entry.channel, entry.channel))
    head = (
        f"{when(model, entry.delivered_at)}. Inject {entry.inject}, {channel}, from {entry.sender}"
    )
    if entry.priority in ("high", "critical"):
        head += f", {entry.priority} priority"
    lines = [head + ".", f"Title: {entry.title}"]
    if entry.body.strip():
        lines.append(markdown_text(entry.body))
    for attachment in entry.attachments:
        kind = attachment.kind_text()
        lines.append(f"Attachment {attachment.name}" + (f" ({kind})" if kind else "") + ":")
        if attachment.is_file and attachment.content is None:
            if attachment.text.strip():
                lines.append(attachment.text.strip("\n"))
            lines.append("Open it with its Open button in the inject view.")
        else:
            lines.append(attachment.shown_text.strip("\n") or "(empty)")
    count = len(entry.expectations)
    for number, item in enumerate(entry.expectations, 1):
        lines.extend(question_lines(model, item, now, f"Question {number} of {count}"))
    return Block(entry.delivered_at, entry.seq, tuple(lines))


def question_lines(model: TeamModel, item: ExpectationItem, now: int, label: str) -> list[str]:
    lines = [f"{label}: {item.prompt}", ASK_WORDS.get(item.kind, "Answer") + "."]
    choices = item.options if item.kind == "decision" else item.items
    noun = "Option" if item.kind == "decision" else "Item"
    for index, (_id, text) in enumerate(choices, 1):
        lines.append(f"  {noun} {index} of {len(choices)}: {text}")
    if item.kind == "text" and (item.min_words or item.max_words):
        bounds = [f"at least {item.min_words}"] if item.min_words else []
        bounds += [f"at most {item.max_words}"] if item.max_words else []
        lines.append(f"Length: {' and '.join(bounds)} words.")
    if item.due_at is not None:
        lines.append(f"Due at {when(model, item.due_at)}.")
    if item.answer_by == "all":
        lines.append("Every member of the team answers.")
    for response in item.responses:
        given = item.describe_answer(response.given) or "(submitted)"
        lines.append(f"Answer by {response.member} at {when(model, response.t)}: {given}")
    lines.append(f"Status: {STATUS_WORDS[item.status(now)]}" + _completed(model, item) + ".")
    lines.extend(result_lines(item))
    return lines


def _completed(model: TeamModel, item: ExpectationItem) -> str:
    if item.answered_at is None:
        return ", the deadline passed with no answer" if item.expired else ""
    if item.answer_by == "all" or len(item.responses) > 1:
        return f", complete at {when(model, item.answered_at)}"
    return ""


def result_lines(item: ExpectationItem) -> list[str]:
    """The engine's figures for the question (present only when the scenario shows
    results), and what the grader found in a text answer."""
    result = item.result
    if result is None:
        return []
    if result.points is None:
        line = "Result: awaiting an evaluator's grade"
    else:
        line = f"Result: {round(result.points, 2):g} of {result.max_points:g} points"
    if result.factor < 1:
        line += (
            f", answered {format_seconds(result.late_ms)} late: keeps {result.factor:.0%} of "
            "the points"
        )
    lines = [line + "."]
    verdict = item.answer.verdict if item.answer is not None else None
    if verdict is not None:
        lines.extend(verdict_lines(verdict))
    return lines


def verdict_lines(verdict: TextVerdict) -> list[str]:
    found, missed = verdict.found(), verdict.missed()
    lines = [f"Found: {'; '.join(found)}."] if found else []
    lines += [f"Missed: {'; '.join(missed)}."] if missed else []
    if verdict.forbidden:
        lines.append(f"Should not say: {'; '.join(v.name for v in verdict.forbidden)}.")
    return lines


def message_block(model: TeamModel, msg: Message) -> Block:
    at = when(model, msg.t)
    match msg.kind:
        case "broadcast":
            head = f"{at}. Broadcast from {msg.author}" + (f", {msg.title}" if msg.title else "")
        case "ask":
            head = f"{at}. {msg.author} asked {model.actor_name(msg.actor)}"
        case "reply":
            head = f"{at}. Reply from {msg.author}"
        case "team_note":
            head = f"{at}. Team note by {msg.author}"
    return Block(msg.t, msg.seq, (head + ":", msg.text))
