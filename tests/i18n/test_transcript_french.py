"""The reader transcript in French, through Pilot: the words a screen reader says
around the scenario's own text (which stays as the author wrote it).

The session is the same forty minutes as ``tests/tui/test_team_transcript.py``'s; only
the language differs (activated before the console is built, as ``sitroom join`` does
from ``SITROOM_LANG``).
"""

from __future__ import annotations

from textual.widgets import TextArea

from engine import i18n
from tests.tui.test_team_transcript import _app, _open


async def test_the_transcript_speaks_french() -> None:
    i18n.activate("fr")  # the suite's autouse fixture speaks English again afterwards
    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        lines = app.screen.query_one(TextArea).text.split("\n")

    def starting(prefix: str) -> list[str]:
        return [line for line in lines if line.startswith(prefix)]

    assert lines[0].startswith("Transcription : ")
    assert starting("Équipe : ") and starting("Chaque inject et chaque réponse")
    first = starting("0:05:00 (mar. 09:05). Inject I-01, ")
    assert first and first[0].endswith(", priorité haute.")
    assert "Question 1 sur 1 : What do you do first?" in lines  # the author's words stay
    assert "Choisissez une option." in lines
    assert "  Option 2 sur 3 : Publicly deny at once" in lines
    assert "État : répondu." in lines and "Résultat : 10 points sur 10." in lines
    assert starting("0:24:00 (mar. 09:24). Amira a demandé à ")
    assert starting("0:28:00 (mar. 09:28). Note d'équipe, par Bo")
    assert lines[-1] == "Fin de la transcription à 0:40:00 (mar. 09:40)."
