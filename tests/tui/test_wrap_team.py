"""At 80 columns a team console wraps what it cannot fit, and marks what it cuts.

A planner's French scenario at 80x24 showed a checklist item cut ("Conservé le message
vocal com…"), an attachment's name cut with no sign ("Message vocal à la dire"), the
footer's last key cut ("t Lectu") and the exercise's title cut in the clock bar with
no "…". Items and attachment names now wrap; the footer shows whole keys then "…"; the
clock bar ends a cut title with "…". Text assertions on the screen, through Pilot, on
the fake server's traffic for a small bilingual scenario read in French.
"""

from __future__ import annotations

from pathlib import Path

from engine import i18n
from engine.net.protocol import Incoming
from tests.tui.flows import screen_text
from tests.tui.pilots import until
from tests.tui.scripted import ScriptedLink, played
from tui.console.base import ConsoleApp
from tui.team.app import TeamScreen
from tui.team.inbox import InboxList

SCENARIO = """\
id: voice
title: {en: The CEO who never called back at all, fr: Le PDG qui n'a jamais rappelé personne}
languages: [en, fr]
duration: 1h
teams:
  - {id: soc, name: {en: Security operations, fr: Centre des opérations de sécurité}}
actors:
  - {id: finance, name: {en: Finance, fr: Direction financière}}
injects:
  - id: I-02
    at: 5m
    to: [soc]
    channel: phone
    from: finance
    title: {en: A voicemail, fr: Un message vocal}
    attachments:
      - name: {en: Voicemail to the CFO, fr: Message vocal à la directrice financière}
        text: {en: Three seconds., fr: Trois secondes.}
    expects:
      - id: steps
        kind: checklist
        prompt: {en: Tick what you did., fr: Cochez ce que vous avez fait.}
        items:
          - {id: keep, label: {en: Kept it, fr: Conservé le message vocal comme preuve}}
          - {id: bank, label: {en: Asked the bank, fr: Demandé à la banque de rappeler le virement}}
"""


def _traffic(tmp_path: Path) -> tuple[Incoming, ...]:
    path = tmp_path / "voice.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return played(path, "team:soc", "Amira")


async def _shown_at_80(tmp_path: Path) -> tuple[list[str], str]:
    """The screen's lines, and the words of the inject pane alone (beside the inbox)."""
    i18n.activate("fr")  # as sitroom join --lang fr does: the console's own words too
    app = ConsoleApp(TeamScreen(link=ScriptedLink(_traffic(tmp_path)), lang="fr"))
    async with app.run_test(size=(80, 24)) as pilot:
        console = app.console_screen
        await until(pilot, lambda: "I-02" in console.model.inbox, "the inject")
        inbox = console.query_one(InboxList)
        inbox.focus()
        await pilot.press("enter")
        await until(pilot, lambda: console.query("#items"), "the checklist")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        pane = console.query_one("#inject-view").region
        inside = [t[pane.x : pane.right] for t in lines[pane.y : pane.bottom]]
        return lines, _words(inside)


def _words(lines: list[str]) -> str:
    """Lines' words with the frames gone, one space between them."""
    kept = ("".join(ch if ch.isalnum() or ch in "'…:" else " " for ch in t) for t in lines)
    return " ".join(" ".join(t.split()) for t in kept if t.strip())


async def test_items_names_footer_and_title_wrap_or_end_in_an_ellipsis(tmp_path: Path) -> None:
    lines, text = await _shown_at_80(tmp_path)
    assert "Conservé le message vocal comme preuve" in text, lines
    assert "Demandé à la banque de rappeler le virement" in text, lines
    assert "Message vocal à la directrice financière" in text, lines
    footer, clock = lines[-1], lines[0]
    assert footer.rstrip().endswith("…"), footer
    assert clock.rstrip().endswith("…"), clock
