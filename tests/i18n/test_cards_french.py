"""The printed join cards in the reader's language: the page's words, the staff cards'
titles and notes, while codes, links and commands stay as they are.

Through ``sitroom cards`` (``tui.cli.main``, in process) on a log made as ``sitroom
serve`` makes it (:func:`tests.test_cards.served_log`).
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from engine import i18n
from tests.test_cards import served_log
from tui.cli import main


def _page(tmp_path: Path, lang: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("SITROOM_LANG", lang)
    i18n.activate(lang)
    db = served_log(tmp_path)
    out = tmp_path / "cards.html"
    assert main(["cards", str(db), "--out", str(out)]) == 0
    return html.unescape(out.read_text(encoding="utf-8"))


def test_the_cards_page_is_printed_in_french(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _page(tmp_path, "fr", monkeypatch)
    assert '<html lang="fr">' in page
    assert "<h1>Cartes d'accès : " in page
    assert "Scannez le carré, ou ouvrez " in page
    assert "Carte d'encadrement · Animation · pas pour les joueurs" in page
    assert "Tient l'horloge et les injects" in page
    assert "3 cartes d'équipe et 5 cartes d'encadrement pour du papier A4" in page
    assert "<strong>Gardez ces feuilles confidentielles</strong>" in page
    for english in ("Join cards", "Scan the square", "Staff card", "Runs the clock"):
        assert english not in page
    assert "sitroom join" in page  # the terminal command is a command, not words


def test_the_cards_page_in_english_is_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _page(tmp_path, "en", monkeypatch)
    assert '<html lang="en">' in page
    assert "Staff card · Facilitator · not for players" in page
    assert 'Scan the square, or open <span class="url">' in page
    assert "3 team cards and 5 staff cards for A4 paper, 8 a sheet." in page
