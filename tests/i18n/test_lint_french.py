"""``sitroom validate`` in French: what a planner reads about a broken scenario.

Each test writes a small broken scenario and runs ``sitroom validate`` in process,
through ``main``, with ``SITROOM_LANG=fr`` as the command line would. The problems'
words are sitroom's and French; the ids, field names, paths and the author's own text
stay as written, since the planner looks for them in the file. The modules that say
these things were imported in English (at collection), so every message here was
translated when it was made, not when its module was loaded.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from tui.cli import main

HEAD = """\
id: fr-lint
title: Contrôle
duration: 1h
start: 2025-02-10T09:00:00
teams:
  - {id: soc, name: SOC}
  - {id: legal, name: Juridique}
actors:
  - {id: press, name: Presse}
"""

DECISION = """\
    expects:
      - id: verify
        kind: decision
        prompt: Vérifier ?
        options:
          - {id: yes-a, label: "Oui", points: 1}
          - {id: no-b, label: "Non", points: 0}
"""


def validate(
    path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, list[str], str]:
    """Exit code, the problem lines (stdout) and the summary (stderr), in French."""
    monkeypatch.setenv("SITROOM_LANG", "fr")
    code = main(["validate", str(path)])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def write(tmp_path: Path, text: str, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def only(lines: list[str], where: str) -> str:
    found = [line for line in lines if where in line]
    assert len(found) == 1, lines
    return found[0]


def test_schema_errors_in_french_with_fields_and_values_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        HEAD
        + """\
injects:
  - id: I-01
    title: Début
    titel: oubli
    channel: newz
    from: press
    to: soc
    at: yes
    expects:
      - id: verify
        kind: decision
        prompt: Vérifier ?
        options:
          - {id: yes-a, label: Yes, points: 1}
          - {id: no-b, label: "Non", points: 0}
""",
    )
    code, lines, err = validate(path, monkeypatch, capsys)
    assert code == 1
    assert only(lines, "injects[0].titel (I-01): ").endswith(
        "champ inconnu 'titel' ('title' mal orthographié ? ce champ est aussi donné, ligne 12)"
        " ; champs permis ici : id, title, channel, from, to, body, attachments, phase, "
        "priority, tags, references, notes, contingency, at, after, if_no_response, jitter, "
        "when, expects"
    )
    assert only(lines, "injects[0].channel (I-01): ").endswith(
        "'newz' ne fait pas partie de email, news, social, phone, alert, ticket, document, "
        "chat (vouliez-vous dire 'news' ?)"
    )
    assert only(lines, "injects[0].at (I-01): ").endswith(
        "il faut une durée comme 90s, 15m ou 1h30m, pas un booléen (oui/non)"
    )
    assert only(lines, "injects[0].expects[0].options[0].label (I-01.verify.yes-a): ").endswith(
        "il faut du texte, pas Yes, que YAML lit comme true : mettez-le entre guillemets ('Yes')"
    )
    assert "1 fichier vérifié" in err
    for english in ("unknown field", "is not one of", "expected text", "did you mean"):
        assert english not in "\n".join(lines), english


def test_a_bad_reference_gets_a_french_suggestion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        HEAD
        + """\
injects:
  - id: I-01
    title: Début
    channel: email
    from: pres
    to: [soc, legl]
    at: 10m
"""
        + DECISION
        + """\
  - id: I-02
    title: Suite
    channel: email
    from: press
    to: soc
    after: {response: I-01.verfy, delay: 5m}
""",
    )
    code, lines, _err = validate(path, monkeypatch, capsys)
    assert code == 1
    assert only(lines, "injects[0].from (I-01): ").endswith(
        "acteur inconnu 'pres' (vouliez-vous dire 'press' ?)"
    )
    assert only(lines, "injects[0].to[1] (I-01): ").endswith(
        "équipe inconnue 'legl' (vouliez-vous dire 'legal' ?)"
    )
    assert only(lines, "injects[1].after.response (I-02): ").endswith(
        "l'inject 'I-01' n'a pas d'attendu 'verfy' (vouliez-vous dire 'verify' ?) ; "
        "ses attendus : verify"
    )


def test_timing_warnings_in_french(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        HEAD
        + """\
injects:
  - id: I-01
    title: Début
    channel: email
    from: press
    to: soc
    at: 10m
"""
        + DECISION
        + """\
  - id: I-02
    title: "it is now 13:20"
    channel: news
    from: press
    to: [soc, legal]
    after: {inject: I-01, delay: 1m}
  - id: I-03
    title: Trop tard
    channel: news
    from: press
    to: soc
    at: 2h
