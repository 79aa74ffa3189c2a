"""The briefing a team reads before the first inject, and can open again later.

Before play, "No inject yet" told a newcomer nothing. The briefing says who they
are (team and role), the scenario's own words for everyone and for their role
(the setting, the rules), how to answer, and what each channel is. The scenario's
text is the author's Markdown, shown as an inject's body is (made visible, never
Textual markup); the rest is the console's own words about the console.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

from engine.i18n import N_, _
from tui.console.safe import add, plain, visible
from tui.model.team import TeamModel

ACTORS_NAMED = 6
"""Actors named in the channels paragraph (a scenario may have thirty)."""

HOW_TO_ANSWER = N_(
    "Injects arrive in the inbox (● marks the unread ones); select one to read it. "
    "Its questions are under it: choose an option, tick what your team did, or write, "
    "then press Submit and confirm. One answer counts for the whole team and cannot "
    "be changed once sent, so agree on it first. Watch the countdown: a late answer "
    "counts for less, a missed one for nothing."
)
UNTIL_THEN = N_(
    "No inject yet: injects appear in the inbox as the exercise runs. "
    "Press i to read this briefing again during play."
)


def _heading(text: str) -> Static:
    return Static(text, classes="heading")


def _paragraph(text: Text | str) -> Static:
    return Static(text, classes="para")


def channels_text(model: TeamModel) -> Text:
    """What each tab and channel is, naming some of the people the team can write to."""
    names = [name for name, _kind in model.actors.values()]
    text = Text()
    text.append(_("Inbox (1): "), style="bold")
    text.append(_("emails, alerts, phone calls, tickets, documents and chat for your team.") + "\n")
    text.append(_("Feed (2): "), style="bold")
    text.append(_("news and social media, as the public sees them.") + "\n")
    text.append(_("Messages (3): "), style="bold")
    text.append(_("write to people outside the room"))
    if names:
        text.append(" (")
        add(text, ", ".join(names[:ACTORS_NAMED]), one_line=True, limit=400)
        text.append(", …)" if len(names) > ACTORS_NAMED else ")")
    text.append(
        _(
            "; the control room answers in their name. Announcements to every team arrive "
            "there too, with an alert."
        )
        + "\n"
    )
    text.append(_("Team log (4): "), style="bold")
    text.append(_("your team's shared notes."))
    return text


class BriefingPane(Vertical):
    """The briefing's content, laid out to be read top to bottom at any width."""

    DEFAULT_CSS = """
    BriefingPane { height: auto; padding: 0 0 1 0; }
    BriefingPane .title { text-style: bold; color: $accent; }
    BriefingPane .who { margin-bottom: 1; }
    BriefingPane .heading { text-style: bold; margin-top: 1; }
    BriefingPane .hint { color: $text-muted; margin-top: 1; }
    BriefingPane Markdown { margin: 0; padding: 0; }
    BriefingPane Markdown > *:last-child { margin-bottom: 0; }
    """

    def __init__(self, model: TeamModel, *, waiting: bool = True) -> None:
        super().__init__(id="briefing")
        self.model = model
        self.waiting = waiting

    def compose(self) -> ComposeResult:
        model, briefing = self.model, self.model.briefing
        title = Text(_("Briefing"), style="bold")
        if model.title:
            title.append(" · ")
            add(title, model.title, one_line=True, limit=200)
        yield Static(title, classes="title")
        yield Static(self._who(), classes="who")
        if briefing.text:
            yield Markdown(visible(briefing.text))
        if briefing.role_text:
            yield _heading(_("Your role"))
            yield Markdown(visible(briefing.role_text))
        yield _heading(_("How to answer"))
        yield _paragraph(_(HOW_TO_ANSWER))
        yield _heading(_("The channels"))
        yield _paragraph(channels_text(model))
        if self.waiting:
            yield Static(_(UNTIL_THEN), classes="hint")

    def _who(self) -> Text:
        model, briefing = self.model, self.model.briefing
        text = Text()
        text.append(_("Team: "), style="bold")
        add(text, model.team_name or model.team, one_line=True, limit=200)
        if model.member:
            text.append(" · " + _("you are") + " ")
            add(text, model.member, one_line=True, limit=80)
        named = briefing.role and briefing.role != (model.team_name or model.team)
        if named or briefing.about:
            text.append("\n" + _("Role: "), style="bold")
        if named:
            add(text, briefing.role, one_line=True, limit=200)
            if briefing.about:
                text.append(": ")
        if briefing.about:
            add(text, briefing.about, one_line=True, limit=400)
        return text


class BriefingScreen(ModalScreen[None]):
    """The briefing again, over the console, once injects fill the inject pane."""

    DEFAULT_CSS = """
    BriefingScreen { align: center middle; }
    BriefingScreen > VerticalScroll { width: 96; max-width: 100%; height: auto;
                                      max-height: 100%; border: thick $accent;
                                      background: $surface; padding: 0 1; }
    BriefingScreen .close { color: $text-muted; }
    """
    BINDINGS = [Binding("escape,i,q", "dismiss", N_("Close"))]

    def __init__(self, model: TeamModel) -> None:
        super().__init__()
        self.model = model

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield BriefingPane(self.model, waiting=False)
            yield Static(plain(_("Esc closes the briefing.")), classes="close")

    def action_dismiss(self, result: None = None) -> None:  # type: ignore[override]
        self.dismiss(None)
