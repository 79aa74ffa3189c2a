"""The MSEL spreadsheet round-trip: a scenario as the CSV planners work in, and back.

``export_csv`` writes the HSEEP columns planners know plus sitroom's extension
columns, with the scenario-level data in ``#key,value`` rows above the table;
``import_csv`` reads such a sheet, or one written by hand from a HSEEP template,
into scenario YAML and reports each problem at its row and column. The format is
described for planners in ``scenarios/MSEL.md``. Pure functions: no UI, no I/O.
"""

from engine.msel.export import export_csv, export_rows, leading_comments
from engine.msel.importer import ImportResult, import_csv

__all__ = ["ImportResult", "export_csv", "export_rows", "import_csv", "leading_comments"]