""",
    )
    code, lines, err = validate(path, monkeypatch, capsys)
    assert code == 1
    assert only(lines, "injects[1].to (I-02): ").endswith(
        "avertissement : injects[1].to (I-02): l'équipe legal ne peut jamais recevoir I-02 : "
        "il suit I-01, que seules les équipes soc reçoivent"
    )
    assert only(lines, "injects[1].title (I-02): ").endswith(
        "I-02 dit « it is now 13:20 », mais l'horloge de la fiction indique 09:11 à son "
        "arrivée (11m après le début de l'exercice) : avancez l'horloge de la fiction avec "
        "le story d'une phase (un saut), ou changez le texte"
    )
    assert only(lines, "injects[2].at (I-03): ").endswith(
        "I-03 part au plus tôt à 2h, après la fin du scénario (1h)"
    )
    assert "1 erreur, 2 avertissements" in err


def test_a_missing_translation_names_the_language_in_french(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = HEAD.replace("duration: 1h", "languages: [en, fr]\nduration: 1h").replace(
        "name: Juridique", "name: {en: Legal}"
    )
    path = write(tmp_path, text)
    code, lines, _err = validate(path, monkeypatch, capsys)
    assert code == 1
    assert lines == [f"{path}:8:17: teams[1].name (legal): pas de texte « fr » (languages: en, fr)"]


def test_attachment_problems_in_french(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "still.png").write_bytes(b"not a picture")
    (tmp_path / "media" / "voice.wav").write_bytes(b"RIFF" + struct.pack("<I", 4) + b"WAVE")
    path = write(
        tmp_path,
        HEAD
        + """\
injects:
  - id: I-01
    title: Début
    channel: email
    from: press
    to: soc
    at: 10m
    attachments:
      - {name: Photo, file: media/still.png, text: Un visage}
      - {name: Voix, file: media/voice.wav, text: Une voix}
      - {name: Vidéo, file: media/missing.mp4, text: Une vidéo}
      - {name: Page, file: media/page.svg, text: Une page}
""",
    )
    code, lines, _err = validate(path, monkeypatch, capsys)
    assert code == 1
    assert [line.split(": ", 2)[1:] for line in lines] == [
        [
            "injects[0].attachments[0].file",
            "'media/still.png' n'est pas un fichier image, quoi qu'en dise son nom",
        ],
        [
            "injects[0].attachments[2].file",
            "impossible de lire 'media/missing.mp4' : fichier ou dossier introuvable",
        ],
        [
            "injects[0].attachments[3].file",
            "'media/page.svg' : les consoles n'affichent pas ce type de fichier (utilisez l'un "
            "de ceux-ci : .csv, .gif, .jpeg, .jpg, .json, .log, .m4a, .md, .mp3, .mp4, .ogg, "
            ".pdf, .png, .txt, .wav, .webp)",
        ],
    ]


def test_an_include_cycle_is_named_in_french(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "include: [b.yaml]\nactors: [{id: radio, name: Radio}]\n", "lib/a.yaml")
    write(tmp_path, "include: [a.yaml]\n", "lib/b.yaml")
    write(tmp_path, "", "lib/empty.yaml")
    path = write(tmp_path, HEAD.replace("teams:", "include: [lib/a.yaml, lib/empty.yaml]\nteams:"))
    code, lines, _err = validate(path, monkeypatch, capsys)
    assert code == 1
    assert lines == [
        f"{tmp_path / 'lib' / 'b.yaml'}:1:11: include[0]: inclusion circulaire : "
        "lib/a.yaml → lib/b.yaml → lib/a.yaml",
        f"{tmp_path / 'lib' / 'empty.yaml'}:0:0: fichier vide : un fichier inclus contient "
        "objectives, actors, injects ou include",
    ]


def test_yaml_syntax_errors_in_french(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "id: x\nteams: [soc, legal\nduration: 1h\n")
    code, lines, _err = validate(path, monkeypatch, capsys)
    assert code == 1
    assert lines == [
        f"{path}:3:9: erreur de syntaxe YAML : la liste [ ouverte ligne 2, colonne 8 n'est "
        "pas fermée par ] (ou il manque une virgule)"
    ]


def test_the_repair_holds_back_the_same_findings_in_french(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An inject left out for want of an id may be the one another names: that reference
    is not reported as unknown, whatever the language of the message."""
    path = write(
        tmp_path,
        HEAD
        + """\
injects:
  - {title: Sans identifiant, channel: email, from: press, to: soc, at: 1m}
  - id: I-02
    title: Suite
    channel: email
    from: presse
    to: soc
    after: {inject: I-01}
""",
    )
    code, lines, _err = validate(path, monkeypatch, capsys)
    assert code == 1
    assert [line.split(": ", 1)[1] for line in lines] == [
        "injects[0].id: champ obligatoire manquant",
        "injects[1].from (I-02): acteur inconnu 'presse' (vouliez-vous dire 'press' ?)",
    ]
