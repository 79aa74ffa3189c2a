"""Scenario text in two languages (issue 16): ``{en: …, fr: …}`` and ``languages:``.

Through the public surface: the loader every tool uses, ``sitroom validate`` for the
lint, ``sitroom dry-run --log`` and ``sitroom report --lang`` for the log and the
report, ``sitroom rubric`` for a French answer to the French library scenario.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from engine import i18n
from engine.eventlog import EventLog
from engine.scenario import load_bytes, load_file
from scoring import source
from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
DEEPFAKE = ROOT / "scenarios" / "summit-deepfake.yaml"

DRILL = """\
id: drill
title: {en: The council chatbot talks too much, fr: Le chatbot de la mairie parle trop}
languages: [en, fr]
duration: 1h
teams:
  - id: it
    name: {en: Council IT security, fr: Sécurité informatique de la mairie}
actors:
  - {id: press, name: Local press}
phases:
  - id: one
    title: {en: First hour, fr: Première heure}
    discussion:
      questions:
        - {en: Who decides?, fr: Qui décide ?}
injects:
  - id: XA-17
    at: 5m
    to: [it]
    channel: news
    from: press
    phase: one
    title: {en: A resident saw a neighbour's case, fr: Un habitant a vu le dossier d'un voisin}
    body:
      en: The chatbot quoted another resident's file.
      fr: Le chatbot a cité le dossier d'un autre habitant.
    expects:
      - id: first
        kind: decision
        prompt: {en: "What do you do first?", fr: "Que faites-vous en premier ?"}
        due: 10m
        options:
          - {id: offline, label: {en: Take it offline, fr: Le couper}, points: 10}
          - {id: watch, label: Keep it running, points: 2}
"""


@pytest.fixture(autouse=True)
def _same_language_after() -> Iterator[None]:
    """``report --lang`` switches the program's language for the process: put it back."""
    before = i18n.current()
    yield
    i18n.activate(before)


def test_the_scenario_is_built_in_its_first_language_or_the_one_asked() -> None:
    english = load_bytes(DRILL, "drill.yaml")
    french = load_bytes(DRILL, "drill.yaml", lang="fr")
    assert english.ok and french.ok, [p.format() for p in english.problems + french.problems]
    assert english.languages == french.languages == ("en", "fr")
    assert (english.lang, french.lang) == ("en", "fr")
    en, fr = english.require(), french.require()
    assert (en.title, fr.title) == (
        "The council chatbot talks too much",
        "Le chatbot de la mairie parle trop",
    )
    assert fr.teams[0].name == "Sécurité informatique de la mairie"
    assert fr.phases[0].title == "Première heure"
    assert fr.phases[0].discussion is not None
    assert fr.phases[0].discussion.questions == ["Qui décide ?"]
    inject = fr.inject_by_id["XA-17"]
    assert inject.body == "Le chatbot a cité le dossier d'un autre habitant."
    options = inject.expects[0].options  # type: ignore[union-attr]
    assert [o.label for o in options] == ["Le couper", "Keep it running"]  # plain text: both
    # What the engine and the consoles get is a scenario in one language, as before.
    assert en.languages == fr.languages == []
    assert en.model_dump(exclude={"title", "teams", "phases", "injects"}) == fr.model_dump(
        exclude={"title", "teams", "phases", "injects"}
    )
    # The text (what a log stores and hashes) is the file, every language in it.
    assert english.text == french.text == DRILL


def test_a_language_the_scenario_is_not_written_in_is_refused() -> None:
    loaded = load_bytes(DRILL, "drill.yaml", lang="de")
    assert loaded.scenario is None
    assert [p.message for p in loaded.problems] == ['no "de" text: the scenario is in en, fr']


