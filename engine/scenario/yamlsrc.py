"""Reading YAML safely while remembering where every key and value stood.

The loader composes the document into nodes with PyYAML's safe loader (the C one
when present), then builds plain Python data itself so it can:

* keep each key's and value's line and column, for located error messages;
* refuse duplicate keys (an error, not last-wins);
* refuse alias bombs before expanding them, by sizing the node graph first;
* never construct anything but plain scalars, lists and mappings.

Problems are collected, not raised, so a file reports all of them at once.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from engine.problems import Problem

Path = tuple[str | int, ...]
Pos = tuple[int, int]

MAX_BYTES = 16 * 1024 * 1024
"""Largest scenario file read; a 2,000-inject scenario is under 2 MiB."""
MAX_NODES = 2_000_000
"""Most nodes a document may expand to once aliases are followed."""
MAX_DEPTH = 200
"""Deepest nesting accepted; real scenarios stay under 15."""

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_SCALAR_CTORS = SafeConstructor.yaml_constructors


@dataclass
class Located:
    """Plain data from a YAML document, with positions (1-based line, column)."""

    data: Any
    value_pos: dict[Path, Pos] = field(default_factory=dict)
    key_pos: dict[Path, Pos] = field(default_factory=dict)

    def pos(self, path: Path, *, key: bool = False) -> Pos:
        """The position of the value (or key) at ``path``, or of its nearest ancestor."""
        while True:
            table = self.key_pos if key else self.value_pos
            if path in table:
                return table[path]
            if key and path in self.value_pos:
                return self.value_pos[path]
            if not path:
                return (1, 1)
            path = path[:-1]


@dataclass
class ReadResult:
    located: Located | None
    text: str
    problems: list[Problem]


class _Abort(Exception):
    """Stops the build at a problem that makes the rest meaningless."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


