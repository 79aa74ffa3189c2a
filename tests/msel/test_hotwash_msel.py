"""A scenario's hotwash prompts travel in the MSEL sheet (``#hotwash`` rows) and come back."""

from __future__ import annotations

from engine.msel import export_csv, import_csv
from engine.scenario import load_bytes
from engine.scenario.lang import one_language
from tests.tui.scripted import SCENARIO_PATH

PROMPTS = ["Did the verification chain hold?", 'Who spoke first, and was it, "right"?']


def test_hotwash_prompts_survive_the_msel_round_trip() -> None:
    text = SCENARIO_PATH.read_text(encoding="utf-8")
    text += "\nhotwash:\n" + "".join(f"  - '{p}'\n" for p in PROMPTS)
    scenario = load_bytes(text, "summit.yaml").require()
    assert scenario.hotwash == PROMPTS
    sheet = export_csv(scenario)
    assert "#hotwash,Did the verification chain hold?" in sheet
    back = import_csv(sheet)
    assert back.ok, back.problems
    assert back.scenario == one_language(scenario)  # a sheet holds one language
