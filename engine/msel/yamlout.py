"""Writing scenario data as the YAML planners write by hand, with comments.

PyYAML emits correct YAML but not the house style: the library's scenarios put
short mappings on one line (``- {id: cert, name: National CERT}``), indent list
items under their key, write multi-line text as ``|`` blocks and leave a blank
line between injects. This module arranges the data so PyYAML emits that, and
adds comments (PyYAML cannot) between the top-level blocks and above list items.
Quoting is always PyYAML's, so whatever text a sheet holds reads back the same.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

FLOW_BUDGET = 96
"""Widest a one-line mapping or list may be before it is written as a block."""


COMMENT_WIDTH = 88


class _FlowMap(dict[str, Any]):
    """A mapping written on one line."""


class _FlowList(list[Any]):
    """A list written on one line."""


class _Dumper(yaml.SafeDumper):
    """Indents list items under their key, as the scenario library does."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    block = "\n" in value and bool(value.strip()) and not value.endswith("\n\n")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if block else None)


def _represent_flow_map(dumper: yaml.SafeDumper, value: _FlowMap) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=True)


def _represent_flow_list(dumper: yaml.SafeDumper, value: _FlowList) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_FlowMap, _represent_flow_map)
_Dumper.add_representer(_FlowList, _represent_flow_list)


def dump(value: Any, budget: int = FLOW_BUDGET) -> str:
    """``value`` as block YAML in the house style.

    The final line break is kept: a ``|`` block at the very end only keeps its
    own final line break when the text has one after it.
    """
    text = yaml.dump(
        styled(value, budget),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return text.removesuffix("...\n")


def dump_entry(key: str, value: Any, budget: int = FLOW_BUDGET) -> str:
    """``key: value`` (the key's own mapping is never folded onto one line)."""
    text = yaml.dump(
        {key: styled(value, budget - len(key) - 2)},
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return text.removesuffix("\n")


def dump_flow(value: Any) -> str:
    """``value`` on one line, in YAML flow style (``{expectation: I-01.x, chose: a}``)."""
    text = yaml.dump(
        _numbers(value),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=10**9,
        default_flow_style=True,
    )
    return text.removesuffix("\n...\n").rstrip("\n")


def styled(value: Any, budget: int = FLOW_BUDGET) -> Any:
    """The data, with short mappings and lists marked to be written on one line."""
    value = _numbers(value)
    if isinstance(value, dict):
        if value and _flowable(value) and len(dump_flow(value)) <= budget:
            return _FlowMap(value)
        return {k: styled(v, budget - 2) for k, v in value.items()}
    if isinstance(value, list):
        if value and all(_is_scalar(v) for v in value) and len(dump_flow(value)) <= budget:
            return _FlowList(value)
        return [styled(v, budget - 4) for v in value]
    return value


def _numbers(value: Any) -> Any:
    """Whole floats as ints (``10`` rather than ``10.0``); the models read both the same."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    return value


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (dict, list)) and not (isinstance(value, str) and "\n" in value)


def _flowable(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_flowable(v) for v in value.values())
    if isinstance(value, list):
        return all(_flowable(v) for v in value)
    return _is_scalar(value)


@dataclass
class Block:
    """One top-level key of the document, with comments above it and above its items."""

    key: str
    value: Any
    comments: list[str] = field(default_factory=list)
    item_comments: dict[int, list[str]] = field(default_factory=dict)
    spaced: bool = False
    """A blank line between list items (injects read better apart)."""
    trailing: str = ""
    """A comment at the end of the key's line, for a scalar."""


def document(header: Sequence[str], blocks: Sequence[Block]) -> str:
    """A YAML document: comment lines, then each block; blank lines between sections."""
    out = _comments(header)
    previous_scalar = False
    for block in blocks:
        is_list = isinstance(block.value, list) and block.value
        is_scalar = not isinstance(block.value, (dict, list))
        if out and not (is_scalar and previous_scalar and not block.comments):
            out.append("")
        out.extend(_comments(block.comments))
        if is_list and (block.item_comments or block.spaced):
            out.append(f"{block.key}:")
            for k, item in enumerate(block.value):
                if k and block.spaced:
                    out.append("")
                out.extend(_comments(block.item_comments.get(k, []), "  "))
                out.append(_indent(dump([item], FLOW_BUDGET - 2).removesuffix("\n"), "  "))
        else:
            text = dump_entry(block.key, block.value)
            if block.trailing:
                first, sep, rest = text.partition("\n")
                text = f"{first}  {_comment(block.trailing)}{sep}{rest}"
            out.append(text)
        previous_scalar = is_scalar
    return "\n".join(out) + "\n"


def _comment(line: str) -> str:
    return f"# {line}".rstrip() if line else "#"


def _comments(lines: Sequence[str], indent: str = "") -> list[str]:
    """Comment lines, wrapped to fit beside the 100-column data."""
    out: list[str] = []
    for line in lines:
        wrapped = textwrap.wrap(line, COMMENT_WIDTH - len(indent)) or [""]
        out.extend(indent + _comment(part) for part in wrapped)
    return out


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line if line else line for line in text.split("\n"))
