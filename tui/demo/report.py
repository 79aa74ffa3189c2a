"""The demo's after-action report: Markdown (to read in the app) and HTML (for a browser).

The same functions as ``sitroom report`` (``scoring``), on the demo's own log,
written beside it so the files outlive the demo.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scoring.report.build import report_of_log
from scoring.report.render import RENDERERS
from scoring.source import read_log


@dataclass(frozen=True)
class Written:
    markdown: Path
    html: Path
    text: str
    """The Markdown text, for the report screen."""


def write_report(log: Path) -> Written:
    """Build the report of ``log`` (finished or still open) and write it as .md and .html."""
    logged = read_log(log)
    report = report_of_log(logged)
    paths: dict[str, Path] = {}
    texts: dict[str, str] = {}
    for fmt in ("md", "html"):
        texts[fmt] = RENDERERS[fmt](report)
        paths[fmt] = log.with_name(f"{log.stem}-report.{fmt}")
        paths[fmt].write_text(texts[fmt], encoding="utf-8", newline="")
    return Written(paths["md"], paths["html"], texts["md"])
