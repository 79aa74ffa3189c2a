# Sourced by every e2e script: the project root, the output folder, the venv, and
# the Debian packages the script needs (installed with apt-get when missing).
#
#   source "$(dirname "$0")/setup.sh" "${1:-}" PACKAGE…
# sets OUT (the script's first argument, or a new temp folder) and PY.
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
OUT="${1:-$(mktemp -d)}"
shift || true
mkdir -p "$OUT"
PY=.venv/bin/python
[ -x "$PY" ] || make venv >/dev/null
for package in "$@"; do
    if ! command -v "$package" >/dev/null 2>&1; then
        echo "installing $package…" >&2
        (apt-get update -qq && apt-get install -y -qq "$package") >/dev/null
    fi
done
