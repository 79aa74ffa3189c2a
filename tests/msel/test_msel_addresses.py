"""The MSEL's To column carries every form of address (issue 15): ``team:ID``,
``cell:ID`` and ``tag:NAME`` mixed with roles, and the round trip stays exact."""

from __future__ import annotations

import csv
import io

from engine.msel import export_csv, import_csv
from engine.scenario import load_bytes
from tests.engine.test_addresses import SCENARIO


def test_export_then_import_keeps_teams_cells_and_tags() -> None:
    original = load_bytes(SCENARIO, "addressed.yaml").require()
    sheet = export_csv(original)
    rows = list(csv.reader(io.StringIO(sheet)))
    header = next(k for k, row in enumerate(rows) if row and row[0] == "Inject #")
    to = rows[header].index("To")
    assert {row[0]: row[to] for row in rows[header + 1 :] if row} == {
        "T-01": "team:soc-02",
        "C-01": "cell:telco",
        "W-01": "team:soc-01, team:soc-02",
        "G-01": "tag:finance, comms",
        "S-01": "tag:security",
    }
    result = import_csv(sheet.encode("utf-8"), "msel.csv")
    assert [p.format() for p in result.problems] == []
    assert result.scenario == original
    assert export_csv(result.scenario) == sheet


def test_a_planners_to_cell_with_spaces_and_role_names_imports() -> None:
    original = load_bytes(SCENARIO, "addressed.yaml").require()
    sheet = export_csv(original).replace("ctl,cell:telco,email", 'ctl,"cell: telco; Legal",email')
    result = import_csv(sheet.encode("utf-8"), "msel.csv")
    assert [p.format() for p in result.problems] == []
    assert result.scenario is not None
    assert result.scenario.inject_by_id["C-01"].to == ["cell:telco", "legal"]
