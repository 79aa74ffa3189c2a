"""What a planner playing a bilingual scenario in French still met in English or poor
French (issue 16): the report's own words, the team console's answer, ``validate``'s
summary and quotes, and the language question's default.

The report is written by the CLI in process from a log of summit-deepfake played in
English (as ``sitroom serve`` plays it), read with ``--lang fr``. The consoles run on
the fake server through Pilot, as tests/tui/test_lang_team.py drives them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from textual.widgets import OptionList

from engine import commands as c
from engine import i18n
from engine.exercise import Exercise
from engine.i18n.accept import accepted_language
from engine.roster import roster_from_counts
from engine.scenario import load_file
from tests.i18n.cli import sitroom
from tests.scoring.logs import ROOT, create
from tests.tui.flows import widget_text
from tests.tui.pilots import until
from tests.tui.scripted import M, ScriptedLink, fake_server, send
from tests.tui.test_lang_team import _deepfake_traffic, _joined
from tests.tui.test_snapshots import settle
from tests.tui.test_web import gateway, packet
from tui.commands.join import JoinApp
from tui.console.base import ConsoleApp
from tui.console.language import LanguageScreen
from tui.team.app import TeamScreen

SUMMIT = ROOT / "scenarios" / "summit-deepfake.yaml"


def _played(path: Path) -> Path:
    """summit-deepfake played in English with two CERT teams (named by sitroom from the
    role, "National CERT 1"), a checklist answered, and ended from the control room's
    End button (which logs the reason "ended by the facilitator")."""
    scenario = load_file(SUMMIT).require()
    roster = roster_from_counts(scenario, "cert=2")
    ex = Exercise(scenario, roster)
    with create(path, SUMMIT, roster, scenario.seed) as log:
        assert ex.submit(c.Start(), 0).ok
        ex.advance_to(13 * M)
        answer = c.Respond(
            team="grid", member="Ana", expectation="I-12.callcentre", items=["schedule", "ministry"]
        )
        assert ex.submit(answer, ex.now).ok
        assert ex.submit(c.End(reason="ended by the facilitator"), ex.now).ok
        log.append(ex.drain(), wall=1.0)
    return path


def _report(capsys: pytest.CaptureFixture[str], log: Path, *lang: str) -> str:
    code, out, err = sitroom(capsys, "report", str(log), "--format", "md", *lang)
    assert code == 0, err
    return out


def test_the_report_read_in_french_says_sitroom_s_own_words_in_french(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = _played(tmp_path / "summit.db")
    fr = _report(capsys, log, "--lang", "fr")
    # The End's default reason is sitroom's, said once and in French.
    assert "Terminé à 0:13:00 (par l'animateur)" in fr
    assert "| Animation | Terminé par l'animateur |" in fr
    assert "ended by the facilitator" not in fr
    # The default hotwash prompts.
    assert "Qu'est-ce qui a bien fonctionné ?" in fr and "What went well?" not in fr
    # Teams named after their role, in the role's French name; the Role column by name.
    assert "| CERT national 1 (cert-01) | CERT national |" in fr
    assert "### Gestionnaire du réseau électrique (grid)" in fr
    assert "National CERT" not in fr and "Grid operator" not in fr
    assert not re.search(r"\| (cert|grid|comms) \|", fr)
    # Real plurals, French spacing before colons and semicolons.
    assert not re.search(r"\b[01] (équipes|attendus)\b", fr)
    assert "→ 1 sur 1 équipe | 0 sur 1 attendu atteint, 1 avec réponse |" in fr
    assert "→ 6 sur 6 équipes | 0 sur 6 attendus atteints" in fr
    assert "- MITRE ATLAS : AML.T0088" in fr
    assert "(+2) ; fait : Vérifié" in fr and "| I-12 : Le centre" in fr

    en = _report(capsys, log)
    assert "Ended at 0:13:00 (ended by the facilitator)" in en
    assert "| Control | Ended by the facilitator |" in en
    assert "| National CERT 1 (cert-01) | National CERT |" in en
    assert "What went well?" in en and "- MITRE ATLAS: AML.T0088" in en
    assert "→ 1 of 1 team | 0 of 1 expectation met" in en and "(+2); done: Checked" in en


BROKEN = """\
id: half
languages: [en, fr]
title: {en: Half translated, fr: À moitié traduit}
duration: 1h
teams:
  - {id: soc, name: {en: Security operations}}
