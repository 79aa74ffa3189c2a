"""The report as JSON: everything in the model, for other tools.

Byte-identical for the same log: keys sorted, floats rounded to six decimals (the
scoring's own precision), no wall-clock time anywhere.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from scoring.report.model import Report


def plain(value: Any) -> Any:
    """Dataclasses, tuples and dicts as JSON-ready values (floats rounded)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, float):
        rounded = round(value, 6)
        return 0.0 if rounded == 0 else rounded
    return value


def render_json(report: Report) -> str:
    return (
        json.dumps(plain(report), indent=1, sort_keys=True, ensure_ascii=False, allow_nan=False)
        + "\n"
    )
