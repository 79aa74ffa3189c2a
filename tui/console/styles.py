"""Widgets' default CSS read before the widgets are first shown.

Textual reads a widget class's ``DEFAULT_CSS`` when the first widget of the class is
mounted, and parses the whole stylesheet again. For a team console that moment is
the first inject, when every console in the room draws at once (in a browser, a
process each): reading the answer forms' CSS while the console starts, when tabs
come in one by one, takes that work off the busiest moment.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import App
from textual.widget import Widget


def read_default_css(app: App[object], widgets: Iterable[type[Widget]]) -> None:
    """Add these classes' default CSS to ``app``'s stylesheet, as mounting one would.

    The sources are the ones Textual adds itself (``DOMNode._get_default_css``, read
    from an instance that is never initialised or mounted), so mounting one later
    finds them there and parses nothing.
    """
    stylesheet = app.stylesheet
    for cls in widgets:
        node = cls.__new__(cls)
        for read_from, css, tie_breaker, scope in node._get_default_css():
            stylesheet.add_source(
                css,
                read_from=read_from,
                is_default_css=True,
                tie_breaker=tie_breaker,
                scope=scope,
            )
