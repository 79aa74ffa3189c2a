"""The report formats by name: one place for the command line and the bench to look up."""

from __future__ import annotations

from collections.abc import Callable

from scoring.report.csvout import render_csv
from scoring.report.feedbackcsv import render_feedback_csv
from scoring.report.html import render_html
from scoring.report.jsonout import render_json
from scoring.report.markdown import render_markdown
from scoring.report.model import Report

RENDERERS: dict[str, Callable[[Report], str]] = {
    "md": render_markdown,
    "html": render_html,
    "json": render_json,
    "csv": render_csv,
    "feedback.csv": render_feedback_csv,
}
"""Format name → renderer; the name is also the file extension."""
