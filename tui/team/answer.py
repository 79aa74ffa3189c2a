"""The form under an inject for one expectation: choose, tick or write, then submit.

Drafts live in a store the app owns, keyed by expectation, so an answer half
typed survives switching injects, a redraw and a lost connection. The form posts
:class:`AnswerForm.Submitted` up; the app confirms, sends and tells the form how
it went (attributes down, messages up).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    OptionList,
    RadioButton,
    RadioSet,
    SelectionList,
    Static,
    TextArea,
)

from engine.durations import format_countdown, format_seconds
from engine.i18n import _, ngettext
from engine.i18n.forms import grouped, listed
from engine.meaning.verdict import TextVerdict
from tui.console.glyphs import STATUS_WORD
from tui.console.safe import add, line, plain
from tui.console.textbox import TextBox
from tui.model.team import ExpectationItem, GivenAnswer

SendState = Literal["idle", "sending", "queued", "failed"]


@dataclass
class Draft:
    choice: str | None = None
    items: list[str] | None = None
    text: str = ""
    state: SendState = "idle"
    error: str = ""


class DraftStore(dict[str, Draft]):
    """Unsent answers by expectation ref; the app keeps one for the whole session."""

    def of(self, ref: str) -> Draft:
        if ref not in self:
            self[ref] = Draft()
        return self[ref]


def _verdict_lines(text: Text, verdict: TextVerdict) -> None:
    """What the grader found and missed in a text answer, element by element."""
    found, missed = verdict.found(), verdict.missed()
    if found:
        text.append("\n" + _("Found: "), style="bold")
        add(text, listed(found), one_line=True)
    if missed:
        text.append("\n" + _("Missed: "), style="bold")
        add(text, listed(missed), one_line=True)
    if verdict.forbidden:
        text.append("\n" + _("Should not say: "), style="bold")
        add(text, listed(v.name for v in verdict.forbidden), one_line=True)


def _shape(words: str) -> str:
    """A line with its digits hidden: two lines of one shape wrap the same way."""
    return _DIGIT.sub("0", words)


_DIGIT = re.compile(r"\d")


def word_count(text: str) -> int:
    return len(text.split())


class OptionButton(RadioButton):
    """A decision's option whose label wraps under itself instead of being cut with "…".

    Textual's radio button keeps its label to one line: at 80, 120 and even 160
    columns an option's end was cut, and the end is often what makes it right
    ("…before saying or changing anything"). Here the label is wrapped to the
    button's width, the lines after the first indented under the label's start.
    """

    DEFAULT_CSS = """
    OptionButton { height: auto; }
    """

    _INDENT = 4
    """The button's three cells and the space before the label."""

    def _label_lines(self, width: int) -> list[Content]:
        return self.label.wrap(max(8, width - self._INDENT - 1))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._label_lines(width))

    def render(self) -> Content:
        label_style = self.get_visual_style("toggle--label")
        lines = self._label_lines(self.content_size.width)
        indent = Content(" " * (self._INDENT - 1))
        rows = [
            Content.assemble(
                self._button if k == 0 else indent, line.pad(1, 1).stylize_before(label_style)
            )
            for k, line in enumerate(lines)
        ]
        return Content("\n").join(rows)


class ItemList(SelectionList[str]):
    """A checklist whose items wrap under themselves instead of being cut with "…".

    Textual's selection list keeps each item to one line, and draws its tick box on
    every line as if each were an item: at 80 columns a French item ("Conservé le
    message vocal comme preuve") lost its end. Here an item wraps; its first line has
    the tick box, the lines after it are indented under the label.
    """

    DEFAULT_CSS = """
    ItemList { text-wrap: wrap; text-overflow: fold; }
    """

    def render_line(self, y: int) -> Strip:
        label = OptionList.render_line(self, y)
        try:
            index, offset = self._lines[self.scroll_offset.y + y]
        except IndexError:
            return label
        base = next(iter(label)).style if label.cell_length else None
        base = base or self.rich_style
        if offset > 0:
            return Strip([Segment(" " * self._get_left_gutter_width(), base), *label])
        item = self.get_option_at_index(index)
        part = "selection-list--button"
        if item.value in self.selected:
            part += "-selected"
        if self.highlighted == index:
            part += "-highlighted"
        where = Style(meta={"option": index})
        box = self.get_component_rich_style(part)
        side = Style.from_color(box.bgcolor, base.bgcolor) + where
        return Strip(
            [
                Segment(Checkbox.BUTTON_LEFT, side),
                Segment(Checkbox.BUTTON_INNER, box + where),
                Segment(Checkbox.BUTTON_RIGHT, side),
                Segment(" ", base),
                *label,
            ]
        )


_StatusClass = Literal["-answered", "-overdue", ""]
_STATUS_CLASSES: tuple[_StatusClass, ...] = ("-answered", "-overdue")
"""Every class a form's status may give it."""


