#!/usr/bin/env bash
# Every end-to-end check, one after the other (what `make e2e` runs):
#   demo_in_tmux.sh      `sitroom demo` played to the end in tmux, keyboard only
#   web_in_browser.sh    `sitroom web` in headless Chromium: login, then a team console
#   report_in_browser.sh the after-action report's HTML in headless Chromium
# Screens, screenshots and reports go to OUT_DIR (default: a new temp folder), one
# sub-folder per script, to look at afterwards. Exit status 1 if any script failed.
#
#   bash tests/e2e/run.sh [OUT_DIR]
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT="${1:-$(mktemp -d -t sitroom-e2e-XXXXXX)}"
mkdir -p "$OUT"
failed=()
for script in demo_in_tmux web_in_browser report_in_browser; do
    echo "== $script"
    start=$SECONDS
    if bash "tests/e2e/$script.sh" "$OUT/$script"; then
        echo "== $script: ok ($((SECONDS - start)) s)"
    else
        echo "== $script: FAILED ($((SECONDS - start)) s)"
        failed+=("$script")
    fi
done
echo "e2e output: $OUT"
if [ ${#failed[@]} -gt 0 ]; then
    echo "failed: ${failed[*]}"
    exit 1
fi
echo "all e2e checks passed"
