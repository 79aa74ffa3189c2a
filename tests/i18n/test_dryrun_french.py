"""``sitroom dry-run``'s printed summary in French (in process, through ``main``, as
the command line runs it with ``SITROOM_LANG=fr``).

The headings and counts are sitroom's words; inject titles, ids and roles are the
author's and stay as written; the JSON summary's keys stay English whatever the
language (a machine reads them).
"""

from __future__ import annotations

import json

import pytest

from tests.engine.conftest import FIXTURE
from tui.cli import main

RUN = [str(FIXTURE), "--teams", "a=2,b=2", "--profile", "diligent,silent", "--seed", "3"]


def test_the_dry_run_summary_speaks_french(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SITROOM_LANG", "fr")
    assert main(["dry-run", *RUN]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert " · graine 3" in lines[0]
    assert lines[1].startswith("4 équipes (") and " · profil diligent,silent · " in lines[1]
    assert "Chronologie (première remise · inject · équipes atteintes)" in lines
    assert "Charge d'injects par équipe, par 15 minutes" in out
    assert (
        "Dispersion des scores (part des points accessibles à chaque équipe : "
        "min · médiane · max)" in lines
    )
    spread = {line.split("×")[0].strip() for line in lines if "×" in line and "%" in line}
    assert {"toutes les équipes", "profil diligent", "profil silent"} <= spread
    assert err.startswith("le dry-run a pris ")
    assert "Timeline" not in out and "Score spread" not in out

    assert main(["dry-run", *RUN, "--format", "json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    spread_keys = [row["group"] for row in summary["scores"]["spread"]]
    assert "all teams" in spread_keys  # data, not words: English in any language
