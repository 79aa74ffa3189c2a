"""Property: any bytes or text handed to the loader load, or come back as located problems.

Thousands of documents: the bundled scenarios mutated as text (truncated, bytes
and YAML punctuation inserted, slices dropped or repeated, random Unicode) and as
data (keys deleted, renamed, duplicated; values retyped; subtrees shared through
anchors and aliases; deep nesting), plus documents generated from scratch. None
may raise; every problem must be one line with a plausible position.

A second property compares the data built by the loader with ``yaml.safe_load``
on every document both accept: the loader must read YAML the same way.

Runs are derandomized so CI is reproducible; explore further with, e.g.,
``SITROOM_FUZZ_EXAMPLES=20000 SITROOM_FUZZ_RANDOM=1 pytest tests/scenario/test_fuzz_loader.py``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.problems import Problem
from engine.scenario import Scenario, ScenarioError, load_bytes
from engine.scenario.yamlsrc import read_yaml

ROOT = Path(__file__).resolve().parents[2]
SEED_FILES = [
    ROOT / "tui" / "templates" / "starter.yaml",
    ROOT / "tests" / "engine" / "fixture.yaml",
    *sorted((ROOT / "scenarios").glob("*.yaml")),
]
# libyaml's bindings where present: the pure-Python dumper and loader made these
# properties cost minutes (reading the seeds alone took 5 s in every test worker). The
# C loader has safe_load's semantics (it is what ``yaml.safe_load`` would be with
# ``Loader=CSafeLoader``).
DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
REFERENCE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

SEEDS = [p.read_bytes() for p in SEED_FILES]
SMALL_SEEDS = SEEDS[:2]
SEED_DATA = [yaml.load(s, Loader=REFERENCE_LOADER) for s in SEEDS]
SMALL_DATA = SEED_DATA[:2]

SCALE = int(os.environ.get("SITROOM_FUZZ_EXAMPLES", "0")) or None


def fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=SCALE or examples,
        deadline=None,
        database=None,
        derandomize=not os.environ.get("SITROOM_FUZZ_RANDOM"),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def check(doc: bytes | str) -> None:
    """The property: no exception, and every problem is well-formed and placed in the file."""
    result = load_bytes(doc, "fuzz.yaml")
    text = result.text
    last_line = text.count("\n") + 1 if text else None
    for problem in result.problems:
        assert isinstance(problem, Problem)
        assert problem.file == "fuzz.yaml"
        assert problem.line >= 0 and problem.column >= 0, problem
        if last_line is not None:
            assert problem.line <= last_line + 1, (problem, last_line)
        assert problem.message and "\n" not in problem.message, problem
        line = problem.format()
        assert "\n" not in line and "\r" not in line, line
        assert line.startswith(f"fuzz.yaml:{problem.line}:{problem.column}: ")
    has_errors = any(p.severity == "error" for p in result.problems)
    assert result.ok == (result.scenario is not None and not has_errors)
    if result.scenario is None:
        assert has_errors, "no scenario and no error to say why"
        with pytest.raises(ScenarioError):
            result.require()
    else:
        assert isinstance(result.scenario, Scenario)


# ------------------------------------------------------------------ text mutations

PUNCTUATION = [
    b"&a ", b"*a", b"&b [*a, *a, *a]", b"!!python/object:os.system ", b"!tag ", b"<<: *a\n",
    b"{", b"}", b"[", b"]", b": ", b"- ", b"\t", b'"', b"'", b"|", b">", b"%YAML 1.1\n",
    b"@", b"`", b"# ", b"\n---\n", b"...", b"? ", b",", b"\\", b"\x00", b"\xff", b"\xef\xbb\xbf",
    b"~", b"yes", b"no", b"1e400", b"0x1F", b"1:30", b"2025-13-45", b".nan", b"=", b"\r\n",
    b"\n  ", b"\n- ", b"9" * 400 + b"d",
]  # fmt: skip


@st.composite
def text_mutant(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    doc = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, len(doc)))
        op = draw(st.integers(0, 6))
        if op == 0:
            del doc[where:]
        elif op == 1:
            doc[where:where] = draw(st.binary(min_size=1, max_size=8))
        elif op == 2:
            doc[where:where] = draw(st.sampled_from(PUNCTUATION))
        elif op == 3:
            end = draw(st.integers(where, min(len(doc), where + 200)))
            del doc[where:end]
        elif op == 4:
            end = draw(st.integers(where, min(len(doc), where + 200)))
            doc[where:where] = doc[where:end]
        elif op == 5:
            doc[where:where] = draw(st.text(min_size=1, max_size=10)).encode("utf-8", "replace")
        else:
            depth = draw(st.integers(1, 400))
            doc[where:where] = b"[" * depth + b"]" * draw(st.integers(0, depth))
    return bytes(doc)


@fuzz_settings(1500)
@given(text_mutant(SMALL_SEEDS))
def test_text_mutants_of_small_scenarios(doc: bytes) -> None:
    check(doc)


@fuzz_settings(300)
@given(text_mutant(SEEDS))
def test_text_mutants_of_every_bundled_scenario(doc: bytes) -> None:
    check(doc)


# ------------------------------------------------------------------ data mutations

FIELD_NAMES = [
    "id", "title", "duration", "teams", "actors", "injects", "at", "after", "when", "to",
    "from", "channel", "expects", "kind", "options", "items", "due", "points", "all", "any",
    "not", "chose", "met", "answered", "missed", "done", "not_done", "expectation", "inject",
    "response", "delay", "jitter", "contingency", "if_no_response", "objective", "timeliness",
    "late", "steps", "required", "forbidden", "pattern", "max_points", "thresholds", "<<",
]  # fmt: skip

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["15m", "1h30m", "PT15M", "all", "I-01", "I-01.act", "decision", "0"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=8), inner, max_size=4),
    ),
    max_leaves=20,
)


def _containers(node: Any, out: list[Any]) -> list[Any]:
    """Every dict and list under ``node``, each once: YAML aliases share a container
    between many parents, or make one its own descendant (``a: &x [*x]``), and a walk
    that followed every path grew without end (a helper saw it pass 17 GB)."""
    stack = [node]
    seen: set[int] = set()
    while stack:
        here = stack.pop()
        if not isinstance(here, dict | list) or id(here) in seen:
            continue
        seen.add(id(here))
        out.append(here)
        stack.extend(here.values() if isinstance(here, dict) else here)
    return out


def _ancestors(root: Any, target: Any) -> set[int]:
    """Ids of ``target`` and of every container on the way down to it from ``root``."""
    parent: dict[int, Any] = {id(root): None}
    stack = [root]
    while stack:
        here = stack.pop()
        if here is target:
            break
        children = here.values() if isinstance(here, dict) else here
        for child in children:
            if isinstance(child, (dict, list)) and id(child) not in parent:
                parent[id(child)] = here
                stack.append(child)
    found: set[int] = set()
    node: Any = target
    while node is not None:
        found.add(id(node))
        node = parent.get(id(node))
    return found


@st.composite
def data_mutant(draw: st.DrawFn, seeds: list[Any]) -> bytes:
    import copy

    data = copy.deepcopy(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 5))):
        holders = _containers(data, [])
        holder = draw(st.sampled_from(holders))
        keys = list(holder) if isinstance(holder, dict) else list(range(len(holder)))
        if not keys:
            continue
        key = draw(st.sampled_from(keys))
        op = draw(st.integers(0, 5))
        if op == 0:
            del holder[key]
        elif op == 1:
            holder[key] = draw(values)
        elif op == 2 and isinstance(holder, dict):
            holder[draw(st.sampled_from(FIELD_NAMES))] = holder.pop(key)
        elif op == 3:
            # Shared: dumped as an anchor and alias. Never an ancestor of ``holder``
            # (nor itself): that would make the data a cycle, which YAML cannot dump.
            above = _ancestors(data, holder)
            free = [o for o in holders if id(o) not in above]
            if free:
                holder[key] = draw(st.sampled_from(free))
        elif op == 4:
            nested: Any = holder[key]
            for _ in range(draw(st.integers(1, 300))):
                nested = [nested] if draw(st.booleans()) else {"a": nested}
            holder[key] = nested
        else:
            holder[key] = str(holder[key])
    flow = draw(st.sampled_from([None, True, False]))
    text = yaml.dump(
        data, Dumper=DUMPER, default_flow_style=flow, allow_unicode=draw(st.booleans())
    )
    if draw(st.booleans()):  # a duplicated line: often a duplicate key
        lines = text.splitlines(keepends=True)
        k = draw(st.integers(0, len(lines) - 1))
        text = "".join([*lines[: k + 1], lines[k], *lines[k + 1 :]])
    return text.encode("utf-8")


@fuzz_settings(300)  # each example dumps and loads a 50-110 KB scenario (~45 ms)
@given(data_mutant(SEED_DATA))
def test_data_mutants_of_bundled_scenarios(doc: bytes) -> None:
    check(doc)


# ------------------------------------------------------------------ generated documents


@fuzz_settings(500)
@given(values, st.sampled_from([None, True, False]))
def test_generated_documents(data: Any, flow: bool | None) -> None:
    check(yaml.dump(data, Dumper=DUMPER, default_flow_style=flow))


@fuzz_settings(500)
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300)))
def test_arbitrary_bytes_and_text(doc: bytes | str) -> None:
    check(doc)


# ------------------------------------------------------------------ same reading as safe_load


def _text_keys_only(node: Any) -> bool:
    return all(
        all(isinstance(k, str) for k in c) for c in _containers(node, []) if isinstance(c, dict)
    )


@fuzz_settings(350)
@given(st.one_of(text_mutant(SMALL_SEEDS), data_mutant(SMALL_DATA)))
def test_reads_yaml_as_safe_load_does(doc: bytes) -> None:
    """Where both accept a document (and its keys are text), both build the same data.

    Mutants of the small seeds: what is compared is how YAML is read (anchors, aliases,
    deep nesting, duplicated keys, retyped values), which a short document exercises as
    well as a 100 KB one, in a third of the time. The bundled scenarios' own mutants are
    still loaded by test_data_mutants_of_bundled_scenarios, which checks the problems they
    give, not this comparison."""
    try:
        expected = yaml.load(doc, Loader=REFERENCE_LOADER)
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError):
        return
    if not isinstance(expected, dict) or not _text_keys_only(expected):
        return
    read = read_yaml(doc, "fuzz.yaml")
    if read.located is not None:
        assert _plain(read.located.data) == _plain(expected)


def _plain(node: Any) -> Any:
    """``node`` with NaN made comparable (NaN is not equal to itself)."""
    if isinstance(node, float) and node != node:
        return "NaN"
    if isinstance(node, dict):
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node
