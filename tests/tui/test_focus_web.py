"""The browser page puts the keyboard in the console: a code typed at once is not lost.

textual.js (textual-serve) never focuses its xterm.js terminal, so keys typed before
a click went to the page's body. The page sitroom serves focuses the terminal's input
when the page has loaded and when the console's socket opens. A browser is not run
here: this checks the page as served (Chromium, driven by hand over its debugging
protocol, showed ``document.activeElement`` as the body before and as xterm.js's text
box after, and a code typed at once in the login's code field).
"""

from __future__ import annotations

import re

from tests.tui.test_web import gateway


async def test_the_page_focuses_the_terminal_on_load_and_when_the_console_connects() -> None:
    async with gateway() as gw, gw.http.get(gw.url + "/") as page:
        text = await page.text()
    assert re.search(r'querySelector\("#terminal textarea"\)[^}]*\.focus\(', text)
    assert 'window.addEventListener("load"' in text
    assert 'this.addEventListener("open", focusTerminal)' in text
    # The terminal the script looks in is the one textual.js fills.
    assert 'id="terminal"' in text and 'class="textual-terminal"' in text
