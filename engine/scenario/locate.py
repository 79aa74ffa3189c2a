"""Turning pydantic's validation errors into located, plain-language problems.

Pydantic reports a location as a tuple of keys, indices and, inside unions, tag
names that are not in the document. Walking that tuple through the data keeps
the segments that exist and skips the others; a missing field falls back to the
place of the mapping that should hold it. A rule a model checks as a whole but
that one field breaks (two triggers, say) raises :class:`FieldError`, and the
problem is reported at that field.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from typing import Any, get_args

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from engine.i18n import _
from engine.problems import Problem
from engine.scenario.common import FieldError
from engine.scenario.messages import message
from engine.scenario.yamlsrc import Located, Path, format_path

_TAG_PREFIXES = ("when-", "term-", "to-", "chose-")


def locate_errors(
    exc: ValidationError, located: Located, name: str, model: type[BaseModel]
) -> list[Problem]:
    """One problem per distinct error, in document order (model order at one place)."""
    seen: set[tuple[str, str]] = set()
    problems: list[Problem] = []
    for err in exc.errors(include_url=False):
        path, rest, tags = walk(located.data, err["loc"])
        problem = _problem(err, path, rest, tags, located, name, model)
        problem = replace(problem, subject=subject_of(located.data, path))
        problem = _in_origin(problem, path, located, name)
        key = (problem.path, problem.message)
        if key not in seen:
            seen.add(key)
            problems.append(problem)
    problems.sort(key=lambda p: (p.line, p.column))
    return problems


def _in_origin(problem: Problem, path: Path, located: Located, name: str) -> Problem:
    """``problem`` named in the file that wrote ``path`` (an included file's items keep
    their own file and path there: ``actors.yaml``, ``actors[0]``, not ``actors[4]``)."""
    file, inner = located.origin(path, name)
    if file == name:
        return problem
    merged = format_path(path)
    return replace(problem, file=file, path=format_path(inner) + problem.path[len(merged) :])


_SUBJECT_ID = 40
"""Longest id shown whole in a subject (a valid id has at most 64 characters; an
invalid one may be a pasted paragraph)."""


def subject_of(data: Any, path: Path) -> str:
    """The ids written along ``path``, joined with dots: ``I-12.holding`` for a path into
    the expectation ``holding`` of inject ``I-12``; empty when no list item on the way
    has an id (``duration``, ``references.atlas[1]``).

    An id the planner wrote as something other than text (``id: yes``) is left out:
    the problem is probably that very id.
    """
    names: list[str] = []
    node: Any = data
    for seg in path:
        found, node = _child(node, seg)
        if not found:
            break
        if isinstance(seg, int) and isinstance(node, dict):
            ident = node.get("id")
            if isinstance(ident, str) and ident:
                names.append(ident if len(ident) <= _SUBJECT_ID else ident[: _SUBJECT_ID - 1] + "…")
    return ".".join(names)


def walk(data: Any, loc: tuple[int | str, ...]) -> tuple[Path, list[int | str], list[str]]:
    """Split a pydantic location into the part found in ``data``, what is left, and tags.

    Segments absent from the data (union tags) are skipped while the walk can go
    on; what remains at the end (a missing field) is returned as ``rest``. A
    segment equal to the mapping's own ``kind`` is the expectation union's tag.
    """
    path: list[str | int] = []
    current: Any = data
    rest: list[int | str] = []
    tags: list[str] = []
    for seg in loc:
        if isinstance(current, dict) and isinstance(seg, str) and seg == current.get("kind"):
            tags.append(seg)
            continue
        found, child = _child(current, seg)
        if found:
            path.append(seg)
            current = child
            rest = []
        else:
            rest.append(seg)
            if isinstance(seg, str):
                tags.append(seg)
    return tuple(path), rest, tags


def _child(node: Any, seg: int | str) -> tuple[bool, Any]:
    """Whether ``node`` has ``seg`` (a key, or an index in range), and the child."""
    if isinstance(node, dict):
        return (seg in node), node.get(seg)
    if isinstance(node, list) and isinstance(seg, int) and 0 <= seg < len(node):
        return True, node[seg]
    return False, None


def _field_name(rest: list[int | str]) -> str | None:
    """The missing field's name: the last string segment that is not a union tag."""
    for seg in reversed(rest):
        if isinstance(seg, str) and not seg.startswith(_TAG_PREFIXES):
            return seg
    return None


