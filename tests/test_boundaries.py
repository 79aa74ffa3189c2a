"""The core runs without the UI: engine and scoring never pull in textual or tui.

Each module is imported in a fresh interpreter, so an import made by one test
cannot hide a forbidden import made by another.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _modules(package: str) -> list[str]:
    found = [package]
    for info in pkgutil.walk_packages([str(ROOT / package)], prefix=f"{package}."):
        found.append(info.name)
    return found


FORBIDDEN = {
    "engine": ("textual", "tui", "scoring"),
    "scoring": ("textual", "tui"),
}


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_core_packages_do_not_import_the_ui(package: str) -> None:
    modules = _modules(package)
    assert len(modules) > 1 or package == "scoring"
    script = (
        "import importlib, json, sys\n"
        f"mods = {modules!r}\n"
        "bad = {}\n"
        "for m in mods:\n"
        "    before = set(sys.modules)\n"
        "    importlib.import_module(m)\n"
        f"    hits = sorted(n for n in sys.modules if n.split('.')[0] in {FORBIDDEN[package]!r})\n"
        "    if hits: bad[m] = hits; break\n"
        "print(json.dumps(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == {}, f"{package} pulls in forbidden modules: {out.stdout}"


def test_the_check_can_fail() -> None:
    """The subprocess probe does notice a forbidden import when there is one."""
    script = "import sys, tui.cli\nprint('tui' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "True"
