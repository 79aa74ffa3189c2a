"""Each bundled scenario plays exactly as its stored golden trace says."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from tests.engine.golden import GOLDEN, golden_path, scenario_files, trace

# The traces record play as it is by default: text answers graded by meaning, each
# verdict logged in its respond (tests/conftest.py).
pytestmark = pytest.mark.meaning


@pytest.mark.parametrize("path", scenario_files(), ids=lambda p: p.stem)
def test_dry_run_matches_its_golden_trace(path: Path) -> None:
    stored = golden_path(path)
    assert stored.exists(), f"no golden trace for {path.name}: run `make golden` and review it"
    expected = stored.read_text(encoding="utf-8")
    actual = trace(path)
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(True), actual.splitlines(True), "stored", "now", n=1
            )
        )
        pytest.fail(
            f"{path.name} plays differently from its golden trace "
            f"(`make golden` if intended):\n{diff[:4000]}"
        )


def test_no_stale_golden_traces() -> None:
    stems = {p.stem for p in scenario_files()}
    assert {p.stem for p in GOLDEN.glob("*.trace")} <= stems


def test_trace_is_deterministic() -> None:
    path = scenario_files()[0]
    assert trace(path) == trace(path)
