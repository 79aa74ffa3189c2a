"""The evaluator console: watch a team, grade, override, rate objectives, write observations."""
