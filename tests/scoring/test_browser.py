"""The HTML report in headless Chromium: no console error, no request beyond the file.

Skipped, with the reason, when Chromium is not installed (``apt-get install
chromium``; ``tests/e2e/report_in_browser.sh`` installs it and takes a screenshot).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.report.html import render_html
from tests.scoring.browser import Browser, chromium
from tests.scoring.logs import dry_run_log, largest_scenario
from tests.scoring.test_report import SECTIONS, report_of

pytestmark = pytest.mark.skipif(
    chromium() is None, reason="chromium is not installed (apt-get install chromium)"
)

PROBE = (
    "JSON.stringify({sections: [...document.querySelectorAll('main > section')].map(s => s.id),"
    " charts: document.querySelectorAll('svg.chart').length,"
    " title: document.title, width: document.documentElement.scrollWidth})"
)


@pytest.fixture(scope="module")
def browser() -> Browser:  # type: ignore[misc]
    with Browser() as b:
        yield b


def test_the_report_of_the_largest_scenario_opens_cleanly(tmp_path: Path, browser: Browser) -> None:
    log = dry_run_log(tmp_path / "largest.db", largest_scenario(), 4)
    page = tmp_path / "report.html"
    page.write_text(render_html(report_of(log)), encoding="utf-8")
    visit = browser.visit(page, PROBE)
    assert visit.errors == []
    assert visit.requests == [page.resolve().as_uri()]
    import json

    found = json.loads(visit.result)
    assert found["sections"] == [s for s in SECTIONS if s != "scorecards"] + ["scorecards"]
    assert found["charts"] >= 4
    assert found["title"].startswith("After-Action Report: ")
    assert found["width"] <= 1280 + 1


def test_the_probe_notices_requests_and_errors(tmp_path: Path, browser: Browser) -> None:
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>bad</title>"
        '<link rel="stylesheet" href="https://fonts.example.invalid/x.css"></head>'
        "<body><script>console.error('boom'); undefined_function();</script></body></html>"
    )
    visit = browser.visit(page, "document.title")
    assert visit.result == "bad"
    assert any(url.startswith("https://fonts.example.invalid") for url in visit.requests)
    assert any("boom" in e for e in visit.errors)
    assert any("undefined_function" in e for e in visit.errors)
