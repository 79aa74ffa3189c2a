"""The question a player is asked once, after logging in, when the scenario is written
in several languages: which one to read it in (``sitroom join --lang`` answers it
ahead). Each language is named in itself, since the player may read no other.

The language highlighted (and kept by Esc) is the console's own, when the scenario is
written in it: a player who started sitroom in French (``SITROOM_LANG=fr``,
``LANG=fr_FR.UTF-8``, or a French browser through ``sitroom web``) reads the exercise
in French by pressing Enter. Otherwise it is the scenario's first, as played."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from engine import i18n
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


def preferred(languages: list[str]) -> str:
    """The language offered first: the console's own if the scenario has it (``fr``
    also matches ``fr-CA``), else the scenario's first."""
    own = i18n.current()
    return next((code for code in languages if code.split("-")[0] == own), languages[0])


class LanguageScreen(ModalScreen[str]):
    """Pick one of ``languages`` (:func:`preferred` is highlighted; Esc keeps it)."""

    DEFAULT_CSS = """
    LanguageScreen { align: center middle; }
    LanguageScreen > Vertical { width: 44; max-width: 95%; height: auto;
                                border: thick $accent; background: $surface; padding: 1 2; }
    LanguageScreen #language-ask { margin-bottom: 1; }
    LanguageScreen OptionList { height: auto; max-height: 12; }
    """
    BINDINGS = [Binding("escape", "first", "Keep the language offered")]

    def __init__(self, languages: list[str]) -> None:
        super().__init__()
        self.languages = languages
        self.default = preferred(languages)

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
        options.highlighted = self.languages.index(self.default)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id or self.default)

    def action_first(self) -> None:
        self.dismiss(self.default)
