"""A text area that a frame drawn at the wrong moment cannot crash.

Textual 8.2.x's ``TextArea`` reads its component styles ("text-area--gutter", …)
each time it draws, and raises ``KeyError`` when it has none: when it draws after it
was removed (removal clears them), or before the stylesheet was applied to it
(Textual issue #6528; the fix is not in the release sitroom pins). A team's answer
form is removed and rebuilt while the console is busy (another inject opened, the
answer sent), and one such frame took a console down in the test suite under load.
Every text area of the consoles is a :class:`TextBox`: a frame it cannot draw yet,
or any more, is blank, and the next one (Textual refreshes a widget when its
component styles arrive) draws it.
"""

from __future__ import annotations

from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import TextArea


class TextBox(TextArea):
    """A ``TextArea`` that draws blank lines, never raises, while it has no styles."""

    def render_lines(self, crop: Region) -> list[Strip]:
        try:
            return super().render_lines(crop)
        except KeyError:
            if self.is_mounted and self.is_attached and self._component_styles:
                raise  # styled and in place: a real error, not the race
            return [Strip.blank(crop.width)] * crop.height