def _problem(
    err: ErrorDetails,
    path: Path,
    rest: list[int | str],
    tags: list[str],
    located: Located,
    name: str,
    model: type[BaseModel],
) -> Problem:
    kind = err["type"]
    if kind == "missing":
        missing = _field_name(rest)
        shown = (*path, missing) if missing else path
        line, col = located.pos(path, key=True)
        return Problem(name, line, col, format_path(shown), _("required field is missing"))
    if kind == "extra_forbidden":
        line, col = located.pos(path, key=True)
        return Problem(name, line, col, format_path(path), _unknown_field(path, located, model))
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        key = str((err.get("ctx") or {}).get("discriminator", "kind")).strip("'")
        node = located.at(path)
        if isinstance(node, dict) and key in node:
            path = (*path, key)
        elif kind == "union_tag_not_found":
            line, col = located.pos(path, key=True)
            text = _("required field is missing")
            return Problem(name, line, col, format_path((*path, key)), text)
    error = (err.get("ctx") or {}).get("error")
    if isinstance(error, FieldError):
        node = located.at(path)
        if isinstance(node, dict) and error.field in node:
            path = (*path, error.field)
    line, col = located.where(path)
    text = message(err, located.raw_text(path), tags)
    return Problem(name, line, col, format_path(path), text)


def _unknown_field(path: Path, located: Located, model: type[BaseModel]) -> str:
    key = str(path[-1]) if path else "?"
    parent = located.at(path[:-1])
    known = _known_fields(model, path[:-1], located.data)
    present = set(parent) if isinstance(parent, dict) else set()
    absent = [k for k in known if k not in present]
    allowed = _("; allowed here: {fields}").format(fields=", ".join(known)) if known else ""
    close = difflib.get_close_matches(key, absent, n=1, cutoff=0.6)
    if close:
        return _("unknown field {key!r} (did you mean {close!r}?){allowed}").format(
            key=key, close=close[0], allowed=allowed
        )
    given = difflib.get_close_matches(key, sorted(present & set(known)), n=1, cutoff=0.8)
    if given:
        line = located.pos((*path[:-1], given[0]), key=True)[0]
        return _(
            "unknown field {key!r} (a misspelt {given!r}? that is also given, on line {line})"
            "{allowed}"
        ).format(key=key, given=given[0], line=line, allowed=allowed)
    return _("unknown field {key!r}{allowed}").format(key=key, allowed=allowed)


def _known_fields(model: type[BaseModel], path: Path, data: Any) -> list[str]:
    """Field names (aliases) accepted at ``path``, found by following the models.

    Each step picks the model for the mapping actually written there, so inside
    a list of expectations the fields are those of the expectation's ``kind``.
    """
    annotation: Any = model
    node: Any = data
    for seg in path:
        if isinstance(seg, str):
            cls = _pick_model(annotation, node)
            found = _field(cls, seg) if cls is not None else None
            if found is None:
                return []
            annotation = found.annotation
        node = _child(node, seg)[1]
    cls = _pick_model(annotation, node)
    if cls is None:
        return []
    # A field left out of every dump is sitroom's own (the model answer in the other
    # languages), filled when the file is read: never one to suggest to an author.
    return [f.alias or n for n, f in cls.model_fields.items() if f.exclude is not True]


def _field(model: type[BaseModel], key: str) -> FieldInfo | None:
    for fname, finfo in model.model_fields.items():
        if key in (fname, finfo.alias):
            return finfo
    return None


def _pick_model(annotation: Any, node: Any) -> type[BaseModel] | None:
    """The model class in ``annotation`` that the mapping ``node`` is meant to be."""
    candidates: list[type[BaseModel]] = []
    stack = [annotation]
    while stack:
        ann = stack.pop()
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            candidates.append(ann)
        else:
            stack.extend(get_args(ann))
    if not candidates:
        return None
    if isinstance(node, dict):
        kind = node.get("kind")
        for cand in candidates:
            field = cand.model_fields.get("kind")
            if field is not None and isinstance(kind, str) and kind in get_args(field.annotation):
                return cand
        keys = set(node)
        return max(
            candidates, key=lambda c: len(keys & {f.alias or n for n, f in c.model_fields.items()})
        )
    return candidates[0]
