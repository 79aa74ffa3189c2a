"""How values are written in one spreadsheet cell, and read back.

Every encoding here is exact both ways for whatever the scenario model accepts,
and plain in the common case, so a planner can edit the cell by hand:

* lists of names: ``cert, comms`` (JSON ``["a, b", "c"]`` only when an item
  holds a comma or could be misread);
* yes/no: ``yes`` or empty;
* references: ``AML.T0088, LLM09`` (YAML flow when incidents are named);
* structured values (conditions, expectations, attachments): YAML, the same
  notation as the scenario file.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from engine.msel.yamlout import dump, dump_flow
from engine.scenario.common import ATLAS_PATTERN, OWASP_LLM_PATTERN

YES = frozenset({"yes", "y", "true", "x", "1", "✓", "✔"})
NO = frozenset({"no", "n", "false", "0", ""})


class CellError(ValueError):
    """A cell that could not be read; the message says what was expected."""


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
            raise CellError(f"starts with [ but is not a JSON list: {exc.msg}") from None
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise CellError('a JSON list cell holds text items only: ["a, b", "c"]')
        return items
    pattern = "[" + re.escape(separators) + "\n]"
    return [part.strip() for part in re.split(pattern, value) if part.strip()]


def yes_no(text: str) -> bool:
    value = text.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise CellError(f"{text!r} is not yes or no (leave the cell empty for no)")


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
            raise CellError("expected a mapping such as {atlas: [AML.T0051], owasp_llm: [LLM01]}")
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
                f"{item!r} is neither a MITRE ATLAS id (AML.T0051) nor an OWASP LLM id "
                "(LLM01); name incidents as {incidents: [...]}"
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


def load_yaml(text: str) -> Any:
    """A structured cell's YAML, refusing anchors and aliases (no expansion bombs in a cell)."""
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise CellError("anchors and aliases (&name, *name) are not read in sheet cells")
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" (line {mark.line + 1} of the cell)" if mark is not None else ""
        raise CellError(f"not valid YAML{where}: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise CellError(f"not valid YAML: {exc}") from None