def _validate(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    path = tmp_path / "drill.yaml"
    path.write_text(text, encoding="utf-8")
    code = main(["validate", str(path)])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1, lines
    return [line.split(": ", 1)[1] for line in lines if line.startswith(str(path))]


def test_lint_names_the_inject_and_field_missing_a_translation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = DRILL.replace(
        "      fr: Le chatbot a cité le dossier d'un autre habitant.\n", ""
    ).replace('{en: "What do you do first?", fr: "Que faites-vous en premier ?"}', '{fr: "Quoi ?"}')
    assert _validate(tmp_path, text, capsys) == [
        'injects[0].body (XA-17): no "fr" text (languages: en, fr)',
        'injects[0].expects[0].prompt (XA-17.first): no "en" text (languages: en, fr)',
    ]


def test_lint_refuses_a_language_not_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = DRILL.replace("fr: Le couper}", "fr: Le couper, de: Abschalten}")
    assert _validate(tmp_path, text, capsys) == [
        'injects[0].expects[0].options[0].label (XA-17.first.offline): text in "de", which '
        "languages: does not list (en, fr): add it there or remove it here"
    ]


def test_lint_says_how_to_fix_text_per_language_without_languages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = DRILL.replace("languages: [en, fr]\n", "")
    found = _validate(tmp_path, text, capsys)
    assert found[0] == (
        "title: text per language needs the scenario's languages: add languages: [en, fr] "
        "at the top of the file (the first is the default)"
    )
    assert len(found) == 8  # every mapping, each at its own line


def test_lint_refuses_a_bad_language_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = DRILL.replace("languages: [en, fr]", "languages: [en, fr, en]")
    assert _validate(tmp_path, text, capsys) == ["languages: en is listed twice"]


def test_the_log_stores_and_hashes_every_language(tmp_path: Path) -> None:
    scenario = tmp_path / "drill.yaml"
    scenario.write_text(DRILL, encoding="utf-8")
    log = tmp_path / "drill.db"
    assert main(["dry-run", str(scenario), "--teams", "1", "--log", str(log)]) == 0
    opened = EventLog.open(log, readonly=True)
    try:
        assert opened.scenario_text == DRILL
        stored = opened.header["scenario_sha256"]
    finally:
        opened.close()
    # Changing only the French changes the hash: a replay knows exactly what was shown.
    other = DRILL.replace("Le couper", "Le débrancher")
    assert load_bytes(other).sha256 != stored == load_bytes(DRILL).sha256


@pytest.fixture(scope="module")
def deepfake_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    log = tmp_path_factory.mktemp("lang") / "deepfake.db"
    assert main(["dry-run", str(DEEPFAKE), "--teams", "1", "--log", str(log)]) == 0
    return log


def _report(log: Path, capsys: pytest.CaptureFixture[str], *lang: str) -> str:
    assert main(["report", str(log), "--format", "json", *lang]) == 0
    return capsys.readouterr().out


def test_the_report_is_in_the_scenarios_first_language_by_default(
    deepfake_log: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    i18n.activate("en")
    text = _report(deepfake_log, capsys)
    assert "Deepfake at the summit" in text
    assert "Video of the energy minister announcing a grid shutdown goes viral" in text
    assert "Hypertrucage" not in text


def test_report_lang_fr_renders_the_scenarios_text_in_french(
    deepfake_log: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = json.loads(_report(deepfake_log, capsys, "--lang", "fr"))
    text = json.dumps(report, ensure_ascii=False)
    assert "Hypertrucage au sommet" in text
    assert (
        "Une vidéo de la ministre de l'énergie annonçant une coupure du réseau devient virale"
        in text
    )
    assert "Vérifier l'authenticité avant d'agir" in text
    # No English title of an inject, phase or objective is left in the French report.
    english = load_file(DEEPFAKE).require()
    titles = [i.title for i in english.injects] + [p.title for p in english.phases]
    titles += [o.title for o in english.objectives]
    assert [t for t in titles if t in text] == []
    assert i18n.current() == "fr"  # and the headings: the program's own words


def test_report_lang_names_the_languages_a_scenario_has(
    deepfake_log: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(deepfake_log), "--lang", "de"]) == 1
    err = capsys.readouterr().err
    assert 'no "de" text: the scenario is in en, fr' in err


def test_the_french_library_scenario_is_complete() -> None:
    """Every text a player reads differs between the English and the French scenario
    (a copied English string would pass the lint), except file-like names and data."""
    en = load_file(DEEPFAKE).require()
    fr = load_file(DEEPFAKE, lang="fr").require()
    assert fr.title == "Hypertrucage au sommet"
    same: list[str] = []
    for a, b in zip(en.injects, fr.injects, strict=True):
        for field in ("title", "body"):
            if getattr(a, field) == getattr(b, field):
                same.append(f"{a.id}.{field}")
        for ea, eb in zip(a.expects, b.expects, strict=True):
            if ea.prompt == eb.prompt:
                same.append(f"{a.id}.{ea.id}.prompt")
            for oa, ob in zip(getattr(ea, "options", []), getattr(eb, "options", []), strict=True):
                if oa.label == ob.label:
                    same.append(f"{a.id}.{ea.id}.{oa.id}")
            for ia, ib in zip(getattr(ea, "items", []), getattr(eb, "items", []), strict=True):
                if ia.label == ib.label:
                    same.append(f"{a.id}.{ea.id}.{ia.id}")
    for ta, tb in zip(en.teams, fr.teams, strict=True):
        if (ta.name, ta.briefing) == (tb.name, tb.briefing):
            same.append(ta.id)
    assert same == []


@pytest.mark.meaning  # sitroom rubric grades as the engine does: by meaning
def test_a_french_answer_scores_on_the_french_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The rubric's synonyms list both languages: an answer in French meets it, and a
    French "no comment" and premature attribution are caught."""
    answers = tmp_path / "answers.csv"
    answers.write_text(
        "text\n\"Aucune coupure du réseau n'est prévue. Nous vérifions l'origine de la "
        'vidéo et publierons un point sur les canaux officiels du gouvernement."\n'
        '"Pas de commentaire : la Russie est derrière cette vidéo, un État étranger."\n',
        encoding="utf-8",
    )
    assert main(["rubric", str(DEEPFAKE), "I-13.holding", str(answers)]) == 0
    out = capsys.readouterr().out
    assert "#1  10 / 10  met" in out
    # Found by the French synonyms themselves, not only by a closeness of meaning.
    for element in ("says no shutdown is planned", "points to official channels"):
        assert f"+ {element}: keyword 1.00" in out
    assert "! forbidden, said: no comment: Pas de commentaire" in out
    assert "! forbidden, said: premature attribution" in out


def test_report_lang_of_a_one_language_scenario_changes_only_the_headings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A scenario without ``languages:`` is reported as written; ``--lang fr`` sets
    sitroom's own words and puts no warning about languages in the report."""
    log = tmp_path / "llm.db"
    llm = ROOT / "scenarios" / "llmjacking.yaml"
    assert main(["dry-run", str(llm), "--teams", "1", "--log", str(log)]) == 0
    capsys.readouterr()
    assert main(["report", str(log), "--lang", "fr"]) == 0
    text = capsys.readouterr().out
    assert "Warning" not in text and "languages" not in text
    assert load_file(llm).require().title in text


def test_report_lang_parses_the_scenario_once_per_language(
    deepfake_log: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The language asked for is read once and reused for the roster's names (parsing a
    large scenario is the slowest step of opening a small log)."""
    langs: list[str | None] = []
    real = load_bytes

    def counted(*args: Any, **kwargs: Any) -> Any:
        langs.append(kwargs.get("lang"))
        return real(*args, **kwargs)

    monkeypatch.setattr(source, "load_bytes", counted)
    _report(deepfake_log, capsys, "--lang", "fr")
    assert sorted(langs, key=str) == ["en", "fr"]
