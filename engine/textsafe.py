"""Text from people, made safe to show, log or print: one path for every string.

Participants and scenario authors write text. It must reach a terminal, a log
line, a report or a console as *characters*, never as instructions: no terminal
escape (ESC, OSC, CSI: clearing a screen, retitling a window), no C1 control, no
bidirectional override that makes a line read differently from what it holds
(Trojan Source), no invisible character that makes two names look the same.
Rich markup is the consoles' business: they wrap these strings in ``Text``
(:mod:`tui.console.safe`), never in markup.

:func:`visible` replaces each such character with a visible stand-in (ESC is
``␛``, a bidi override ``⟨U+202E⟩``), keeping ordinary newlines and tabs unless
asked for one line. It is idempotent and never raises (lone surrogates, which
cannot be encoded, become ``⟨U+D800⟩`` too).
"""

from __future__ import annotations

import re

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_INVISIBLE = (
    "\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d"
    "\u2060\u2061\u2062\u2063\u2064\ufeff\ufff9\ufffa\ufffb"
)
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029"
    + _BIDI
    + _INVISIBLE
    + "\ud800-\udfff\U000e0000-\U000e007f]"
)
_UNSAFE_ONE_LINE = re.compile("[\n\t]|" + _UNSAFE.pattern)

_PICTURES = {
    **{chr(i): chr(0x2400 + i) for i in range(0x20)},
    "\x7f": "\u2421",
    "\n": "\u23ce",
    "\t": "\u21e5",
}
"""C0 controls as Unicode's control pictures (ESC → ␛), DEL as ␡; newline as ⏎ and
tab as ⇥ when a line must stay one line."""


def _stand_in(match: re.Match[str]) -> str:
    char = match.group()
    picture = _PICTURES.get(char)
    if picture is not None:
        return picture
    return f"\u27e8U+{ord(char):04X}\u27e9"


def visible(text: str, *, one_line: bool = False) -> str:
    """``text`` with every control, bidi and invisible character shown as a stand-in.

    Newlines and tabs are kept (a statement keeps its paragraphs) unless
    ``one_line``: then they too become visible, so one value is one line.
    """
    pattern = _UNSAFE_ONE_LINE if one_line else _UNSAFE
    if pattern.search(text) is None:
        return text
    return pattern.sub(_stand_in, text)


def is_clean(text: str) -> bool:
    """Whether ``text`` has nothing :func:`visible` would change (newlines allowed)."""
    return _UNSAFE.search(text) is None


_SURROGATE = re.compile("[\ud800-\udfff]")


def encodable(text: str) -> str:
    """``text`` with each lone surrogate made U+FFFD, so it can be encoded, validated and
    stored. The wire refuses such strings (engine/net/server/guard.py); text from
    elsewhere (standard input decoded with ``surrogateescape``, a caller of the library)
    need not, and the grader keeps clauses of it as evidence in pydantic models and hands
    it to sentencepiece, both of which take only valid Unicode."""
    return _SURROGATE.sub("\ufffd", text)
