"""How values are written in one spreadsheet cell, and read back.

Every encoding here is exact both ways for whatever the scenario model accepts,
and plain in the common case, so a planner can edit the cell by hand:

* lists of names: ``cert, comms`` (JSON ``["a, b", "c"]`` only when an item
  holds a comma or could be misread);
* yes/no: ``yes`` or empty;
* references: ``AML.T0088, LLM09`` (YAML flow when incidents are named);
* structured values (conditions, expectations, attachments): YAML, the same
  notation as the scenario file;
* any cell a spreadsheet would run as a formula: behind an apostrophe
  (:func:`escape_formula`), read back without it (:func:`unescape_formula`).
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from engine.i18n import _
from engine.msel.yamlout import dump, dump_flow
from engine.scenario.common import ATLAS_PATTERN, OWASP_LLM_PATTERN
from engine.scenario.yamlsrc import MAX_DEPTH

_FORMULA_START = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
"""What a formula starts with (OWASP's CSV injection list, and their full-width forms)."""
_NEGATIVE_NUMBER = re.compile(r"-\d+(?:\.\d+)?")

YES = frozenset({"yes", "y", "true", "x", "1", "✓", "✔"})
NO = frozenset({"no", "n", "false", "0", ""})


class CellError(ValueError):
    """A cell that could not be read; the message says what was expected."""


def _formula_like(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula.

    It starts with ``=``, ``+``, ``-`` or ``@`` (white space before them allowed), or
    with a tab or a carriage return. A negative number (``-2``) is a number to a
    spreadsheet, not a formula, and stays as it is.
    """
    if text[:1] in ("\t", "\r"):
        return True
    head = text.lstrip()[:1]
    return head != "" and head in _FORMULA_START and not _NEGATIVE_NUMBER.fullmatch(text)


def escape_formula(text: str) -> str:
    """``text`` as a spreadsheet shows it and never runs it: ``'=1+1`` for ``=1+1``.

    A leading apostrophe makes a cell text in every spreadsheet (OWASP's advice on
    CSV injection). Text that already starts with apostrophes before a formula
    gets one more, so :func:`unescape_formula` gives back exactly what was written;
    other text, ``'Tis`` included, is left alone. The report's CSV and the MSEL
    export both write cells through this function.
    """
    return "'" + text if _formula_like(text.lstrip("'")) else text


def unescape_formula(text: str) -> str:
    """The cell's text without the apostrophe :func:`escape_formula` (or a planner) put
    before a formula; any other cell as it is."""
    if text.startswith("'") and _formula_like(text.lstrip("'")):
        return text[1:]
    return text


def join_list(items: list[str]) -> str:
    """``["cert", "comms"]`` → ``cert, comms``; JSON when plain commas would be ambiguous."""
    plain = all(
        item and item == item.strip() and "," not in item and "\n" not in item for item in items
    )
    if plain and not (items and items[0].startswith("[")):
        return ", ".join(items)
    return json.dumps(items, ensure_ascii=False)


def split_list(text: str, separators: str = ",") -> list[str]:
    """The items of a list cell: JSON when it starts with ``[``, else split on ``separators``."""
    value = text.strip()
    if value.startswith("["):
        try:
            items = json.loads(value)
        except json.JSONDecodeError as exc:
            raise CellError(_not_a_list(exc.msg)) from None
        except RecursionError:  # json's decoder recurses; a list cell is one level deep
            raise CellError(_not_a_list(_nested())) from None
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise CellError(_('a JSON list cell holds text items only: ["a, b", "c"]'))
        return items
    pattern = "[" + re.escape(separators) + "\n]"
    return [part.strip() for part in re.split(pattern, value) if part.strip()]


def yes_no(text: str) -> bool:
    value = text.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise CellError(_("{text!r} is not yes or no (leave the cell empty for no)").format(text=text))


def format_references(refs: dict[str, Any]) -> str:
    """``AML.T0088, LLM09``, or YAML flow when the references name incidents."""
    if refs.get("incidents"):
        return dump_flow({key: value for key, value in refs.items() if value})
    return ", ".join([*refs.get("atlas", []), *refs.get("owasp_llm", [])])


def parse_references(text: str) -> dict[str, Any]:
    """The ``References`` cell: ids told apart by their prefix, or a YAML mapping."""
    value = text.strip()
    if value.startswith("{"):
        data = load_yaml(value)
        if not isinstance(data, dict):
            raise CellError(
                _("expected a mapping such as {example}").format(
                    example="{atlas: [AML.T0051], owasp_llm: [LLM01]}"
                )
            )
        return data
    atlas: list[str] = []
    owasp: list[str] = []
    for item in split_list(value, ",;"):
        if re.match(ATLAS_PATTERN, item):
            atlas.append(item)
        elif re.match(OWASP_LLM_PATTERN, item):
            owasp.append(item)
        else:
            raise CellError(
                _(
                    "{item!r} is neither a MITRE ATLAS id (AML.T0051) nor an OWASP LLM id "
                    "(LLM01); name incidents as {example}"
                ).format(item=item, example="{incidents: [...]}")
            )
    out: dict[str, Any] = {}
    if atlas:
        out["atlas"] = atlas
    if owasp:
        out["owasp_llm"] = owasp
    return out


def format_yaml(value: Any) -> str:
    """A structured cell: one line when it fits, else YAML blocks (as in the scenario file)."""
    text = dump(value)
    return text.removesuffix("\n") if text.count("\n") == 1 else text


_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader, as the scenario loader uses: PyYAML's own scanner takes
quadratic time on a cell of thousands of ``[``."""


def _nested() -> str:
    return _("nested more than {depth} levels deep").format(depth=MAX_DEPTH)


def _not_a_list(why: str) -> str:
    return _("starts with [ but is not a JSON list: {why}").format(why=why)


def load_yaml(text: str) -> Any:
    """A structured cell's YAML, refusing anchors and aliases (no expansion bombs in a cell)
    and nesting deeper than a scenario file may (:data:`MAX_DEPTH`), before it is built:
    PyYAML builds values recursively (a cell of 5,000 ``[`` raised RecursionError)."""
    try:
        depth = 0
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise CellError(_("anchors and aliases (&name, *name) are not read in sheet cells"))
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise CellError(_nested())
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
        return yaml.load(text, Loader=_Loader)  # a safe loader
    except yaml.MarkedYAMLError as exc:
        if "maximum nesting depth" in str(exc.problem):
            raise CellError(_nested()) from None  # libyaml's own bound, met while scanning ahead
        mark = exc.problem_mark
        # libyaml places the end of the text on a line after the last one: say the last.
        line = min(mark.line + 1, text.count("\n") + 1) if mark is not None else 0
        if line:
            said = _("not valid YAML (line {line} of the cell): {problem}")
        else:
            said = _("not valid YAML: {problem}")
        raise CellError(said.format(line=line, problem=exc.problem)) from None
    except yaml.YAMLError as exc:
        raise CellError(_("not valid YAML: {problem}").format(problem=exc)) from None
