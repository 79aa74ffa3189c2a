"""Turning pydantic's validation errors into located, plain-language problems.

Pydantic reports a location as a tuple of keys, indices and, inside unions, tag
names that are not in the document. Walking that tuple through the data keeps
the segments that exist and skips the others; a missing field falls back to the
place of the mapping that should hold it.
"""

from __future__ import annotations

import difflib
from typing import Any, get_args

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from engine.problems import Problem
from engine.scenario.common import ATLAS_PATTERN, ID_PATTERN, OWASP_LLM_PATTERN, REF_PATTERN
from engine.scenario.yamlsrc import Located, Path, format_path

_PATTERN_HINTS = {
    ID_PATTERN: "is not a valid id: use letters, digits, - and _ (no spaces or dots), "
    "at most 64 characters",
    REF_PATTERN: "is not an expectation reference: write INJECT.EXPECTATION, e.g. I-01.verify",
    ATLAS_PATTERN: "is not a MITRE ATLAS id: write AML.T0051, AML.T0051.001 or AML.TA0002",
    OWASP_LLM_PATTERN: "is not an OWASP LLM Top 10 id: write LLM01 … LLM10",
}


def locate_errors(
    exc: ValidationError, located: Located, name: str, model: type[BaseModel]
) -> list[Problem]:
    """One problem per distinct error, in document order."""
    seen: set[tuple[str, str]] = set()
    problems: list[Problem] = []
    for err in exc.errors(include_url=False):
        path, rest = walk(located.data, err["loc"])
        problem = _problem(err, path, rest, located, name, model)
        key = (problem.path, problem.message)
        if key not in seen:
            seen.add(key)
            problems.append(problem)
    problems.sort(key=lambda p: p.sort_key)
    return problems


def walk(data: Any, loc: tuple[int | str, ...]) -> tuple[Path, list[int | str]]:
    """Split a pydantic location into the part found in ``data`` and what is left.

    Segments absent from the data (union tags) are skipped while the walk can go
    on; what remains at the end (a missing field) is returned as ``rest``.
    """
    path: list[str | int] = []
    current: Any = data
    rest: list[int | str] = []
    for seg in loc:
        found, child = _child(current, seg)
        if found:
            path.append(seg)
            current = child
            rest = []
        else:
            rest.append(seg)
    return tuple(path), rest


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
        if isinstance(seg, str) and not seg.startswith(("when-", "term-", "to-", "chose-")):
            return seg
    return None


def _problem(
    err: ErrorDetails,
    path: Path,
    rest: list[int | str],
    located: Located,
    name: str,
    model: type[BaseModel],
) -> Problem:
    kind = err["type"]
    if kind == "missing":
        missing = _field_name(rest)
        shown = (*path, missing) if missing else path
        line, col = located.pos(path, key=True)
        return Problem(name, line, col, format_path(shown), "required field is missing")
    if kind == "extra_forbidden":
        line, col = located.pos(path, key=True)
        return Problem(name, line, col, format_path(path), _unknown_field(path, located, model))
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        key = str((err.get("ctx") or {}).get("discriminator", "kind")).strip("'")
        node = _at(located.data, path)
        if isinstance(node, dict) and key in node:
            path = (*path, key)
        elif kind == "union_tag_not_found":
            line, col = located.pos(path, key=True)
            return Problem(name, line, col, format_path((*path, key)), "required field is missing")
    line, col = located.pos(path)
    return Problem(name, line, col, format_path(path), message(err))


def _at(data: Any, path: Path) -> Any:
    for seg in path:
        data = data[seg]
    return data


def _unknown_field(path: Path, located: Located, model: type[BaseModel]) -> str:
    key = path[-1] if path else "?"
    parent = located.data
    for seg in path[:-1]:
        parent = parent[seg]
    known = _known_fields(model, path[:-1], located.data)
    present = set(parent) if isinstance(parent, dict) else set()
    suggestions = difflib.get_close_matches(
        str(key), [k for k in known if k not in present], n=1, cutoff=0.6
    )
    hint = f" (did you mean {suggestions[0]!r}?)" if suggestions else ""
    return f"unknown field {key!r}{hint}"


def _known_fields(model: type[BaseModel], path: Path, data: Any) -> list[str]:
    """Field names (aliases) accepted at ``path``, found by following the models."""
    current: Any = model
    node: Any = data
    for seg in path:
        node = _child(node, seg)[1]
        if isinstance(seg, int):
            continue
        current = _field_model(current, str(seg), node)
        if current is None:
            return []
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or n for n, f in current.model_fields.items()]
    return []


def _field_model(model: Any, key: str, node: Any) -> Any:
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return None
    for fname, finfo in model.model_fields.items():
        if key in (fname, finfo.alias):
            return _pick_model(finfo.annotation, node)
    return None


def _pick_model(annotation: Any, node: Any) -> Any:
    candidates: list[Any] = []
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
            if field is not None and kind in get_args(field.annotation):
                return cand
        keys = set(node)
        return max(
            candidates, key=lambda c: len(keys & {f.alias or n for n, f in c.model_fields.items()})
        )
    return candidates[0]


def message(err: ErrorDetails) -> str:
    """A plain-language message for one pydantic error."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    if kind == "string_pattern_mismatch":
        hint = _PATTERN_HINTS.get(str(ctx.get("pattern")))
        if hint:
            return f"{value!r} {hint}"
    if kind == "literal_error":
        return f"{value!r} is not one of {_choices(str(ctx.get('expected', '')))}"
    if kind == "union_tag_invalid":
        return f"{ctx.get('tag')!r} is not one of {_choices(str(ctx.get('expected_tags', '')))}"
    if kind == "union_tag_not_found":
        return f"{ctx.get('discriminator', 'kind')} is required"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping of fields, got {_describe(value)}"
    if kind == "list_type":
        return f"expected a list, got {_describe(value)}"
    if kind == "string_type":
        hint = " (put it in quotes)" if isinstance(value, (int, float, bool)) else ""
        return f"expected text, got {_describe(value)}{hint}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {_describe(value)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {_describe(value)}"
    if kind in ("float_type", "float_parsing"):
        return f"expected a number, got {_describe(value)}"
    if kind == "too_short":
        need = ctx.get("min_length")
        if value in ("", None) or isinstance(value, str):
            return "must not be empty"
        return f"needs at least {need} item{'s' if need != 1 else ''}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return _bound_message(kind, ctx, value)
    if kind in ("datetime_type", "datetime_parsing", "datetime_from_date_parsing"):
        return f"expected a date and time such as 2025-02-10T09:00:00, got {_describe(value)}"
    msg = err["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix) :]
    return msg[:1].lower() + msg[1:]


def _bound_message(kind: str, ctx: dict[str, Any], value: Any) -> str:
    words = {
        "greater_than_equal": ("at least", "ge"),
        "less_than_equal": ("at most", "le"),
        "greater_than": ("more than", "gt"),
        "less_than": ("less than", "lt"),
    }
    word, key = words[kind]
    return f"must be {word} {ctx.get(key)}, got {value!r}"


def _choices(expected: str) -> str:
    return expected.replace("'", "").replace(" or ", ", ")


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text {value!r}" if len(value) < 40 else "text"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__
