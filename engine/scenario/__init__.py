"""The scenario format: models, the located YAML loader, lint and JSON Schema."""

from engine.scenario.load import LoadResult, ScenarioError, load_bytes, load_file, scenario_hash
from engine.scenario.model import Scenario

__all__ = ["LoadResult", "Scenario", "ScenarioError", "load_bytes", "load_file", "scenario_hash"]
