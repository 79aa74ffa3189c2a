"""Building plain data from YAML parser events, with positions, without recursion.

PyYAML's own composer builds a node graph first (recursively, in C when libyaml
is present: a file of 100,000 ``[`` crashes the interpreter) and only then the
data. Reading the event stream directly is about twice as fast, holds one frame
per open mapping or list (so nesting is bounded by :data:`MAX_DEPTH` before it
can hurt), and lets every rule be enforced as the data is built:

* duplicate keys are errors, not last-wins;
* aliases share the anchored value and add its size to a running count of the
  document's expanded size, so an alias bomb is refused after a few hundred
  events, before anything is expanded; an alias to a node still open (a
  recursive structure) is refused outright;
* only the core scalar types are constructed (text, numbers, booleans, null,
  timestamps); any other tag is a located problem;
* merge keys (``<<: *base``) work as in ``yaml.safe_load``.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode

from engine.i18n import _
from engine.i18n.forms import grouped
from engine.problems import Problem
from engine.scenario.yamlsrc import (
    EMPTY_MESSAGE,
    MAX_DEPTH,
    MAX_NODES,
    Located,
    Path,
    format_path,
    nested_too_deep,
    yaml_problem,
)

_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_TAG = "tag:yaml.org,2002:"
_STR, _NULL, _BOOL, _INT, _FLOAT = (f"{_TAG}{t}" for t in ("str", "null", "bool", "int", "float"))
_TIMESTAMP, _MERGE, _MAP, _SEQ = (f"{_TAG}{t}" for t in ("timestamp", "merge", "map", "seq"))
_CTOR = SafeConstructor()
_CONSTRUCT = {
    _INT: SafeConstructor.construct_yaml_int,
    _FLOAT: SafeConstructor.construct_yaml_float,
    _BOOL: SafeConstructor.construct_yaml_bool,
    _NULL: SafeConstructor.construct_yaml_null,
    _TIMESTAMP: SafeConstructor.construct_yaml_timestamp,
}
_PLAIN_RULES: dict[str, list[tuple[str, re.Pattern[str]]]] = {
    first: [(tag, rx) for tag, rx in rules if tag in _CONSTRUCT]
    for first, rules in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
"""How a plain (unquoted) scalar is read, by its first character (YAML 1.1 rules)."""

_NEED_KEY = object()
_MERGE_KEY = object()
_BAD_KEY = object()
_OPEN = object()


class _Abort(Exception):
    """A problem that makes the rest of the document meaningless."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class _Anchor:
    __slots__ = ("path", "raw", "size", "value")

    def __init__(self, value: Any, size: int, path: Path, raw: str | None) -> None:
        self.value, self.size, self.path, self.raw = value, size, path, raw


class _Frame:
    """An open mapping or list."""

    __slots__ = ("anchor", "count0", "in_key", "is_map", "key", "mark", "merges", "path", "value")

    def __init__(self, value: Any, path: Path, mark: Any, anchor: str | None, count0: int) -> None:
        self.value = value
        self.is_map = isinstance(value, dict)
        self.path = path
        self.mark = mark
        self.anchor = anchor
        self.count0 = count0
        self.key: Any = _NEED_KEY
        self.merges: list[tuple[Any, Path, Any]] = []
        self.in_key = False


def build(raw: bytes, name: str, *, positions: bool) -> tuple[Located | None, list[Problem]]:
    """The single document in ``raw`` as :class:`Located` data, and every problem found.

    Without ``positions`` only the data is built (the fast path: most files are
    valid and need no positions); problems found while building are located all
    the same. With ``positions`` every key's and value's place is recorded too.
    """
    builder = _Builder(name, positions)
    loader = _Loader(raw)
    try:
        builder.run(loader)
    except _Abort as exc:
        return None, [*builder.problems, exc.problem]
    except yaml.YAMLError as exc:
        return None, sorted(
            [*builder.problems, yaml_problem(exc, raw, name)], key=lambda p: p.sort_key
        )
    finally:
        loader.dispose()
    if not builder.has_root or builder.empty:
        return None, [Problem(name, 0, 0, "", _(EMPTY_MESSAGE))]
    builder.located.data = builder.root
    return builder.located, sorted(builder.problems, key=lambda p: p.sort_key)


