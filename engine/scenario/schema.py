"""JSON Schema of the scenario format, for editors (yaml-language-server) and tools."""

from __future__ import annotations

import json
from typing import Any

from engine.scenario.model import Scenario

SCHEMA_ID = "https://sitroom.dev/schema/scenario.json"


def scenario_schema() -> dict[str, Any]:
    schema = Scenario.model_json_schema(by_alias=True, mode="validation")
    # ``include:`` is read by the loader (engine/scenario/include.py), not the model:
    # the model holds the merged scenario. Editors still need to know the key.
    schema["properties"]["include"] = {
        "description": "YAML files (paths relative to this one, in its folder or below) "
        "whose objectives, actors and injects are merged into the scenario",
        "items": {"type": "string"},
        "title": "Include",
        "type": "array",
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "sitroom scenario",
        **schema,
    }


def schema_text() -> str:
    """The schema as stable, diff-friendly JSON text (what ``sitroom schema`` writes)."""
    return json.dumps(scenario_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
