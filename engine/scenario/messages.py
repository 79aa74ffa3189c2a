"""Plain-language messages for pydantic's validation errors.

Pydantic's own messages are written for programmers ("Input should be a valid
string"). A planner needs to know what was expected, what was found (as they
wrote it: ``no``, not ``False``) and what to do about it.

These are sitroom's own words, in the active language (:mod:`engine.i18n`): the
tables are marked with ``N_`` and translated when a message is made, which is
after the language was chosen (at start, or by ``--lang``), never at import.
"""

from __future__ import annotations

import difflib
import math
from datetime import date, datetime
from typing import Any

from pydantic_core import ErrorDetails

from engine.i18n import N_, _, ngettext
from engine.i18n.forms import grouped
from engine.scenario.common import ATLAS_PATTERN, ID_PATTERN, OWASP_LLM_PATTERN, REF_PATTERN

_PATTERN_HINTS = {
    ID_PATTERN: N_(
        "{value} is not a valid id: use letters, digits, - and _ (no spaces or dots), "
        "at most 64 characters"
    ),
    REF_PATTERN: N_(
        "{value} is not an expectation reference: write INJECT.EXPECTATION, e.g. I-01.verify"
    ),
    ATLAS_PATTERN: N_(
        "{value} is not a MITRE ATLAS id: write AML.T0051, AML.T0051.001 or AML.TA0002"
    ),
    OWASP_LLM_PATTERN: N_("{value} is not an OWASP LLM Top 10 id: write LLM01 … LLM10"),
}
"""What a value breaking each pattern should look like (``{value}``: the value shown)."""


def pattern_hint(pattern: str, value: str) -> str | None:
    """The message for ``value`` (as shown to the planner) not matching ``pattern``."""
    hint = _PATTERN_HINTS.get(pattern)
    return None if hint is None else _(hint).format(value=value)


_UNION_LISTS = {
    "chose-list": N_("an option id or a list of option ids"),
    "to-list": N_("a team id, a list of team ids or all"),
}
"""What a field that takes text *or* a list accepts, by the tag of its list branch."""

_DATETIME = N_("a date and time such as 2025-02-10T09:00:00")
_EXPECTED = {
    "string_type": N_("text"),
    "bool_type": N_("true or false"),
    "bool_parsing": N_("true or false"),
    "int_type": N_("a whole number"),
    "int_parsing": N_("a whole number"),
    "int_from_float": N_("a whole number"),
    "float_type": N_("a number"),
    "float_parsing": N_("a number"),
    "list_type": N_("a list"),
    "model_type": N_("a mapping of fields"),
    "model_attributes_type": N_("a mapping of fields"),
    "dict_type": N_("a mapping of fields"),
    "datetime_type": _DATETIME,
    "datetime_parsing": _DATETIME,
    "datetime_from_date_parsing": _DATETIME,
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
        hint = pattern_hint(str(ctx.get("pattern")), show(value))
        # Pydantic's own words, said in the planner's language (a sha256, a language code).
        return hint or _("string should match pattern '{pattern}'").format(
            pattern=ctx.get("pattern")
        )
    if kind == "literal_error":
        return _not_one_of(value, raw, str(ctx.get("expected", "")))
    if kind == "union_tag_invalid":
        return _not_one_of(ctx.get("tag"), None, str(ctx.get("expected_tags", "")))
    if kind == "union_tag_not_found":
        return _("{field} is required").format(field=ctx.get("discriminator", "kind"))
    expected = _EXPECTED.get(kind)
    if expected is not None:
        union = next((_UNION_LISTS[t] for t in tags if t in _UNION_LISTS), None)
        if kind == "list_type" and union is not None:
            expected = union
        hint = _quote_hint(kind, value, raw, union is not None)
        return _("expected {expected}, got {found}{hint}").format(
            expected=_(expected), found=describe(value, raw), hint=hint
        )
    if kind in ("too_short", "string_too_short"):
        need = ctx.get("min_length")
        if isinstance(value, str):
            return _("must not be empty")
        count = need if isinstance(need, int) else 0
        return ngettext("needs at least {n} item", "needs at least {n} items", count).format(
            n=grouped(need) if isinstance(need, int) else need
        )
    if kind == "too_long" and isinstance(value, list) and isinstance(ctx.get("max_length"), int):
        most = ctx["max_length"]
        return ngettext(
            "list should have at most {n} item after validation, not {actual}",
            "list should have at most {n} items after validation, not {actual}",
            most,
        ).format(n=grouped(most), actual=ctx.get("actual_length", len(value)))
    if kind == "string_too_long" and isinstance(value, str):
        most = ctx.get("max_length")
        return _("is {length} characters long, over the limit of {most}").format(
            length=grouped(len(value)), most=grouped(most) if isinstance(most, int) else most
        )
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return _bound_message(kind, ctx, value)
    if kind == "finite_number":
        return _("must be a finite number, got {value}").format(value=raw or value)
    msg = err["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    return msg[:1].lower() + msg[1:]


def _not_one_of(value: Any, raw: str | None, expected: str) -> str:
    choices = [c.strip().strip("'") for c in expected.replace(" or ", ", ").split(",")]
    choices = [c for c in choices if c]
    close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
    shown = show(value) if raw is None else raw
    if close:
        return _("{value} is not one of {choices} (did you mean {close!r}?)").format(
            value=shown, choices=", ".join(choices), close=close[0]
        )
    return _("{value} is not one of {choices}").format(value=shown, choices=", ".join(choices))


def _quote_hint(kind: str, value: Any, raw: str | None, takes_text: bool) -> str:
    """Tell the planner to quote a value YAML read as something other than text."""
    if kind != "string_type" and not (kind == "list_type" and takes_text):
        return ""
    if value is None or isinstance(value, (dict, list)):
        return ""
    if raw is not None:
        return _(": put it in quotes ('{raw}')").format(raw=raw)
    return _(": put it in quotes") if isinstance(value, (int, float)) else ""


_BOUNDS = {
    "greater_than_equal": (N_("must be at least {bound}, got {value}"), "ge"),
    "less_than_equal": (N_("must be at most {bound}, got {value}"), "le"),
    "greater_than": (N_("must be more than {bound}, got {value}"), "gt"),
    "less_than": (N_("must be less than {bound}, got {value}"), "lt"),
}


def _bound_message(kind: str, ctx: dict[str, Any], value: Any) -> str:
    text, key = _BOUNDS[kind]
    return _(text).format(bound=number(ctx.get(key)), value=number(value))


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
        return _("{raw}, which YAML reads as {reading}").format(raw=raw, reading=reading)
    if value is None:
        return _("nothing")
    if isinstance(value, bool):
        return _("{value} (a yes/no value)").format(value=str(value).lower())
    if isinstance(value, (int, float)):
        return _("the number {value}").format(value=number(value))
    if isinstance(value, str):
        return (
            _("the text {value}").format(value=show(value)) if len(value) < 40 else _("a long text")
        )
    if isinstance(value, dict):
        return _("a mapping")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, (date, datetime)):
        return _("the date {value}").format(value=value.isoformat())
    return type(value).__name__


def _reading(value: Any) -> str:
    if value is None:
        return _("nothing (null)")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _("the number {value}").format(value=value)
    if isinstance(value, datetime):
        return _("a date and time")
    if isinstance(value, date):
        return _("a date")
    return type(value).__name__
