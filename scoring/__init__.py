"""Pure functions from a scenario and an event log to scorecards and reports.

Scoring imports ``engine`` (the scenario model and the raw grading of a response)
and nothing from the user interface, so the live scoreboard, the dry-run and the
after-action report compute the same numbers.
"""
