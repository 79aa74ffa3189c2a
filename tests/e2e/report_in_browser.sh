#!/usr/bin/env bash
# The after-action report of a dry-run of the largest bundled scenario, opened in
# headless Chromium: fails on a console error or a request that leaves the file,
# and writes PNG screenshots (the top of the report, and the whole page) to look at.
#
#   bash tests/e2e/report_in_browser.sh [OUT_DIR] [TEAMS_PER_ROLE]
#
# Installs chromium with apt-get when it is missing.
set -euo pipefail
TEAMS="${2:-4}"
source "$(dirname "$0")/setup.sh" "${1:-}" chromium
"$PY" - "$OUT" "$TEAMS" <<'PY'
import json
import sys
from pathlib import Path

sys.path.insert(0, ".")
from scoring.report.html import render_html
from tests.scoring.browser import Browser
from tests.scoring.logs import dry_run_log, largest_scenario
from tests.scoring.test_report import report_of

out, teams = Path(sys.argv[1]), int(sys.argv[2])
scenario = largest_scenario()
log = out / "exercise.db"
for stale in out.glob("exercise.db*"):
    stale.unlink()
dry_run_log(log, scenario, teams)
page = out / "report.html"
page.write_text(render_html(report_of(log)), encoding="utf-8")
with Browser() as browser:
    visit = browser.visit(page, "document.querySelectorAll('main > section').length")
    browser.screenshot(out / "report-top.png", height=2400)
    browser.screenshot(out / "report-full.png")
    browser.print_pdf(out / "report.pdf")
problems = visit.errors + [u for u in visit.requests if u != page.resolve().as_uri()]
print(json.dumps({"scenario": scenario.name, "sections": visit.result, "requests": visit.requests,
                  "errors": visit.errors, "out": str(out)}, indent=1))
sys.exit(1 if problems else 0)
PY
echo "screenshots: $OUT/report-top.png $OUT/report-full.png (print: $OUT/report.pdf)"
