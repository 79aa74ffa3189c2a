#!/usr/bin/env bash
# `sitroom demo` driven in tmux like a newcomer would: the first inject arrives by
# itself; the control room pauses the clock (F2, p); the team answers the inject
# (keyboard only) and the server acknowledges it; the clock resumes and the whole
# exercise plays to its end at ×300 (about 30 s); the report is announced, opens
# on F3, and is on disk when the demo quits. Every screen it checks is saved.
#
#   bash tests/e2e/demo_in_tmux.sh [OUT_DIR]
#
# Installs tmux with apt-get when it is missing. Each wait polls the screen (capture-pane) with a deadline.
set -euo pipefail
source "$(dirname "$0")/setup.sh" "${1:-}" tmux

WORK=$(mktemp -d)
SESSION="sitroom-demo-e2e-$$"
started=$(date +%s%N)
cleanup() {
    tmux kill-session -t "$SESSION" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

screen() { tmux capture-pane -p -t "$SESSION"; }
save() { screen >"$OUT/$1.txt"; }
elapsed() {  # seconds since the start, to a tenth
    local ms=$((($(date +%s%N) - started) / 1000000))
    printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100))
}

wait_for() {  # TEXT SECONDS NAME: poll the screen until TEXT shows, save it as NAME
    local deadline=$(($(date +%s) + $2))
    until screen | grep -qF -- "$1"; do
        if [ "$(date +%s)" -ge $deadline ]; then
            echo "FAIL: no '$1' on screen after $2 s; the screen was:" >&2
            screen >&2
            save "$3-failed"
            exit 1
        fi
        sleep 0.1
    done
    save "$3"
}

keys() {  # one key at a time, at a brisk typing pace: a key that moves the focus
    for key in "$@"; do  # must land before the next one is read
        tmux send-keys -t "$SESSION" "$key"
        sleep 0.3
    done
}

tmux new-session -d -s "$SESSION" -x 120 -y 40 \
    "TEXTUAL_ANIMATIONS=none $PY -m tui.cli demo --dir $WORK --speed 300; echo DEMO-EXIT=\$?; \
     sleep 600"

wait_for "Welcome to the sitroom demo" 30 "01-welcome"
echo "welcome after $(elapsed) s"
keys Enter  # the clock starts when the welcome closes
wait_for "National CERT · you" 30 "01-team-console"
echo "team console after $(elapsed) s"
wait_for "Video of the energy minister" 30 "02-first-inject"
echo "first inject after $(elapsed) s"

keys F2
wait_for "Release" 10 "03-control-room"
keys p
wait_for "PAUSED" 10 "04-paused"
keys F2
wait_for "National CERT · you" 10 "05-team-paused"
screen | grep -qF "PAUSED" || { echo "FAIL: the team's clock should show PAUSED" >&2; exit 1; }

# Answer I-01 with the keyboard: inbox, open the inject (Enter gives its options the
# keyboard), first option, submit, confirm.
keys 1 Enter
wait_for "What do you do first?" 10 "06-inject"
keys Enter Tab Enter
wait_for "It cannot be changed afterwards" 10 "07-confirm"
keys Enter
wait_for "Result: 10 / 10" 15 "08-answered"
echo "answer acknowledged after $(elapsed) s"

keys F2
wait_for "Release" 10 "09-control-again"
keys p
wait_for "RUNNING ×300" 10 "10-resumed"
keys F2
wait_for "National CERT · you" 10 "11-team-again"
wait_for "ENDED" 90 "12-ended"
echo "exercise ended after $(elapsed) s"
wait_for "F3 to read it" 60 "13-report-ready"
keys F3
wait_for "After-Action Report" 30 "14-report"
keys Escape
wait_for "National CERT · you" 10 "15-back"
keys C-q
wait_for "Quit the demo?" 10 "16-quit-question"
keys C-q  # asked before quitting: Ctrl+Q again quits, as a person would press it

wait_for "DEMO-EXIT=" 30 "17-quit"
screen >"$OUT/demo-output.txt"
grep -q "DEMO-EXIT=0" "$OUT/demo-output.txt" || { echo "FAIL: demo exit status" >&2; exit 1; }
report=$(sed -n 's/^sitroom demo: after-action report: //p' "$OUT/demo-output.txt")
[ -s "$report" ] || { echo "FAIL: no report at '$report'" >&2; exit 1; }
grep -q "National CERT" "$report" || { echo "FAIL: the report does not mention the team" >&2; exit 1; }
cp "$report" "$OUT/report.md"
echo "demo_in_tmux: OK ($(elapsed) s); screens and report in $OUT"
