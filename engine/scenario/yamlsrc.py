"""Reading YAML safely while remembering where every key and value stood.

Bytes are checked first (size, encoding, binary content), then the YAML parser's
event stream is turned into plain data by :mod:`engine.scenario.yamlbuild`, which
keeps positions, refuses duplicate keys, tags and alias bombs, and never recurses
(a deeply nested file cannot overflow the stack). Only plain scalars, lists and
mappings are ever built: ``yaml.safe_load`` semantics, nothing more.

Problems are collected, not raised, so a file reports all of them at once.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from engine.i18n import N_, _
from engine.problems import Problem
from engine.textfile import NotUtf8, utf8_text

Path = tuple[str | int, ...]
Pos = tuple[int, int]

MAX_BYTES = 16 * 1024 * 1024
"""Largest scenario file read; a 2,000-inject scenario is about 1.3 MiB."""
MAX_NODES = 2_000_000
"""Most values a document may hold once its aliases are followed."""
MAX_DEPTH = 200
"""Deepest nesting accepted; real scenarios stay under 15."""

EMPTY_MESSAGE = N_("file is empty: a scenario needs at least id, title, duration and teams")
"""What an empty scenario is told (English source text: translated where it is shown)."""
SCENARIO_FIELDS = N_(
    "the top level must be a mapping of fields (id: …, title: …, duration: …, teams: …), "
    "not {found}"
)
"""What the top level of a scenario holds, for the message when it is not a mapping."""


@dataclass
class Located:
    """Plain data from a YAML document, with positions (1-based line, column).

    ``alias_of`` maps the path where an alias (``*name``) or a merged key was used
    to the path where its content is written, so a problem inside shared content
    is reported where it can be fixed. ``raw`` keeps the source text of scalars
    YAML did not read as text (``no`` → false), for messages that quote it.

    Positions are only needed when something is wrong, so a valid file is read
    once without them; ``fill`` reads it again with them on first demand.
    """

    data: Any
    value_pos: dict[Path, Pos] = field(default_factory=dict)
    key_pos: dict[Path, Pos] = field(default_factory=dict)
    alias_of: dict[Path, Path] = field(default_factory=dict)
    raw: dict[Path, str] = field(default_factory=dict)
    fill: Callable[[], Located | None] | None = field(default=None, repr=False)
    parts: dict[Path, Part] = field(default_factory=dict)
    """Items merged in from included files, by the ``(section, index)`` they hold in
    ``data``: positions there are asked of the included file (:mod:`engine.scenario.include`)."""

    def _route(self, path: Path) -> tuple[Part, Path] | None:
        """The included file that wrote ``path``, and the path there, or None."""
        part = self.parts.get(path[:2]) if self.parts else None
        if part is None:
            return None
        return part, (*part.base, *path[2:])

    def origin(self, path: Path, name: str) -> tuple[str, Path]:
        """The file that wrote ``path`` and the path in it: ``name`` (this file's) and
        ``path`` itself unless it came from an included file."""
        routed = self._route(path)
        if routed is None:
            return name, path
        part, inner = routed
        return part.located.origin(inner, part.name)

    def _ensure(self) -> None:
        if self.fill is None:
            return
        fill, self.fill = self.fill, None
        full = fill()
        if full is not None:
            self.value_pos, self.key_pos = full.value_pos, full.key_pos
            self.alias_of, self.raw = full.alias_of, full.raw

    def raw_text(self, path: Path) -> str | None:
        """How a non-text scalar was written (``no``, ``1.0``), or None."""
        routed = self._route(path)
        if routed is not None:
            return routed[0].located.raw_text(routed[1])
        self._ensure()
        return self.raw.get(self.source(path))

    def pos(self, path: Path, *, key: bool = False) -> Pos:
        """The position of the value (or key) at ``path``, or of its nearest ancestor."""
        routed = self._route(path)
        if routed is not None:
            return routed[0].located.pos(routed[1], key=key)
        path = self.source(path)
        while True:
            if key and path in self.key_pos:
                return self.key_pos[path]
            if path in self.value_pos:
                return self.value_pos[path]
            if not path:
                return (1, 1)
            path = self.source(path[:-1])

    def where(self, path: Path) -> Pos:
        """Where to point a planner at ``path``.

        A scalar's own position (``due: soon`` → at ``soon``); for a mapping or a
        list, the key that names it, which is the line a planner looks for.
        """
        routed = self._route(path)
        if routed is not None:
            return routed[0].located.where(routed[1])
        if isinstance(self.at(path), (dict, list)):
            return self.pos(path, key=True)
        return self.pos(path)

    def source(self, path: Path) -> Path:
        """``path`` with any alias or merge along it replaced by where the content is."""
        self._ensure()
        if not self.alias_of:
            return path
        for _step in range(MAX_DEPTH):
            for cut in range(len(path) - 1, 0, -1):
                target = self.alias_of.get(path[:cut])
                if target is not None:
                    path = (*target, *path[cut:])
                    break
            else:
                return path
        return path

    def at(self, path: Path) -> Any:
        """The data at ``path``, or None when the path leads nowhere."""
        node = self.data
        for seg in path:
            if isinstance(node, dict):
                node = node.get(seg)
            elif isinstance(node, list) and isinstance(seg, int) and 0 <= seg < len(node):
                node = node[seg]
            else:
                return None
        return node


@dataclass
class Part:
    """One item merged in from an included file: the item at ``base`` (``("actors", 0)``)
    of ``located``, read from the file shown as ``name``."""

    name: str
    located: Located
    base: Path


@dataclass
class ReadResult:
    located: Located | None
    text: str
    problems: list[Problem]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a document is built and checked.

    Building a large document allocates hundreds of thousands of objects that all
    stay alive; each allocation threshold reached makes the collector walk them
    all again. Pausing it makes loading a 2,000-inject scenario about three times
    faster. Nothing built here forms cycles that need collecting meanwhile.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def decode(raw: bytes, name: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text from bytes, or a located problem for binary or mis-encoded input."""
    if len(raw) > MAX_BYTES:
        mib = len(raw) / 1024 / 1024
        limit = MAX_BYTES // 1024 // 1024
        return None, [
            Problem(
                name,
                0,
                0,
                "",
                _("file is too large ({size} MiB; the limit is {limit} MiB)").format(
                    size=f"{mib:.1f}", limit=limit
                ),
            )
        ]
    try:
        text = utf8_text(raw, name)
    except NotUtf8 as exc:
        if exc.wide:
            return None, [Problem(name, 0, 0, "", _("file is UTF-16 or UTF-32: save it as UTF-8"))]
        if b"\x00" in raw:
            return None, [_binary(raw, name)]
        return None, [
            Problem(
                name,
                exc.line,
                exc.column,
                "",
                _("not valid UTF-8 (byte {byte}): save the file as UTF-8").format(byte=exc.hex),
            )
        ]
    if "\x00" in text:
        return None, [_binary(raw, name)]
    return text, []


def _binary(raw: bytes, name: str) -> Problem:
    line, col = _position(raw, raw.find(b"\x00"))
    return Problem(
        name, line, col, "", _("this is a binary file, not YAML text (it contains a NUL byte)")
    )


def _position(raw: bytes, offset: int) -> Pos:
    """1-based line and column (in characters) of a byte offset."""
    line = raw.count(b"\n", 0, offset) + 1
    start = raw.rfind(b"\n", 0, offset) + 1
    return line, len(raw[start:offset].decode("utf-8", "replace")) + 1


def read_yaml(
    raw: bytes | str, name: str, *, empty: str = EMPTY_MESSAGE, fields: str = SCENARIO_FIELDS
) -> ReadResult:
    """Parse one YAML document into :class:`Located` data, collecting every problem.

    ``empty`` and ``fields`` say what the document should hold (a scenario's fields by
    default; an included file's sections), for the messages when it holds nothing or
    is not a mapping (``fields`` with ``{found}``): English source text marked with
    ``N_``, translated here."""
    if isinstance(raw, str):
        source = raw
        try:
            raw = source.encode("utf-8")
        except UnicodeEncodeError as exc:
            start = exc.start
            line = source.count("\n", 0, start) + 1
            col = start - source.rfind("\n", 0, start)
            bad = f"U+{ord(source[start]):04X}"
            return ReadResult(
                None,
                "",
                [
                    Problem(
                        name,
                        line,
                        col,
                        "",
                        _("the text holds an invalid character ({char})").format(char=bad),
                    )
                ],
            )
    text, problems = decode(raw, name)
    if text is None:
        return ReadResult(None, "", problems)
    if not text.strip():
        return ReadResult(None, text, [Problem(name, 0, 0, "", _(empty))])
    from engine.scenario.yamlbuild import build

    located, problems = build(raw, name, positions=False)
    if problems:  # read again for positions: the messages quote first occurrences
        located, problems = build(raw, name, positions=True)
    if located is None or problems:
        if empty != EMPTY_MESSAGE:
            said = _(EMPTY_MESSAGE)
            problems = [replace(p, message=_(empty)) if p.message == said else p for p in problems]
        return ReadResult(None, text, problems)
    data_bytes = raw
    located.fill = lambda: build(data_bytes, name, positions=True)[0]
    data = located.data
    if not isinstance(data, dict):
        return ReadResult(None, text, [_not_a_mapping(located, name, fields)])
    return ReadResult(located, text, [])


def _not_a_mapping(located: Located, name: str, fields: str) -> Problem:
    data = located.data
    if isinstance(data, list):
        kind = _("a list (the top level starts with '-')")
    elif data is None:
        kind = _("nothing")
    else:
        kind = _("a single value ({value})").format(value=f"{located.raw_text(()) or data!s:.40}")
    return Problem(name, *located.pos(()), "", _(fields).format(found=kind))


def format_path(path: Path) -> str:
    """``("injects", 3, "expects", 0, "due")`` → ``injects[3].expects[0].due``."""
    out = ""
    for seg in path:
        if isinstance(seg, int) and not isinstance(seg, bool):
            out += f"[{seg}]"
        else:
            out += f".{seg}" if out else str(seg)
    return out


def yaml_problem(exc: yaml.YAMLError, raw: bytes, name: str) -> Problem:
    """A planner's reading of a YAML syntax error, at the place the parser stopped."""
    if isinstance(exc, yaml.reader.ReaderError):
        line, col = _position(raw, min(exc.position, len(raw)))
        char = exc.character
        shown = f"U+{char:04X}" if isinstance(char, int) else repr(char)
        return Problem(
            name,
            line,
            col,
            "",
            _(
                "the file holds a character YAML does not allow ({char}, a control character)"
            ).format(char=shown),
        )
    if not isinstance(exc, yaml.MarkedYAMLError):
        text = _("YAML syntax error: {problem}").format(problem=" ".join(str(exc).split()))
        return Problem(name, 0, 0, "", text)
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
    problem = (exc.problem or "invalid YAML").strip()
    context = exc.context or ""
    ctx = exc.context_mark
    opened = (
        _("line {line}, column {column}").format(line=ctx.line + 1, column=ctx.column + 1)
        if ctx is not None
        else ""
    )
    if "flow sequence" in context and opened:
        text = _("the list [ that opens at {place} is not closed with ] (or lacks a comma)")
        text = text.format(place=opened)
    elif "flow mapping" in context and opened:
        text = _(
            "the mapping {{ that opens at {place} is not closed with }} (or lacks a comma)"
        ).format(place=opened)
    elif "quoted scalar" in context and "end of stream" in problem and opened:
        text = _("the quote that opens at {place} is never closed").format(place=opened)
    elif "maximum nesting depth" in problem:
        # libyaml (PyYAML >= 6.0.4) stops at 1,000 levels while scanning ahead, before
        # our own bound of MAX_DEPTH is reached: the same refusal, in the same words.
        return Problem(name, line, col, "", nested_too_deep())
    elif _char_at(raw, line, col) == "\t":
        text = _("a tab: indent with spaces, YAML does not allow tabs for indentation")
    elif problem in _REPLACE:
        text = _(_REPLACE[problem])
    elif problem in _HINTS:
        text = _(_HINTS[problem])
    else:
        text = problem  # PyYAML's own words: English, as its other users read them
    said = _("YAML syntax error: {problem}").format(problem=text)
    return Problem(name, line, col, "", " ".join(said.split()))


def nested_too_deep() -> str:
    """The refusal of a document nested deeper than :data:`MAX_DEPTH`."""
    return _("nested more than {depth} levels deep").format(depth=MAX_DEPTH)


def _char_at(raw: bytes, line: int, col: int) -> str:
    """The character at a 1-based line and column of the text, or ''."""
    lines = raw.split(b"\n", line)
    if line < 1 or len(lines) < line:
        return ""
    text = lines[line - 1].decode("utf-8", "replace")
    return text[col - 1] if 0 < col <= len(text) else ""


_COLON = N_(
    "an unexpected ': ' here: put a value that contains ': ' in quotes, or check the indentation"
)
_REPLACE = {
    "mapping values are not allowed in this context": _COLON,
    "mapping values are not allowed here": _COLON,
    "did not find expected key": N_(
        "this line is not indented like the keys above it (or a '- ' is missing)"
    ),
}
"""Parser messages (PyYAML's English, the keys) reworded outright for planners."""

_HINTS = {
    "found a tab character that violates indentation": N_(
        "found a tab character that violates indentation: indent with spaces, not tabs"
    ),
    "found character that cannot start any token": N_(
        "found character that cannot start any token: a value starting with @ or ` must be "
        "put in quotes"
    ),
    "did not find expected '-' indicator": N_(
        "did not find expected '-' indicator: check the indentation of this line"
    ),
    "found unexpected end of stream": N_(
        "found unexpected end of stream: a quote or bracket is not closed"
    ),
    "found undefined alias": N_(
        "found undefined alias: use &name to define the anchor before *name"
    ),
}
"""Parser messages (the keys, PyYAML's English) with a hint: the whole message, so that
it is translated whole."""