def decode(raw: bytes, name: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text from bytes, or a located problem for binary or mis-encoded input."""
    if len(raw) > MAX_BYTES:
        mib = len(raw) / 1024 / 1024
        limit = MAX_BYTES // 1024 // 1024
        return None, [
            Problem(name, 0, 0, "", f"file is too large ({mib:.1f} MiB; the limit is {limit} MiB)")
        ]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [Problem(name, 1, 1, "", "file is UTF-16: save it as UTF-8")]
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _position(raw, nul)
        return None, [
            Problem(
                name, line, col, "", "this is a binary file, not YAML text (it contains a NUL byte)"
            )
        ]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line, col = _position(raw, exc.start)
        return None, [
            Problem(
                name,
                line,
                col,
                "",
                f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}): save the file as UTF-8",
            )
        ]


def _position(raw: bytes, offset: int) -> Pos:
    line = raw.count(b"\n", 0, offset) + 1
    start = raw.rfind(b"\n", 0, offset) + 1
    return line, offset - start + 1


def read_yaml(raw: bytes | str, name: str) -> ReadResult:
    """Parse one YAML document into :class:`Located` data, collecting every problem."""
    if isinstance(raw, str):
        text: str | None = raw
        problems: list[Problem] = []
        if len(raw.encode("utf-8", "surrogatepass")) > MAX_BYTES:
            text, problems = decode(raw.encode("utf-8", "surrogatepass"), name)
    else:
        text, problems = decode(raw, name)
    if text is None:
        return ReadResult(None, "", problems)
    if not text.strip() or _only_comments(text):
        return ReadResult(
            None,
            text,
            [
                Problem(
                    name,
                    0,
                    0,
                    "",
                    "file is empty: a scenario needs at least id, title, duration and teams",
                )
            ],
        )
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as exc:
        return ReadResult(None, text, [_yaml_problem(exc, name)])
    except yaml.YAMLError as exc:
        return ReadResult(None, text, [Problem(name, 0, 0, "", f"YAML error: {exc}")])
    except RecursionError:
        return ReadResult(None, text, [Problem(name, 0, 0, "", "nested too deeply to read")])
    if root is None:
        return ReadResult(
            None,
            text,
            [
                Problem(
                    name,
                    0,
                    0,
                    "",
                    "file is empty: a scenario needs at least id, title, duration and teams",
                )
            ],
        )
    builder = _Builder(name)
    try:
        builder.check_size(root)
        data = builder.build(root, ())
    except _Abort as exc:
        return ReadResult(None, text, [Problem(name, exc.line, exc.column, "", exc.message)])
    if builder.problems:
        return ReadResult(None, text, builder.problems)
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({type(data).__name__})"
        return ReadResult(
            None,
            text,
            [
                Problem(
                    name,
                    *builder.located.value_pos.get((), (1, 1)),
                    "",
                    f"the top level must be a mapping of fields "
                    f"(id, title, duration, teams, …), not {kind}",
                )
            ],
        )
    builder.located.data = data
    return ReadResult(builder.located, text, [])


def _only_comments(text: str) -> bool:
    return all(
        not ln.strip() or ln.lstrip().startswith("#") or ln.strip() in ("---", "...")
        for ln in text.splitlines()
    )


def _compose(text: str) -> Node | None:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    return node


def _yaml_problem(exc: yaml.MarkedYAMLError, name: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
    what = exc.problem or exc.context or "invalid YAML"
    if "expected a single document" in str(exc):
        what = "the file holds more than one YAML document (---): keep one scenario per file"
    elif exc.context and exc.problem:
        what = f"{exc.context}, {exc.problem}"
    return Problem(name, line, col, "", f"YAML syntax error: {what}")


class _Builder:
    """Turns composed nodes into plain data, recording positions and problems."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.located = Located(None)
        self.problems: list[Problem] = []
        self._ctor = SafeConstructor()

    def check_size(self, root: Node) -> None:
        """Refuse documents whose aliases expand past :data:`MAX_NODES`, before expanding."""
        sizes: dict[int, int] = {}
        active: set[int] = set()

        def size(node: Node, depth: int) -> int:
            key = id(node)
            if key in sizes:
                return sizes[key]
            if key in active:
                mark = node.start_mark
                raise _Abort(
                    mark.line + 1,
                    mark.column + 1,
                    "an alias refers to a node that contains it (a recursive structure)",
                )
            if depth > MAX_DEPTH:
                mark = node.start_mark
                raise _Abort(
                    mark.line + 1, mark.column + 1, f"nested more than {MAX_DEPTH} levels deep"
                )
            active.add(key)
            total = 1
            if isinstance(node, SequenceNode):
                for child in node.value:
                    total += size(child, depth + 1)
            elif isinstance(node, MappingNode):
                for k, v in node.value:
                    total += size(k, depth + 1) + size(v, depth + 1)
            active.discard(key)
            sizes[key] = total
            if total > MAX_NODES:
                mark = node.start_mark
                raise _Abort(
                    mark.line + 1,
                    mark.column + 1,
                    f"the document expands to more than {MAX_NODES:,} nodes once its "
                    "aliases are followed (an alias bomb?)",
                )
            return total

        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, MAX_DEPTH * 3 + 100))
        try:
            size(root, 0)
        finally:
            sys.setrecursionlimit(limit)

    def build(self, node: Node, path: Path) -> Any:
        mark = node.start_mark
        self.located.value_pos.setdefault(path, (mark.line + 1, mark.column + 1))
        if isinstance(node, ScalarNode):
            return self._scalar(node, path)
        if isinstance(node, SequenceNode):
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        self._problem(node, path, f"unsupported YAML node {type(node).__name__}")
        return None

    def _scalar(self, node: ScalarNode, path: Path) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        ctor = _SCALAR_CTORS.get(tag)
        if ctor is None or tag == _MERGE:
            self._problem(node, path, f"the tag {tag} is not allowed here (plain YAML only)")
            return None
        try:
            return ctor(self._ctor, node)
        except (ConstructorError, ValueError, OverflowError) as exc:
            self._problem(
                node, path, f"cannot read {node.value!r} as {tag.rsplit(':', 1)[-1]}: {exc}"
            )
            return None

    def _mapping(self, node: MappingNode, path: Path) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first_seen: dict[Any, int] = {}
        merged: list[tuple[Node, Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged.extend(self._merge_sources(value_node, path))
                continue
            key = self._key(key_node, path)
            if key is None:
                continue
            if key in first_seen:
                self._problem(
                    key_node,
                    (*path, key),
                    f"duplicate key {key!r} (first at line {first_seen[key]})",
                    at_key=True,
                )
                continue
            first_seen[key] = key_node.start_mark.line + 1
            kmark = key_node.start_mark
            self.located.key_pos[(*path, key)] = (kmark.line + 1, kmark.column + 1)
            result[key] = self.build(value_node, (*path, key))
        for key_node, value_node in merged:
            key = self._key(key_node, path)
            if key is None or key in result:
                continue
            kmark = key_node.start_mark
            self.located.key_pos[(*path, key)] = (kmark.line + 1, kmark.column + 1)
            result[key] = self.build(value_node, (*path, key))
        return result

    def _merge_sources(self, value: Node, path: Path) -> list[tuple[Node, Node]]:
        if isinstance(value, MappingNode):
            return list(value.value)
        if isinstance(value, SequenceNode) and all(isinstance(v, MappingNode) for v in value.value):
            pairs: list[tuple[Node, Node]] = []
            for source in value.value:
                pairs.extend(source.value)
            return pairs
        self._problem(value, path, "a merge key (<<) needs a mapping or a list of mappings")
        return []

    def _key(self, node: Node, path: Path) -> Any:
        if not isinstance(node, ScalarNode):
            self._problem(
                node, path, "a key must be a plain word, not a list or mapping", at_key=True
            )
            return None
        key = self._scalar(node, path)
        if key is None and node.tag != "tag:yaml.org,2002:null":
            return None
        try:
            hash(key)
        except TypeError:
            self._problem(node, path, "this key cannot be used as a field name", at_key=True)
            return None
        return key

    def _problem(self, node: Node, path: Path, message: str, *, at_key: bool = False) -> None:
        mark = node.start_mark
        self.problems.append(
            Problem(self.name, mark.line + 1, mark.column + 1, format_path(path), message)
        )


def format_path(path: Path) -> str:
    """``("injects", 3, "expects", 0, "due")`` → ``injects[3].expects[0].due``."""
    out = ""
    for seg in path:
        if isinstance(seg, int) and not isinstance(seg, bool):
            out += f"[{seg}]"
        else:
            out += f".{seg}" if out else str(seg)
    return out
