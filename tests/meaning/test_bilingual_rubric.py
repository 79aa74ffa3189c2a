"""A text expectation in a bilingual scenario (issue 14 and 16): an answer in French is
not marked off-topic for not being in English, a rubric's labels may be given per
language, and the grader's own field for the other languages is never written by hand.

Through ``sitroom rubric`` and ``sitroom validate``, on a small scenario written here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.i18n.cli import sitroom

pytestmark = pytest.mark.meaning

SCENARIO = """\
id: voice
title: {en: The cloned voice, fr: La voix clonée}
languages: [en, fr]
duration: 1h
teams:
  - id: comms
    name: {en: Communications, fr: Communication}
actors:
  - {id: press, name: {en: Business press, fr: Presse économique}}
injects:
  - id: I-04
    at: 5m
    to: [comms]
    channel: news
    from: press
    title: {en: A reporter calls, fr: Un journaliste appelle}
    body: {en: He heard about a fake CEO., fr: Il a entendu parler d'un faux PDG.}
    expects:
      - id: statement
        kind: text
        prompt: {en: Your holding statement., fr: Votre déclaration d'attente.}
        due: 15m
        points: 10
        model_answer:
MODEL
        required:
          - any: [investigating, enquête, enquêtons]
            label: {en: we are investigating, fr: nous enquêtons}
          - any: [police, gendarmerie]
            label: {en: the police are informed, fr: la police est prévenue}
        forbidden:
          - any: [employee error, erreur d'un employé]
            label: {en: blames an employee, fr: accuse un employé}
"""

BOTH = """\
          en: >
            We are investigating an attempted fraud that used a faked video call.
            No customer data is affected. We have informed the police.
          fr: >
            Nous enquêtons sur une tentative de fraude utilisant un faux appel vidéo.
            Aucune donnée client n'est touchée. Nous avons prévenu la police."""
ENGLISH_ONLY = """\
          >
            We are investigating an attempted fraud that used a faked video call.
            No customer data is affected. We have informed the police."""

FRENCH = "Nous enquêtons, la police est prévenue."


def _relevance(tmp_path: Path, capsys: pytest.CaptureFixture[str], model: str) -> float:
    scenario = tmp_path / "voice.yaml"
    scenario.write_text(SCENARIO.replace("MODEL", model), encoding="utf-8")
    answers = tmp_path / "answers.csv"
    answers.write_text(f'text\n"{FRENCH}"\n', encoding="utf-8")
    code, out, err = sitroom(
        capsys, "rubric", str(scenario), "I-04.statement", str(answers), "--format", "json"
    )
    assert code == 0, err
    [graded] = json.loads(out)
    return float(graded["relevance"])


def test_a_french_answer_is_as_relevant_as_it_is_close_to_the_french_model_answer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The model answer given in both languages: the French answer is measured against
    the French one too (it was measured against the English only, and scaled down)."""
    both = _relevance(tmp_path, capsys, BOTH)
    english = _relevance(tmp_path, capsys, ENGLISH_ONLY)
    assert both > english + 0.1, (both, english)


def test_labels_per_language_validate_and_the_graders_field_is_not_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = tmp_path / "voice.yaml"
    scenario.write_text(SCENARIO.replace("MODEL", BOTH), encoding="utf-8")
    code, out, err = sitroom(capsys, "validate", str(scenario))
    assert code == 0, out + err
    written = SCENARIO.replace("MODEL", BOTH).replace(
        "        required:\n", "        model_answer_also: [x]\n        required:\n"
    )
    scenario.write_text(written, encoding="utf-8")
    code, out, err = sitroom(capsys, "validate", str(scenario))
    assert code == 1
    assert "model_answer_also is not written in a scenario" in out + err
