"""The preview shows whom an inject is addressed to when it names teams, cells or
tags (issue 15): the lanes can only say which roles may be among them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from engine.scenario import load_bytes
from engine.scenario.preview import build_preview
from tests.engine.test_addresses import SCENARIO
from tui.preview.render import DEFAULT_PALETTE, detail_text

ROOT = Path(__file__).resolve().parents[2]


def test_the_detail_names_the_addressees() -> None:
    preview = build_preview(load_bytes(SCENARIO, "addressed.yaml"))
    text = detail_text(preview, "G-01", DEFAULT_PALETTE).plain
    assert (
        "To    tag:finance, comms · teams of soc, legal, comms may be among them "
        "(the roster decides)" in text
    ), text
    plain_roles = load_bytes(SCENARIO.replace("[tag:finance, comms]", "[comms]"), "a.yaml")
    text = detail_text(build_preview(plain_roles), "G-01", DEFAULT_PALETTE).plain
    assert text.endswith("To    comms"), text


def test_the_text_timeline_names_the_addressees(tmp_path: Path) -> None:
    path = tmp_path / "addressed.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "tui.cli", "preview", "--text", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert "Only the second SOC sees this → team:soc-02" in out.stdout, out.stdout
    assert "Every security team → tag:security" in out.stdout, out.stdout
