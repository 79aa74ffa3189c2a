"""Plain-language messages for pydantic's validation errors.

Pydantic's own messages are written for programmers ("Input should be a valid
string"). A planner needs to know what was expected, what was found (as they
wrote it: ``no``, not ``False``) and what to do about it.
"""

from __future__ import annotations

import difflib
import math
from datetime import date, datetime
from typing import Any

from pydantic_core import ErrorDetails

from engine.scenario.common import ATLAS_PATTERN, ID_PATTERN, OWASP_LLM_PATTERN, REF_PATTERN

_PATTERN_HINTS = {
    ID_PATTERN: "is not a valid id: use letters, digits, - and _ (no spaces or dots), "
    "at most 64 characters",
    REF_PATTERN: "is not an expectation reference: write INJECT.EXPECTATION, e.g. I-01.verify",
    ATLAS_PATTERN: "is not a MITRE ATLAS id: write AML.T0051, AML.T0051.001 or AML.TA0002",
    OWASP_LLM_PATTERN: "is not an OWASP LLM Top 10 id: write LLM01 … LLM10",
}

_UNION_LISTS = {
    "chose-list": "an option id or a list of option ids",
    "to-list": "a team id, a list of team ids or all",
}
"""What a field that takes text *or* a list accepts, by the tag of its list branch."""

_EXPECTED = {
    "string_type": "text",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "list_type": "a list",
    "model_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
    "dict_type": "a mapping of fields",
    "datetime_type": "a date and time such as 2025-02-10T09:00:00",
    "datetime_parsing": "a date and time such as 2025-02-10T09:00:00",
    "datetime_from_date_parsing": "a date and time such as 2025-02-10T09:00:00",
}


def message(err: ErrorDetails, raw: str | None, tags: list[str]) -> str:
    """A plain-language message for one pydantic error.

    ``raw`` is how the value was written when YAML did not read it as text;
    ``tags`` are the union tags in the error's location (which branch failed).
    """
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    if kind == "string_pattern_mismatch":
        hint = _PATTERN_HINTS.get(str(ctx.get("pattern")))
        if hint:
            return f"{show(value)} {hint}"
    if kind == "literal_error":
        return _not_one_of(value, raw, str(ctx.get("expected", "")))
    if kind == "union_tag_invalid":
        return _not_one_of(ctx.get("tag"), None, str(ctx.get("expected_tags", "")))
    if kind == "union_tag_not_found":
        return f"{ctx.get('discriminator', 'kind')} is required"
    expected = _EXPECTED.get(kind)
    if expected is not None:
        union = next((_UNION_LISTS[t] for t in tags if t in _UNION_LISTS), None)
        if kind == "list_type" and union is not None:
            expected = union
        hint = _quote_hint(kind, value, raw, union is not None)
        return f"expected {expected}, got {describe(value, raw)}{hint}"
    if kind in ("too_short", "string_too_short"):
        need = ctx.get("min_length")
        if isinstance(value, str):
            return "must not be empty"
        return f"needs at least {need} item{'s' if need != 1 else ''}"
    if kind == "string_too_long" and isinstance(value, str):
        most = ctx.get("max_length")
        return f"is {len(value):,} characters long, over the limit of {most:,}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return _bound_message(kind, ctx, value)
    if kind == "finite_number":
        return f"must be a finite number, got {raw or value}"
    msg = err["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    return msg[:1].lower() + msg[1:]


def _not_one_of(value: Any, raw: str | None, expected: str) -> str:
    choices = [c.strip().strip("'") for c in expected.replace(" or ", ", ").split(",")]
    choices = [c for c in choices if c]
    close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"{show(value) if raw is None else raw} is not one of {', '.join(choices)}{hint}"


def _quote_hint(kind: str, value: Any, raw: str | None, takes_text: bool) -> str:
    """Tell the planner to quote a value YAML read as something other than text."""
    if kind != "string_type" and not (kind == "list_type" and takes_text):
        return ""
    if value is None or isinstance(value, (dict, list)):
        return ""
    if raw is not None:
        return f": put it in quotes ('{raw}')"
    return ": put it in quotes" if isinstance(value, (int, float)) else ""


def _bound_message(kind: str, ctx: dict[str, Any], value: Any) -> str:
    words = {
        "greater_than_equal": ("at least", "ge"),
        "less_than_equal": ("at most", "le"),
        "greater_than": ("more than", "gt"),
        "less_than": ("less than", "lt"),
    }
    word, key = words[kind]
    return f"must be {word} {number(ctx.get(key))}, got {number(value)}"


def number(value: Any) -> str:
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        return str(int(value))
    return str(value)


def show(value: Any, limit: int = 40) -> str:
    """A value as the planner would recognise it, cut to ``limit`` characters."""
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[: limit - 4] + "…" + text[-3:]


def describe(value: Any, raw: str | None = None) -> str:
    """What was found, in words: ``no, which YAML reads as false``, ``a list``…"""
    if raw is not None and not isinstance(value, (dict, list)):
        reading = _reading(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and raw == str(value):
            return reading
        return f"{raw}, which YAML reads as {reading}"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, (int, float)):
        return f"the number {number(value)}"
    if isinstance(value, str):
        return f"the text {show(value)}" if len(value) < 40 else "a long text"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (date, datetime)):
        return f"the date {value.isoformat()}"
    return type(value).__name__


def _reading(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, datetime):
        return "a date and time"
    if isinstance(value, date):
        return "a date"
    return type(value).__name__