class _Builder:
    def __init__(self, name: str, positions: bool) -> None:
        self.name = name
        self.positions = positions
        self.located = Located(None)
        self.problems: list[Problem] = []
        self.anchors: dict[str, Any] = {}
        self.stack: list[_Frame] = []
        self.count = 0
        self.root: Any = None
        self.has_root = False
        self.empty = False

    # ------------------------------------------------------------------ events

    def run(self, loader: Any) -> None:
        """Consume the event stream; plain keys and plain text values take a fast path.

        Nine events in ten are scalars, mostly untagged keys and text; they are
        handled inline here, everything else by the methods below.
        """
        get = loader.get_event
        stack = self.stack
        positions = self.positions
        value_pos = self.located.value_pos
        key_pos = self.located.key_pos
        plain_rules = _PLAIN_RULES
        need_key = _NEED_KEY
        documents = 0
        while True:
            ev = get()
            kind = type(ev)
            if kind is ScalarEvent:
                top = stack[-1] if stack else None
                if top is not None and top.is_map and top.key is need_key:
                    text = ev.value
                    if ev.tag is None and ev.anchor is None and text != "<<":
                        if not positions:
                            if text not in top.value:
                                top.key = text
                                continue
                        else:
                            path: Path = (*top.path, text)
                            if path not in key_pos:
                                mark = ev.start_mark
                                key_pos[path] = (mark.line + 1, mark.column + 1)
                                top.key = text
                                continue
                    self._scalar_key(top, ev)
                    continue
                if positions or ev.anchor is not None:
                    path = self._child_path(top)
                    mark = ev.start_mark
                    value_pos[path] = (mark.line + 1, mark.column + 1)
                value = ev.value
                if ev.tag is not None or (ev.implicit[0] and value[:1] in plain_rules):
                    value = self._scalar(ev, top)
                self.count += 1
                if ev.anchor is not None:
                    raw = self.located.raw.get(path)
                    self.anchors[ev.anchor] = _Anchor(value, 1, path, raw)
                if top is None:
                    self.empty = value is None and not ev.value
                    self.root, self.has_root = value, True
                elif not top.is_map:
                    top.value.append(value)
                elif type(top.key) is str:
                    top.value[top.key] = value
                    top.key = need_key
                else:
                    self._put(top, value, ev.start_mark)
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                self._open(ev, {} if kind is MappingStartEvent else [])
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                self._close()
            elif kind is AliasEvent:
                self._alias(ev)
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _Abort(
                        self._problem(
                            ev.start_mark,
                            (),
                            _(
                                "the file holds more than one YAML document (a second ---): "
                                "keep one scenario per file"
                            ),
                        )
                    )
            elif kind is StreamEndEvent or ev is None:
                return

    def _child_path(self, top: _Frame | None) -> Path:
        """Where the next value goes: a key of the open mapping or an index of the list."""
        if top is None:
            return ()
        if not top.is_map:
            return (*top.path, len(top.value))
        key = top.key
        if key is _MERGE_KEY:
            return (*top.path, "<<")
        if key is _BAD_KEY or key is _NEED_KEY:
            return (*top.path, "\x00ignored")
        return (*top.path, key)

    def _put(self, top: _Frame | None, value: Any, mark: Any) -> None:
        if top is None:
            self.root, self.has_root = value, True
            return
        if not top.is_map:
            top.value.append(value)
            return
        key = top.key
        if key is _MERGE_KEY:
            top.merges.append((value, self._child_path(top), mark))
        elif key is not _BAD_KEY:
            top.value[key] = value
        top.key = _NEED_KEY

    def _open(self, ev: Any, value: Any) -> None:
        stack = self.stack
        top = stack[-1] if stack else None
        mark = ev.start_mark
        in_key = top is not None and top.is_map and top.key is _NEED_KEY
        path = (*top.path, "\x00key") if in_key and top is not None else self._child_path(top)
        if len(stack) >= MAX_DEPTH:
            raise _Abort(self._problem(mark, (), nested_too_deep()))
        if self.positions:
            self.located.value_pos[path] = (mark.line + 1, mark.column + 1)
        if ev.tag not in (None, "!", _MAP, _SEQ):
            self.problems.append(self._problem(mark, path, _tag_message(ev.tag)))
        frame = _Frame(value, path, mark, ev.anchor, self.count)
        frame.in_key = in_key
        self.count += 1
        if self.count > MAX_NODES:
            raise _Abort(
                self._problem(
                    mark,
                    path,
                    _("the document holds more than {count} values").format(
                        count=grouped(MAX_NODES)
                    ),
                )
            )
        if ev.anchor is not None:
            self.anchors[ev.anchor] = _OPEN
        stack.append(frame)

    def _close(self) -> None:
        frame = self.stack.pop()
        if frame.is_map and frame.merges:
            self._merge(frame)
        if frame.anchor is not None:
            self.anchors[frame.anchor] = _Anchor(
                frame.value, self.count - frame.count0, frame.path, None
            )
        top = self.stack[-1] if self.stack else None
        if frame.in_key and top is not None:
            self.problems.append(
                self._problem(
                    frame.mark, top.path, _("a key must be a plain word, not a list or mapping")
                )
            )
            top.key = _BAD_KEY
            return
        self._put(top, frame.value, frame.mark)

    def _alias(self, ev: Any) -> None:
        top = self.stack[-1] if self.stack else None
        mark = ev.start_mark
        anchor = self.anchors.get(ev.anchor)
        if top is not None and top.is_map and top.key is _NEED_KEY:
            if isinstance(anchor, _Anchor) and not isinstance(anchor.value, (dict, list)):
                text = anchor.value if isinstance(anchor.value, str) else anchor.raw
                self._key_text(top, str(text), mark)
            else:
                self.problems.append(
                    self._problem(mark, top.path, _("a key must be a plain word, not an alias"))
                )
                top.key = _BAD_KEY
            return
        path = self._child_path(top)
        located = self.located
        if self.positions:
            located.value_pos[path] = (mark.line + 1, mark.column + 1)
        if anchor is None:
            self.problems.append(
                self._problem(
                    mark,
                    path,
                    _(
                        "unknown alias *{anchor}: define the anchor &{anchor} before using it"
                    ).format(anchor=ev.anchor),
                )
            )
            self._put(top, None, mark)
            return
        if anchor is _OPEN:
            raise _Abort(
                self._problem(
                    mark,
                    path,
                    _(
                        "the alias *{anchor} is inside the very thing it names "
                        "(a recursive structure)"
                    ).format(anchor=ev.anchor),
                )
            )
        self.count += anchor.size
        if self.count > MAX_NODES:
            raise _Abort(
                self._problem(
                    mark,
                    path,
                    _(
                        "the document expands to more than {count} values once its "
                        "aliases are followed (an alias bomb?)"
                    ).format(count=grouped(MAX_NODES)),
                )
            )
        if self.positions:
            located.alias_of[path] = anchor.path
            if anchor.raw is not None:
                located.raw[path] = anchor.raw
        self._put(top, anchor.value, mark)

    # ------------------------------------------------------------------ scalars

    def _scalar_key(self, top: _Frame, ev: Any) -> None:
        tag = ev.tag
        if ev.anchor is not None:
            self.anchors[ev.anchor] = _Anchor(ev.value, 1, (*top.path, ev.value), None)
        if tag is None and ev.value == "<<" and ev.implicit[0]:
            top.key = _MERGE_KEY
            return
        if tag not in (None, "!", _STR) and tag not in _CONSTRUCT:
            self.problems.append(self._problem(ev.start_mark, top.path, _tag_message(tag)))
            top.key = _BAD_KEY
            return
        self._key_text(top, ev.value, ev.start_mark)

    def _key_text(self, top: _Frame, key: str, mark: Any) -> None:
        """Keys are field names: always text, as written (``no:`` is the key 'no')."""
        path = (*top.path, key)
        if key in top.value:
            first = self._first_line(top, key)
            self.problems.append(
                self._problem(
                    mark,
                    path,
                    _("duplicate key {key!r} (first at line {line})").format(key=key, line=first),
                )
            )
            top.key = _BAD_KEY
            return
        if self.positions:
            self.located.key_pos[path] = (mark.line + 1, mark.column + 1)
        top.key = key

    def _first_line(self, top: _Frame, key: str) -> str:
        found = self.located.key_pos.get((*top.path, key))
        return str(found[0]) if found else _("above")

    def _scalar(self, ev: Any, top: _Frame | None) -> Any:
        """A tagged or possibly non-text plain scalar, read by YAML 1.1 rules."""
        value: str = ev.value
        tag = ev.tag
        if tag is None or tag == "!":
            if not ev.implicit[0]:
                return value
            for rule_tag, rx in _PLAIN_RULES.get(value[:1], ()):
                if rx.match(value):
                    tag = rule_tag
                    break
            else:
                return value
        if tag == _STR:
            return value
        construct = _CONSTRUCT.get(tag)
        if construct is None:
            path = self._child_path(top)
            self.problems.append(self._problem(ev.start_mark, path, _tag_message(tag)))
            return None
        if self.positions:
            self.located.raw[self._child_path(top)] = value
        try:
            return construct(_CTOR, ScalarNode(tag, value, ev.start_mark, ev.end_mark))
        except Exception as exc:  # a constructor's complaint, whatever its type
            shown = value if len(value) <= 40 else value[:37] + "..."
            reason = "" if isinstance(exc, KeyError) else ": " + " ".join(str(exc).split())[:120]
            self.problems.append(
                self._problem(
                    ev.start_mark,
                    self._child_path(top),
                    _("cannot read {value!r} as a {type}{reason}").format(
                        value=shown, type=tag.rsplit(":", 1)[-1], reason=reason
                    ),
                )
            )
            return None

    # ------------------------------------------------------------------ merges

    def _merge(self, frame: _Frame) -> None:
        """``<<`` keys: copy keys the mapping lacks, earlier sources first (as safe_load)."""
        result = frame.value
        for value, path, mark in frame.merges:
            sources = (
                [(value, path)]
                if isinstance(value, dict)
                else [(v, (*path, i)) for i, v in enumerate(value)]
                if isinstance(value, list)
                else []
            )
            if not sources or not all(isinstance(v, dict) for v, _ in sources):
                self.problems.append(
                    self._problem(
                        mark,
                        frame.path,
                        _("a merge key (<<) needs a mapping or a list of mappings"),
                    )
                )
                continue
            for source, src_path in sources:
                for key, sub in source.items():
                    if key not in result:
                        result[key] = sub
                        if self.positions:
                            self._merged_position(frame.path, src_path, key)

    def _merged_position(self, path: Path, src_path: Path, key: str) -> None:
        located = self.located
        origin = located.alias_of.get(src_path, src_path)
        here = (*path, key)
        located.key_pos[here] = located.pos((*origin, key), key=True)
        located.value_pos[here] = located.pos((*origin, key))
        located.alias_of[here] = (*origin, key)

    def _problem(self, mark: Any, path: Path, message: str) -> Problem:
        return Problem(self.name, mark.line + 1, mark.column + 1, format_path(path), message)


def _tag_message(tag: str) -> str:
    shown = tag.replace(_TAG, "!!")
    return _("the tag {tag} is not allowed in a scenario (write plain YAML, without tags)").format(
        tag=shown
    )
