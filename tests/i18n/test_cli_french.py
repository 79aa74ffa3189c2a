"""``sitroom`` in French through the command line: the report, --help and errors.

Each test runs the real command in a fresh interpreter, as a person would, with the
language chosen by ``SITROOM_LANG`` or by the locale (``LANG``); the suite's own
``SITROOM_LANG=en`` (tests/conftest.py) is removed or replaced for these runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.scoring.conftest import FIXTURE
from tests.scoring.logs import dry_run_log

ROOT = Path(__file__).resolve().parents[2]


def sitroom(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("SITROOM_LANG", "LANGUAGE")}
    environ.update({"LANG": "C.UTF-8", "LC_ALL": "", **env})
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=environ,
    )


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return dry_run_log(tmp_path_factory.mktemp("i18n") / "fixture.db", FIXTURE)


def test_the_report_in_french_has_french_headings(log: Path) -> None:
    out = sitroom("report", str(log), SITROOM_LANG="fr")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    for heading in (
        "# Retour d'expérience : ",
        "## Sommaire",
        "## 1. Présentation de l'exercice",
        "## 3. Chronologie",
        "## 6. Plan d'amélioration",
        "## 9. RETEX à chaud et observations",
        "| Rang | Équipe | Rôle |",
    ):
        assert heading in text, heading
    for english in ("## Contents", "Exercise overview", "Improvement plan", "| Rank |"):
        assert english not in text, english


def test_the_html_report_says_it_is_french(log: Path) -> None:
    out = sitroom("report", str(log), "--format", "html", LANG="fr_FR.UTF-8")
    assert out.returncode == 0, out.stderr
    assert '<html lang="fr">' in out.stdout
    assert "<h2>Sommaire</h2>" in out.stdout and "Contents" not in out.stdout


def test_the_report_stays_english_by_default(log: Path) -> None:
    out = sitroom("report", str(log))
    assert out.returncode == 0, out.stderr
    assert "## Contents" in out.stdout and "Sommaire" not in out.stdout


def test_errors_and_help_in_french() -> None:
    missing = sitroom("report", SITROOM_LANG="fr")
    assert missing.returncode == 2
    assert "erreur : arguments obligatoires manquants : LOG.db" in missing.stderr
    folder = sitroom("preview", "scenarios", SITROOM_LANG="fr")
    assert folder.returncode == 1
    assert "sitroom: scenarios est un dossier : donnez un seul fichier de scénario" in (
        folder.stderr
    )
    helped = sitroom("--help", LANG="fr_FR.UTF-8")
    assert "afficher cette aide et quitter" in helped.stdout
    assert "écrire le retour d'expérience (RETEX) d'un journal d'exercice" in helped.stdout


def test_a_language_sitroom_does_not_speak_is_an_error() -> None:
    out = sitroom("--help", SITROOM_LANG="de")
    assert out.returncode == 2
    assert "SITROOM_LANG='de': sitroom speaks en, fr" in out.stderr
