#!/usr/bin/env bash
# `sitroom web` opened in headless Chromium: the login screen shows, the page asks
# nothing of the internet, and a team code typed into the login opens the team
# console of a real `sitroom serve`. Writes PNG screenshots of both to look at.
#
#   bash tests/e2e/web_in_browser.sh [OUT_DIR]
#
# Installs chromium with apt-get when it is missing. Every process it starts is
# stopped on exit, whatever happens.
set -euo pipefail
source "$(dirname "$0")/setup.sh" "${1:-}" chromium

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
SERVE_PORT=$(free_port)
WEB_PORT=$(free_port)
WORK=$(mktemp -d)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

wait_for_line() {  # FILE TEXT SECONDS
    local deadline=$((SECONDS + $3))
    until grep -q "$2" "$1" 2>/dev/null; do
        if [ $SECONDS -ge $deadline ]; then
            echo "timed out waiting for '$2' in $1:" >&2; cat "$1" >&2; return 1
        fi
        sleep 0.2
    done
}

"$PY" -m tui.cli serve tests/engine/fixture.yaml --db "$WORK/exercise.db" --port "$SERVE_PORT" \
    --quiet --log-level warning >"$WORK/serve.out" 2>&1 &
PIDS+=($!)
wait_for_line "$WORK/serve.out" "sitroom: serving" 30
"$PY" -m tui.cli web --port "$WEB_PORT" --server "http://127.0.0.1:$SERVE_PORT" \
    >"$WORK/web.out" 2>&1 &
PIDS+=($!)
wait_for_line "$WORK/web.out" "sitroom web: consoles at" 30
TEAM_CODE=$(awk -F'\t' '$1 == "team" { print $4; exit }' "$WORK/exercise.db.codes")

"$PY" - "$OUT" "http://127.0.0.1:$WEB_PORT/" "$TEAM_CODE" <<'PY'
import base64
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, ".")
from tests.scoring.browser import Browser

out, url, code = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
ANSI = re.compile(r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


def screen_stream(browser: Browser) -> str:
    """Everything the console has drawn so far, as text: the terminal is a canvas, so
    the words are read from the WebSocket frames that carry the console's output."""
    browser.call("Runtime.evaluate", {"expression": "1"})  # collects the events so far
    chunks = []
    for event in browser._events:  # the helper keeps every event nobody waited for
        if event.get("method") == "Network.webSocketFrameReceived":
            frame = event["params"]["response"]
            data = frame["payloadData"]
            raw = base64.b64decode(data) if frame.get("opcode") == 2 else data.encode()
            chunks.append(raw.decode("utf-8", "replace"))
    return ANSI.sub("", "".join(chunks))


def wait_for_text(browser: Browser, wanted: str, timeout: float = 45.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        text = screen_stream(browser)
        if wanted in text:
            return text
        if time.monotonic() > deadline:
            browser.screenshot(out / "web-failed.png", width=1280, height=800)
            raise SystemExit(f"timed out waiting for {wanted!r}; the console drew:\n{text[-2000:]}")
        time.sleep(0.25)


def settle(browser: Browser, quiet: float = 0.3, timeout: float = 5.0) -> None:
    """Wait until the console has drawn what a key caused (no new frame for ``quiet`` s):
    keys sent at once can reach the console before the focus they move has moved."""
    deadline = time.monotonic() + timeout
    size, since = len(screen_stream(browser)), time.monotonic()
    while time.monotonic() < deadline and time.monotonic() - since < quiet:
        time.sleep(0.05)
        now = len(screen_stream(browser))
        if now != size:
            size, since = now, time.monotonic()


def press(browser: Browser, key: str, code: int) -> None:
    for kind in ("keyDown", "keyUp"):
        browser.call(
            "Input.dispatchKeyEvent",
            {"type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code},
        )


with Browser() as browser:
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False},
    )
    started = time.monotonic()
    browser.call("Page.navigate", {"url": url})
    browser.wait_for("Page.loadEventFired")
    wait_for_text(browser, "Join the exercise")
    first_paint = time.monotonic() - started
    # The address field is drawn in a frame of its own, after the form's words.
    login = wait_for_text(browser, "http://127.0.0.1", timeout=20.0)
    browser.screenshot(out / "web-login.png", width=1280, height=800)
    # The server address is filled in (--server); the console's focus is on the code.
    focus = "document.querySelector('.xterm-helper-textarea').focus()"
    browser.call("Runtime.evaluate", {"expression": focus})
    browser.call("Input.insertText", {"text": code})
    settle(browser)
    press(browser, "Tab", 9)
    settle(browser)
    browser.call("Input.insertText", {"text": "Browser Bo"})
    settle(browser)
    press(browser, "Enter", 13)
    wait_for_text(browser, "NOT STARTED")  # the team console's clock bar
    console = wait_for_text(browser, "No inject yet")
    browser.screenshot(out / "web-team.png", width=1280, height=800)
    requests = [
        e["params"]["request"]["url"]
        for e in browser._events  # the helper keeps every event it has not been asked for
        if e.get("method") == "Network.requestWillBeSent"
    ]
outside = [r for r in requests if not r.startswith(url.rstrip("/")) and not r.startswith("data:")]
print(json.dumps({"login_shown_after_s": round(first_paint, 2), "requests": requests,
                  "outside_requests": outside, "out": str(out)}, indent=1))
assert "http://127.0.0.1" in login, "the login screen should show the server address"
assert "Engine fixture" in console, "the team console should name the exercise"
sys.exit(1 if outside else 0)
PY
echo "screenshots: $OUT/web-login.png $OUT/web-team.png"
