# The two commands a newcomer needs: `make demo` and `make test`.
# Both build .venv from this project's own files when it is missing or stale.
# `make test` runs every test, the slow one that builds the wheel and installs it in a
# fresh venv too (`.venv/bin/pytest -m "not slow"` skips it). `make demo` leaves sitroom
# in .venv/bin; `pipx install .` or `uv tool install .` puts it on PATH (README).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: test demo lint typecheck unit e2e bench venv clean golden messages

$(STAMP): pyproject.toml
	@if [ -x $(BIN)/python ] && ! $(BIN)/python -c 'import sys' >/dev/null 2>&1; then rm -rf $(VENV); fi
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,dev]'
	@touch $(STAMP)

venv: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check engine scoring tui tests bench
	$(BIN)/ruff format --check engine scoring tui tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

# Three workers (pytest-xdist) on a 2-core machine: many tests wait on servers,
# subprocesses and idle consoles, so with two the cores stood idle a sixth of the time
# (1.68 cores busy; the suite took 14 min 12 s, and 13 min 10 s with three, same tests).
# worksteal hands each worker a share of the tests in file order, so module fixtures mostly
# run once, then moves tests to whichever worker runs dry. TEST_WORKERS=0 runs in one
# process. The 25 slowest tests are listed at the end, to keep the suite under 15 minutes.
TEST_WORKERS ?= 3

unit: $(STAMP)
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal --durations=25

test: lint typecheck unit

# A live exercise on a bundled scenario: you play one team, bots the others; F2 switches
# to the control room and back, F3 opens the report. Options: make demo ARGS="--speed 60".
demo: $(STAMP)
	$(BIN)/sitroom demo $(ARGS)

# Drives the demo in tmux to its end, the web console and the HTML report in headless
# Chromium (installs tmux and chromium with apt-get when missing); prints where the
# screens and screenshots are.
e2e: $(STAMP)
	bash tests/e2e/run.sh

bench: $(STAMP)
	$(BIN)/python bench/validate.py

# Rewrite the golden dry-run traces after an intended change of play; review the diff.
golden: $(STAMP)
	$(BIN)/python -m tests.engine.golden --update

# The program's own words (engine/i18n): extract every _("…") from the sources into the
# template, merge it into each language's catalog, then compile the .mo files, which are
# committed (an install needs no Babel). Translate the new or fuzzy entries in the .po,
# then run it again; tests/i18n fails while a message has no translation or a .mo is stale.
I18N    := engine/i18n
POT     := $(I18N)/locale/sitroom.pot
BABEL   := $(BIN)/pybabel

messages: $(STAMP)
	$(BABEL) extract -F $(I18N)/babel.cfg -c TRANSLATORS: --add-location=file \
	  --sort-by-file --no-wrap --project=sitroom --version=0.1.0 \
	  --copyright-holder="the sitroom contributors" -o $(POT) engine scoring tui
	$(BABEL) update -D sitroom -i $(POT) -d $(I18N)/locale --no-wrap --ignore-pot-creation-date \
	  --no-fuzzy-matching
	$(BABEL) compile -D sitroom -d $(I18N)/locale --statistics

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