injects: []
"""


def test_validate_counts_invalid_files_with_a_plural_and_quotes_in_guillemets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two = tmp_path / "one.yaml", tmp_path / "two.yaml"
    one.write_text(BROKEN, encoding="utf-8")
    two.write_text(BROKEN.replace("id: half", "id: half2"), encoding="utf-8")
    monkeypatch.setenv("SITROOM_LANG", "fr")
    code, out, err = sitroom(capsys, "validate", str(one))
    assert code == 1
    assert "pas de texte « fr » (languages: en, fr)" in out + err
    assert "1 invalide," in out + err and "invalide(s)" not in out + err
    code, out, err = sitroom(capsys, "validate", str(one), str(two))
    assert "2 invalides," in out + err
    monkeypatch.setenv("SITROOM_LANG", "en")
    code, out, err = sitroom(capsys, "validate", str(one))
    assert 'no "fr" text (languages: en, fr)' in out + err and "1 invalid," in out + err


async def test_the_language_question_offers_the_console_s_own_language_first() -> None:
    i18n.activate("fr")  # SITROOM_LANG=fr, or LANG=fr_FR.UTF-8, as the CLI reads it
    app = JoinApp("join", joined=_joined(_deepfake_traffic()))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LanguageScreen), "the question")
        assert app.screen.query_one(OptionList).highlighted == 1  # Français
        await pilot.press("escape")  # keeps the one offered
        await until(pilot, lambda: isinstance(app.screen, TeamScreen), "the team console")
        console = app.screen
        assert isinstance(console, TeamScreen)
        await until(pilot, lambda: "I-01" in console.model.inbox, "I-01")
        assert console.model.lang == "fr"
    i18n.activate("en")
    app = JoinApp("join", joined=_joined(_deepfake_traffic()))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LanguageScreen), "the question")
        assert app.screen.query_one(OptionList).highlighted == 0  # English, as played


def test_a_browser_s_language_reaches_a_tab_s_console_only_if_sitroom_speaks_it() -> None:
    assert accepted_language("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7") == "fr"
    assert accepted_language("de-DE,de;q=0.9,fr;q=0.5,en;q=0.6") == "en"
    assert accepted_language("en;q=0.2, fr-CA") == "fr"
    assert accepted_language("de, *") is None
    assert accepted_language("fr;q=0") is None
    assert accepted_language("") is None and accepted_language(None) is None
    assert accepted_language("x" * 600 + ",fr") is None
    assert accepted_language("fr\r\nSITROOM_CODE: stolen") is None
    assert accepted_language("../../fr") is None


async def test_a_browser_tab_s_console_starts_in_the_browser_s_language() -> None:
    """Through ``sitroom web``: the WebSocket's ``Accept-Language`` reaches the tab's
    process as ``SITROOM_LANG`` (the test console reports its environment), only as a
    language sitroom speaks; otherwise the gateway's own environment stands."""
    own = os.environ.get(i18n.ENV)  # the suite's (tests/conftest.py)
    async with gateway() as gw:
        for header, reaches in (
            ("fr-FR,fr;q=0.9,en;q=0.8", "fr"),
            ("de-DE,de;q=0.9", own),
            ("fr; rm -rf /", own),
            (None, own),
        ):
            headers = {} if header is None else {"Accept-Language": header}
            ws = await gw.http.ws_connect(f"{gw.url}/ws", headers=headers)
            assert (await packet(ws, "started"))["lang"] == reaches, header
            await ws.close()


async def test_the_team_console_says_a_member_s_answer_in_french() -> None:
    server = fake_server(1)
    control = server.link("facilitator:control")
    ana = server.link("team:grid", "Ana")
    send(server, control, c.Start())
    server.advance_to(13 * M)
    answer = c.Respond(
        team="grid", member="Ana", expectation="I-12.callcentre", items=["schedule", "ministry"]
    )
    send(server, ana, answer)
    send(server, control, c.Pause())
    i18n.activate("fr")
    app = ConsoleApp(TeamScreen(link=ScriptedLink(tuple(ana.drain())), lang="fr"))
    async with app.run_test(size=(160, 48)) as pilot:
        console = app.console_screen
        await until(pilot, lambda: "I-12" in console.model.inbox, "I-12")
        await pilot.press("enter")  # the newest inject: I-12
        await settle(pilot)
        shown = widget_text(app)
        assert "Votre réponse, par Ana : Confirmé" in shown, shown
        assert " ; " in shown.split("Votre réponse, par Ana :")[1].split("\n")[0]
