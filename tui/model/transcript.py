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
from engine.i18n import N_, _
from engine.i18n.forms import listed
from engine.meaning.verdict import TextVerdict
from tui.console.glyphs import CHANNEL_NAME
from tui.model.team import ExpectationItem, ExpectationStatus, InboxEntry, Message, TeamModel

ASK_WORDS = {
    "decision": N_("Choose one option"),
    "checklist": N_("Tick every item that applies"),
    "text": N_("Write your answer"),
    "manual": N_("An evaluator grades this; notes are optional"),
}
"""What each kind of question asks the team to do, said before its options (English
source text marked with N_, translated where said)."""
STATUS_WORDS: dict[ExpectationStatus, str] = {
    "open": N_("open"),
    "overdue": N_("overdue, not answered yet"),
    "expired": N_("missed"),
    "answered": N_("answered"),
    "late": N_("answered late"),
}
PRIORITY_WORDS = {"high": N_("high priority"), "critical": N_("critical priority")}
"""The priorities a transcript says (a normal one goes unsaid)."""
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

    team = model.team_name or model.team
    put(
        _("Transcript: {title}").format(title=model.title or _("exercise")),
        _("Team: {team}, you are {member}").format(team=team, member=model.member)
        if model.member
        else _("Team: {team}").format(team=team),
        _(
            "Every inject and every answer, oldest first. Times are exercise time, with the "
            "time in the story in brackets."
        )
        if model.clock.story
        else _("Every inject and every answer, oldest first. Times are exercise time."),
    )
    briefing = model.briefing
    if briefing.text or briefing.role_text:
        put("", _("Briefing"))
        if briefing.text:
            put(markdown_text(briefing.text))
        if briefing.role_text:
            put(
                _("Your role, {role}:").format(role=briefing.role)
                if briefing.role
                else _("Your role:")
            )
            put(markdown_text(briefing.role_text))
    blocks = [inject_block(model, entry, now) for entry in model.inbox.values()]
    blocks += [message_block(model, msg) for msg in model.messages]
    if not model.inbox:
        put("", _("No inject has arrived yet."))
    for block in sorted(blocks, key=lambda b: (b.t, b.seq)):
        put("")
        starts.append(len(lines))
        put(*block.lines)
    put("", _("End of transcript at {time}.").format(time=when(model, now)))
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
    head = _("{time}. Inject {inject}, {channel}, from {sender}").format(
        time=when(model, entry.delivered_at),
        inject=entry.inject,
        channel=channel,
        sender=entry.sender,
    )
    priority = PRIORITY_WORDS.get(entry.priority)
    if priority is not None:
        head += ", " + _(priority)
    lines = [head + ".", _("Title: {title}").format(title=entry.title)]
    if entry.body.strip():
        lines.append(markdown_text(entry.body))
    for attachment in entry.attachments:
        kind = attachment.kind_text()
        lines.append(
            _("Attachment {name} ({kind}):").format(name=attachment.name, kind=kind)
            if kind
            else _("Attachment {name}:").format(name=attachment.name)
        )
        if attachment.is_file and attachment.content is None:
            if attachment.text.strip():
                lines.append(attachment.text.strip("\n"))
            lines.append(_("Open it with its Open button in the inject view."))
        else:
            lines.append(attachment.shown_text.strip("\n") or _("(empty)"))
    count = len(entry.expectations)
    for number, item in enumerate(entry.expectations, 1):
        label = _("Question {number} of {count}").format(number=number, count=count)
        lines.extend(question_lines(model, item, now, label))
    return Block(entry.delivered_at, entry.seq, tuple(lines))


def question_lines(model: TeamModel, item: ExpectationItem, now: int, label: str) -> list[str]:
    ask = ASK_WORDS.get(item.kind)
    lines = [
        _("{label}: {prompt}").format(label=label, prompt=item.prompt),
        (_(ask) if ask else _("Answer")) + ".",
    ]
    choices = item.options if item.kind == "decision" else item.items
    choice = (
        _("Option {index} of {count}: {text}")
        if item.kind == "decision"
        else _("Item {index} of {count}: {text}")
    )
    for index, (_id, text) in enumerate(choices, 1):
        lines.append("  " + choice.format(index=index, count=len(choices), text=text))
    if item.kind == "text" and (item.min_words or item.max_words):
        if item.min_words and item.max_words:
            length = _("Length: at least {least} and at most {most} words.")
        elif item.min_words:
            length = _("Length: at least {least} words.")
        else:
            length = _("Length: at most {most} words.")
        lines.append(length.format(least=item.min_words, most=item.max_words))
    if item.due_at is not None:
        lines.append(_("Due at {time}.").format(time=when(model, item.due_at)))
    if item.answer_by == "all":
        lines.append(_("Every member of the team answers."))
    for response in item.responses:
        given = item.describe_answer(response.given) or _("(submitted)")
        lines.append(
            _("Answer by {member} at {time}: {answer}").format(
                member=response.member, time=when(model, response.t), answer=given
            )
        )
    status = _("Status: {status}").format(status=_(STATUS_WORDS[item.status(now)]))
    lines.append(status + _completed(model, item) + ".")
    lines.extend(result_lines(item))
    return lines


def _completed(model: TeamModel, item: ExpectationItem) -> str:
    if item.answered_at is None:
        return ", " + _("the deadline passed with no answer") if item.expired else ""
    if item.answer_by == "all" or len(item.responses) > 1:
        return ", " + _("complete at {time}").format(time=when(model, item.answered_at))
    return ""


def result_lines(item: ExpectationItem) -> list[str]:
    """The engine's figures for the question (present only when the scenario shows
    results), and what the grader found in a text answer."""
    result = item.result
    if result is None:
        return []
    if result.points is None:
        line = _("Result: awaiting an evaluator's grade")
    else:
        line = _("Result: {points} of {maximum} points").format(
            points=f"{round(result.points, 2):g}", maximum=f"{result.max_points:g}"
        )
    if result.factor < 1:
        line += ", " + _("answered {late} late: keeps {share} of the points").format(
            late=format_seconds(result.late_ms), share=f"{result.factor:.0%}"
        )
    lines = [line + "."]
    verdict = item.answer.verdict if item.answer is not None else None
    if verdict is not None:
        lines.extend(verdict_lines(verdict))
    return lines


def verdict_lines(verdict: TextVerdict) -> list[str]:
    found, missed = verdict.found(), verdict.missed()
    lines = [_("Found: {elements}.").format(elements=listed(found))] if found else []
    lines += [_("Missed: {elements}.").format(elements=listed(missed))] if missed else []
    if verdict.forbidden:
        said = listed(v.name for v in verdict.forbidden)
        lines.append(_("Should not say: {elements}.").format(elements=said))
    return lines


def message_block(model: TeamModel, msg: Message) -> Block:
    at = when(model, msg.t)
    match msg.kind:
        case "broadcast":
            head = _("{time}. Broadcast from {author}").format(time=at, author=msg.author) + (
                f", {msg.title}" if msg.title else ""
            )
        case "ask":
            head = _("{time}. {author} asked {actor}").format(
                time=at, author=msg.author, actor=model.actor_name(msg.actor)
            )
        case "reply":
            head = _("{time}. Reply from {author}").format(time=at, author=msg.author)
        case "team_note":
            head = _("{time}. Team note by {author}").format(time=at, author=msg.author)
    return Block(msg.t, msg.seq, (head + ":", msg.text))
