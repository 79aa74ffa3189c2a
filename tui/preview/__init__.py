"""``sitroom preview``: the planner's live view of a scenario file."""