def _status_class(item: ExpectationItem, now: int) -> _StatusClass:
    """The form's class for its expectation's status at ``now`` (none while open)."""
    status = item.status(now)
    if status in ("answered", "late"):
        return "-answered"
    return "-overdue" if status in ("overdue", "expired") else ""


class AnswerForm(Vertical):
    """One expectation: its question, deadline, the input for its kind, and submit."""

    DEFAULT_CSS = """
    AnswerForm { height: auto; border: round $primary-darken-2; padding: 0 1; margin: 1 0 0 0; }
    AnswerForm.-answered { border: round $success-darken-1; }
    AnswerForm.-overdue { border: round $error; }
    AnswerForm .prompt { text-style: bold; }
    AnswerForm .due { color: $text-muted; }
    AnswerForm TextArea { height: 6; }
    AnswerForm .actions { height: auto; margin-top: 1; }
    AnswerForm .send-state { width: 1fr; padding: 0 1; content-align: left middle; }
    AnswerForm .answer { margin-top: 1; }
    AnswerForm RadioSet, AnswerForm SelectionList { width: 100%; height: auto; }
    """

    class Submitted(Message):
        """The team asked to submit this answer."""

        def __init__(self, form: AnswerForm, ref: str, fields: GivenAnswer) -> None:
            super().__init__()
            self.form = form
            self.ref = ref
            self.fields = fields

    now: reactive[int] = reactive(0, layout=False)
    """Exercise time, for the countdown (the app ticks it)."""

    def __init__(self, item: ExpectationItem, drafts: DraftStore, *, now: int) -> None:
        # Its status classes from the start: set after mounting, each restyled the form.
        form_id = f"form-{item.ref.replace('.', '--')}"
        super().__init__(id=form_id, classes=_status_class(item, now))
        self.item = item
        self.drafts = drafts
        self.set_reactive(AnswerForm.now, now)
        self._composed: tuple[bool, Text | None] = (False, None)

    @property
    def draft(self) -> Draft:
        return self.drafts.of(self.item.ref)

    def _kind_shown(self) -> tuple[bool, Text | None]:
        """What decides the form's widgets: inputs, or the answer (and its grade) given."""
        item = self.item
        answered = item.answered_at is not None or item.answer is not None
        return answered, self._answer_text() if answered else None

    async def update_item(self, now: int) -> None:
        """The expectation changed: rebuild the form if it now shows something else (an
        answer instead of inputs, a grade), else move its status line on."""
        if self._kind_shown() != self._composed:
            self.set_reactive(AnswerForm.now, now)
            await self.recompose()
            self._apply_status_class()
            return
        self.set_reactive(AnswerForm.now, now)
        self.watch_now()

    def compose(self) -> ComposeResult:
        item = self.item
        self._composed = self._kind_shown()
        answer = self._composed[1]
        yield Static(plain(item.prompt or _("Your answer")), classes="prompt")
        yield Static(self._due_text(), classes="due")
        if answer is not None:  # answered: the answer (and its grade), not inputs
            yield Static(answer, classes="answer")
            return
        draft = self.draft
        if item.kind == "decision":
            with RadioSet(id="choice"):
                for option_id, label in item.options:
                    yield OptionButton(
                        line(label), value=draft.choice == option_id, id=f"opt-{option_id}"
                    )
        elif item.kind == "checklist":
            chosen = set(draft.items or [])
            yield ItemList(
                *[(line(label), iid, iid in chosen) for iid, label in item.items], id="items"
            )
        else:
            hint = (
                _("Write your answer")
                if item.kind == "text"
                else _("Notes for the evaluator (optional)")
            )
            yield TextBox(draft.text, id="text", placeholder=hint)
            yield Static(self._words_text(), classes="words")
        with Horizontal(classes="actions"):
            yield Static(self._send_text(), classes="send-state")
            yield Button(
                _("Submit"), id="submit", variant="primary", disabled=draft.state == "sending"
            )

    def on_mount(self) -> None:
        self._apply_status_class()

    # --------------------------------------------------------------- display

    def _due_text(self) -> Text:
        item = self.item
        status = item.status(self.now)
        text = Text()
        text.append(
            _(STATUS_WORD[status]),
            style={
                "overdue": "bold red",
                "expired": "red",
                "answered": "green",
                "late": "yellow",
            }.get(status, "cyan"),
        )
        if item.due_at is not None and status in ("open", "overdue"):
            left = item.due_at - self.now
            text.append(
                " · " + _("due in {time}").format(time=format_countdown(left))
                if left >= 0
                else " · " + _("{time} past the deadline").format(time=format_countdown(-left))
            )
        if item.answer_by == "all":
            done = len(item.members_answered)
            text.append(" · " + _("every member answers ({n} so far)").format(n=grouped(done)))
        return text

    def _answer_text(self) -> Text:
        item = self.item
        text = Text()
        heading = (
            _("Your answer by {member}:").format(member=item.answered_by)
            if item.answered_by
            else _("Your answer:")
        )
        add(text, heading + " ", "bold", one_line=True)
        add(text, item.describe_answer() or _("(submitted)"))
        result = item.result
        if result is not None:
            text.append("\n" + _("Result: "), style="bold")
            if result.points is None:
                text.append(_("awaiting an evaluator's grade"))
            else:
                text.append(f"{round(result.points, 2):g} / {result.max_points:g}")
            if result.factor < 1:
                late = format_seconds(result.late_ms)
                text.append(
                    " · "
                    + _("answered {late} late: keeps {share} of the points").format(
                        late=late, share=f"{result.factor:.0%}"
                    ),
                    style="dim",
                )
            verdict = item.answer.verdict if item.answer is not None else None
            if verdict is not None:
                _verdict_lines(text, verdict)
        feedback = item.answer.feedback if item.answer is not None else ""
        if feedback:
            # The author's word on the option chosen: what follows from it in the story.
            text.append("\n")
            add(text, feedback, "italic")
        return text

    def _words_text(self) -> str:
        item, words = self.item, word_count(self.draft.text)
        bounds = []
        if item.min_words:
            bounds.append(_("at least {n}").format(n=grouped(item.min_words)))
        if item.max_words:
            bounds.append(_("at most {n}").format(n=grouped(item.max_words)))
        counted = ngettext("{n} word", "{n} words", words).format(n=grouped(words))
        return counted + (f" ({', '.join(bounds)})" if bounds else "")

    def _send_text(self) -> Text:
        draft = self.draft
        if draft.state == "sending":
            return Text(_("Sending…"), style="italic")
        if draft.state == "queued":
            return Text(_("Waiting for the connection; it will be sent"), style="bold yellow")
        if draft.state == "failed":
            return plain(_("Not accepted: {reason}").format(reason=draft.error), "bold red")
        return Text("")

    def _apply_status_class(self) -> None:
        shown = _status_class(self.item, self.now)
        for name in _STATUS_CLASSES:
            self.set_class(name == shown, name)

    def watch_now(self) -> None:
        """Move the countdown on, redrawing the line only when its words change.

        Replacing a ``Static``'s text lays the whole screen out again: done every
        second whatever the text, it made each tick redraw every widget on screen.
        When only digits changed (a countdown of the same width: its words wrap as
        before) the line is repainted in place; anything else (9:59 to 10:00, a
        status) is laid out.
        """
        if self.is_mounted:
            # A tick can land while the form is (re)composing, before ``.due`` exists.
            for due in self.query(".due").results(Static):
                text = self._due_text()
                shown = due.content
                if isinstance(shown, Text) and shown == text:
                    continue
                digits_only = isinstance(shown, Text) and _shape(shown.plain) == _shape(text.plain)
                due.update(text, layout=not digits_only)
            self._apply_status_class()

    def show_state(self) -> None:
        """Redraw the send state (the app changed the draft's state)."""
        if not self.is_mounted:
            return
        for state in self.query(".send-state").results(Static):
            state.update(self._send_text())
        for button in self.query("#submit").results(Button):
            button.disabled = self.draft.state == "sending"

    def first_field(self) -> Widget | None:
        """The field that takes this answer (None once answered)."""
        return next(iter(self.query("#choice, #items, #text")), None)

    # --------------------------------------------------------------- editing

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        pressed = event.pressed.id or ""
        self.draft.choice = pressed.removeprefix("opt-")

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        self.draft.items = list(event.selection_list.selected)

    def on_key(self, event: events.Key) -> None:
        """A key the field let through (an arrow in the options, Space on an item):
        bring the field into view, if it was focused without scrolling."""
        focused = self.screen.focused
        if focused is not None and focused in self.query("#choice, #items"):
            focused.scroll_visible(animate=False)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.draft.text = event.text_area.text
        # Focused from the inbox without scrolling (the inject is read first): the box
        # comes into view with the first letter typed.
        event.text_area.scroll_visible(animate=False)
        for words in self.query(".words").results(Static):
            words.update(self._words_text())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id != "submit":
            return
        event.stop()
        fields = self.fields()
        if isinstance(fields, str):
            self.draft.state, self.draft.error = "failed", fields
            self.show_state()
            return
        self.post_message(self.Submitted(self, self.item.ref, fields))

    def fields(self) -> GivenAnswer | str:
        """The answer as given, or why it cannot be sent yet."""
        item, draft = self.item, self.draft
        if item.kind == "decision":
            if not draft.choice:
                return _("choose an option first")
            return GivenAnswer(choice=draft.choice)
        if item.kind == "checklist":
            return GivenAnswer(items=list(draft.items or []))
        text = draft.text.strip()
        if item.kind == "text" and not text:
            return _("write your answer first")
        return GivenAnswer(text=text or None)
