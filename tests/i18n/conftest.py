"""What the French tests share: French switched on as a person switches it."""

from __future__ import annotations

import pytest

from engine import i18n


@pytest.fixture
def french(monkeypatch: pytest.MonkeyPatch) -> None:
    """``SITROOM_LANG=fr``, as a person would set it (the CLI reads it on each run); the
    suite's own fixture (tests/conftest.py) speaks English again after the test."""
    monkeypatch.setenv("SITROOM_LANG", "fr")
    i18n.activate("fr")
