"""One safe path for text from people: participants' and scenario authors' words reach
Rich and Textual as *text*, never as markup, with control characters made visible.

Textual reads a ``str`` handed to most widgets as content markup: ``Static("…")``,
``Label``, ``Button``, ``DataTable.add_row``, ``Select`` and ``SelectionList``
prompts, tab labels, ``Collapsible`` titles, ``notify``. A question such as ``why is
[/] here?`` then raises ``MarkupError`` and takes the console down; ``[@click=app.quit]``
becomes a live action; ``[reverse bold red]`` dresses a player's words as the control
room's. And a terminal escape (ESC, OSC, CSI) in a name or a note, written to the
terminal as it is, clears the screen or retitles the window.

So every string written by a participant or a scenario author goes through one of
these helpers before it reaches a widget: :func:`plain` makes a Rich ``Text`` (never
parsed as markup) of :func:`~engine.textsafe.visible` text (ESC shown as ``␛``, a
bidi override as ``⟨U+202E⟩``); :func:`add` appends such text to a ``Text`` being
built; :func:`choices` makes ``Select``/``SelectionList`` options;
:class:`TextCollapsible` is a ``Collapsible`` whose title is text; and
:class:`SafeApp` makes every notification of an app plain, visible text. The
consoles' own fixed words may stay markup.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, Literal, TypeVar

from rich.style import StyleType
from rich.text import Text
from textual.app import App
from textual.notifications import SeverityLevel
from textual.widget import Widget
from textual.widgets import Collapsible

from engine.textsafe import visible

__all__ = [
    "NOTIFY_LIMIT",
    "SafeApp",
    "TextCollapsible",
    "add",
    "choices",
    "clip",
    "line",
    "plain",
    "visible",
]

V = TypeVar("V")
ReturnT = TypeVar("ReturnT")
Overflow = Literal["fold", "crop", "ellipsis", "ignore"]

NOTIFY_LIMIT = 600
"""Characters of a notification's message shown (the rest is cut with "…"): a pasted
novel must not fill the screen with one toast."""


def clip(text: str, limit: int | None) -> str:
    """``text`` cut to ``limit`` characters, the last one an ellipsis (None: not cut)."""
    if limit is None or len(text) <= limit:
        return text
    return text[: max(0, limit - 1)] + "…"


def plain(
    text: str,
    style: StyleType = "",
    *,
    one_line: bool = False,
    limit: int | None = None,
    no_wrap: bool | None = None,
    overflow: Overflow | None = None,
) -> Text:
    """``text`` as a Rich ``Text``: shown literally, its control characters made visible.

    ``one_line`` shows newlines and tabs as ``⏎`` and ``⇥`` too (a table cell, a list
    line); ``limit`` cuts it to that many characters (after they are made visible).
    """
    shown = clip(visible(text, one_line=one_line), limit)
    return Text(shown, style=style, no_wrap=no_wrap, overflow=overflow, end="")


def line(text: str, style: StyleType = "", *, limit: int | None = None) -> Text:
    """One line of people's text (a table cell, an option, a title): :func:`plain` with
    ``one_line``; the widget crops it where it ends, as it would a ``str``."""
    return plain(text, style, one_line=True, limit=limit)


def add(
    out: Text, text: str, style: StyleType = "", *, one_line: bool = False, limit: int | None = None
) -> Text:
    """Append people's ``text`` to ``out`` (made visible, never markup); returns ``out``."""
    out.append(clip(visible(text, one_line=one_line), limit), style=style)
    return out


def choices(pairs: Iterable[tuple[str, V]], *, limit: int | None = 200) -> list[tuple[Text, V]]:
    """``(label, value)`` options for ``Select``/``SelectionList``: labels as text, one line
    each (:class:`SafeApp` keeps a ``Select``'s options to one line on screen)."""
    return [(line(label, limit=limit), value) for label, value in pairs]


class TextCollapsible(Collapsible):
    """A ``Collapsible`` whose title is text (Textual's reads a ``str`` title as markup).

    Its title wraps within the box: Textual's is as wide as its text, and a long one
    (an attachment's French name at 80 columns) was cut mid-word with no sign of it.
    """

    DEFAULT_CSS = """
    TextCollapsible > CollapsibleTitle { max-width: 100%; }
    """

    def __init__(
        self,
        *children: Widget,
        title: str,
        collapsed: bool = True,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(*children, title="", collapsed=collapsed, id=id, classes=classes)
        self.title = title

    def _watch_title(self, title: str) -> None:
        self._title.label = line(title, limit=200)


class SafeApp(App[ReturnT], Generic[ReturnT]):
    """An app whose notifications are plain text, control characters made visible.

    Every ``notify`` of a widget goes through its app's, so this one override covers
    every console, dialog and toast: a server's reason, an inject's title or a
    team's name in a notification is never markup. ``markup`` is accepted and
    ignored: ``Widget.notify`` passes ``markup=True`` by default, so honouring it
    would honour it for every caller.

    Its menus keep one line per option, cut with an ellipsis: a long name must not make
    a ``Select``, open or closed, many lines tall.
    """

    CSS = """
    SelectOverlay, SelectCurrent #label { text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        del markup  # never markup: see the class's note
        super().notify(
            clip(visible(message), NOTIFY_LIMIT),
            title=clip(visible(title, one_line=True), 120),
            severity=severity,
            timeout=timeout,
            markup=False,
        )
