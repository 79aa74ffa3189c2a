"""The question a player is asked once, after logging in, when the scenario is written
in several languages: which one to read it in (``sitroom join --lang`` answers it
ahead). Each language is named in itself, since the player may read no other."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.console.safe import plain

NAMES = {
    "en": "English",
    "fr": "Français",
    "de": "Deutsch",
    "es": "Español",
    "it": "Italiano",
    "nl": "Nederlands",
    "pt": "Português",
}
"""Each language's name in itself; another code is shown as written."""

ASK = {"en": "Read the exercise in", "fr": "Lire l'exercice en"}
"""The question, in each language that has it (all are shown: none is chosen yet)."""


def name_of(code: str) -> str:
    return NAMES.get(code.split("-")[0], code)


class LanguageScreen(ModalScreen[str]):
    """Pick one of ``languages`` (the first, as played, is highlighted; Esc keeps it)."""

    DEFAULT_CSS = """
    LanguageScreen { align: center middle; }
    LanguageScreen > Vertical { width: 44; max-width: 95%; height: auto;
                                border: thick $accent; background: $surface; padding: 1 2; }
    LanguageScreen #language-ask { margin-bottom: 1; }
    LanguageScreen OptionList { height: auto; max-height: 12; }
    """
    BINDINGS = [Binding("escape", "first", "Keep the first")]

    def __init__(self, languages: list[str]) -> None:
        super().__init__()
        self.languages = languages

    def compose(self) -> ComposeResult:
        asked = [ASK[code] for code in self.languages if code in ASK] or [ASK["en"]]
        with Vertical():
            yield Static(plain("\n".join(asked)), id="language-ask")
            yield OptionList(
                *(Option(plain(name_of(code)), id=code) for code in self.languages),
                id="languages",
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id or self.languages[0])

    def action_first(self) -> None:
        self.dismiss(self.languages[0])
