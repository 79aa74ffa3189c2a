"""The participant feedback form on the team console, shown once the exercise has ended.

HSEEP's Participant Feedback Form, for a terminal: up to three strengths, up to
three areas for improvement, a 1–5 rating of each fixed statement, and whether to
leave one's name out of the report. The questions and limits are
:mod:`engine.feedback`'s; this module only lays them out. Everything is reached
with Tab and the arrow keys (a rating is a row of radio buttons: arrows move,
Enter or Space picks), and every control shows when it has the keyboard.

The pane posts :class:`FeedbackPane.Send` with a :class:`Draft`; the screen sends
the ``feedback`` command in the member's name and tells the pane how it went. A
member may send again: the report keeps their latest form.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Button, Checkbox, Input, RadioButton, RadioSet, Static

from engine.feedback import MAX_ITEM_CHARS, MAX_ITEMS, QUESTIONS, SCALE, SCALE_WORDS, QuestionId
from engine.i18n import N_, _
from engine.i18n.forms import grouped
from tui.console.safe import plain

INTRO = N_(
    "The exercise has ended. Tell the organisers how it went: your top three strengths "
    "and areas for improvement, and how far you agree with each statement. Every field "
    "is optional. Tab moves between fields; in a rating, the arrows move and Enter picks."
)


def legend() -> str:
    """The scale in one short line (a phone's 40 columns)."""
    low, high = SCALE[0], SCALE[-1]
    return f"{low} {_(SCALE_WORDS[low])} … {high} {_(SCALE_WORDS[high])}"


@dataclass(frozen=True)
class Draft:
    """What the member filled in (blank fields left out)."""

    strengths: list[str] = field(default_factory=list)
    improvements: list[str] = field(default_factory=list)
    ratings: dict[QuestionId, int] = field(default_factory=dict)
    anonymous: bool = False

    @property
    def empty(self) -> bool:
        return not (self.strengths or self.improvements or self.ratings)


class FeedbackPane(VerticalScroll):
    """The form: strengths, areas for improvement, ratings, anonymity, Send."""

    DEFAULT_CSS = """
    FeedbackPane { padding: 0 1; }
    FeedbackPane .fb-heading { text-style: bold; margin-top: 1; }
    FeedbackPane .fb-legend { color: $text-muted; }
    FeedbackPane Input { height: 1; border: none; padding: 0 1; margin: 0 0 0 2; }
    FeedbackPane Input:focus { background: $primary 30%; }
    FeedbackPane .fb-question { margin-top: 1; }
    FeedbackPane RadioSet { layout: horizontal; width: auto; height: auto; }
    FeedbackPane RadioSet > RadioButton { width: auto; margin-right: 2; }
    /* Only the rating picked stands out (green, bold); the arrows' cursor shows only while
       the row has the keyboard, so an unanswered row never looks answered. */
    FeedbackPane RadioSet:blur > RadioButton.-selected > .toggle--label {
        background: transparent;
    }
    FeedbackPane RadioSet > RadioButton.-on > .toggle--label {
        color: $text-success;
        text-style: bold;
    }
    FeedbackPane Checkbox { margin-top: 1; width: auto; }
    FeedbackPane #fb-send { margin-top: 1; }
    FeedbackPane #fb-status { margin-top: 1; height: auto; }
    FeedbackPane #fb-status.-sent { color: $text-success; }
    FeedbackPane #fb-status.-failed { color: $text-error; }
    """

    class Send(Message):
        def __init__(self, draft: Draft) -> None:
            super().__init__()
            self.draft = draft

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.sending = False

    def compose(self) -> ComposeResult:
        yield Static(_(INTRO), classes="fb-intro", markup=False)
        yield from _items(
            _("Top {n} strengths").format(n=grouped(MAX_ITEMS)), _("Strength {n}"), "strength"
        )
        yield from _items(
            _("Top {n} areas for improvement").format(n=grouped(MAX_ITEMS)),
            _("Area for improvement {n}"),
            "improvement",
        )
        yield Static(_("How far do you agree?"), classes="fb-heading", markup=False)
        yield Static(legend(), classes="fb-legend", markup=False)
        for qid, text in QUESTIONS:
            yield Static(_(text), classes="fb-question", markup=False)
            with RadioSet(id=f"fb-rate-{qid}", compact=True):
                for n in SCALE:
                    yield RadioButton(str(n), id=f"fb-rate-{qid}-{n}")
        yield Checkbox(_("Anonymous (no name in the report)"), id="fb-anonymous", compact=True)
        yield Button(_("Send feedback"), id="fb-send", variant="primary", compact=True)
        yield Static(Text(_("Not sent yet.")), id="fb-status")

    def draft(self) -> Draft:
        """The form as filled in now."""

        def texts(kind: str) -> list[str]:
            values = (i.value.strip() for i in self.query(f".fb-{kind}").results(Input))
            return [v for v in values if v]

        ratings: dict[QuestionId, int] = {}
        for qid, _text in QUESTIONS:
            index = self.query_one(f"#fb-rate-{qid}", RadioSet).pressed_index
            if index >= 0:
                ratings[qid] = SCALE[index]
        return Draft(
            strengths=texts("strength"),
            improvements=texts("improvement"),
            ratings=ratings,
            anonymous=self.query_one("#fb-anonymous", Checkbox).value,
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id != "fb-send":
            return
        event.stop()
        draft = self.draft()
        if draft.empty:
            self._status(_("Nothing to send yet: rate a statement or write a line."), "failed")
            return
        if self.sending:
            return
        self.sending = True
        self._status(_("Sending…"), "")
        self.post_message(self.Send(draft))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a text field moves on to the next field (it never sends the form)."""
        event.stop()
        self.screen.focus_next()

    def sent(self, when: str, anonymous: bool) -> None:
        """The server took the form (``when``: the exercise time it was logged at)."""
        self.sending = False
        who = _("anonymously") if anonymous else _("with your name")
        self._status(
            "✓ "
            + _(
                "Feedback sent at {time} ({who}). Thank you. To change it, edit and send "
                "again: your latest form replaces this one."
            ).format(time=when, who=who),
            "sent",
        )
        self.query_one("#fb-send", Button).label = _("Send again")

    def failed(self, reason: str) -> None:
        self.sending = False
        self._status(_("Not sent: {reason}").format(reason=reason), "failed")

    def _status(self, text: str, state: str) -> None:
        status = self.query_one("#fb-status", Static)
        status.update(plain(text))  # a server's reason may quote people's words
        status.set_class(state == "sent", "-sent")
        status.set_class(state == "failed", "-failed")
        status.scroll_visible(animate=False)  # under the button: at 80x24, off screen


def _items(heading: str, placeholder: str, kind: str) -> ComposeResult:
    """A heading and the fields for the top few of one kind (strengths, areas);
    ``placeholder`` holds ``{n}``, the field's number."""
    yield Static(heading, classes="fb-heading", markup=False)
    for n in range(1, MAX_ITEMS + 1):
        yield Input(
            placeholder=placeholder.format(n=n),
            max_length=MAX_ITEM_CHARS,
            id=f"fb-{kind}-{n}",
            classes=f"fb-{kind}",
            compact=True,
        )
