"""Pure functions from a scenario and an event log to scorecards and reports.

Scoring imports ``engine`` (the scenario model and the raw grading of a response)
and nothing from the user interface, so the live scoreboard, the dry-run and the
after-action report compute the same numbers. See ``scoring/README.md``.

The entry point for live use is :class:`scoring.fold.Scoreboard`; for reports,
:func:`scoring.source.read_log` then :func:`scoring.report.build.build_report`.
"""
