"""An exercise with text answers graded by meaning, for the evaluator queue's tests.

Four communications teams answer the holding line of summit-deepfake (``I-13.holding``)
through a fake server. The verdicts are built here, by hand, as the meaning grader
would record them: the engine runs as it does in a replay (``recorded``), so it keeps
the verdict each answer carries instead of loading the model, and the points, the
``scored`` decisions and the staff's events are the engine's and the server's own.
Team ``comms-04``'s answer carries no verdict: it is graded by its keywords, as a log
from before the meaning grader is, and has no place in the queue.
"""

from __future__ import annotations

from engine import commands as c
from engine.meaning.verdict import ElementVerdict, How, TextVerdict
from engine.net.fake import FakeServer
from engine.roster import roster_from_counts
from engine.scenario import load_bytes
from tests.tui.scripted import SCENARIO_PATH, send

M = 60_000
REF = "I-13.holding"
LABELS = (
    "says no shutdown is planned",
    "points to official channels",
    "says it is being checked",
)


def element(name: str, how: How, credit: float, evidence: str = "") -> ElementVerdict:
    cosine = {"keyword": 0.61, "meaning": 0.25 + 0.15 * credit, "missing": 0.12}.get(how, 0.55)
    return ElementVerdict(
        name=name, how=how, credit=credit, cosine=round(cosine, 3), evidence=evidence
    )


def verdict(*elements: ElementVerdict, forbidden: tuple[ElementVerdict, ...] = ()) -> TextVerdict:
    share = sum(e.credit for e in elements) / len(elements) - 0.5 * len(forbidden)
    return TextVerdict(
        grader="use-m3/2",
        points=round(max(0.0, share) * 10, 6),
        max_points=10,
        required=list(elements),
        forbidden=list(forbidden),
        words=30,
    )


SURE = (
    "No shutdown is planned and the grid is operating normally. We are verifying the "
    "video and will update on the official channels within the hour.",
    verdict(
        element(LABELS[0], "keyword", 1, "No shutdown is planned"),
        element(LABELS[1], "keyword", 1, "will update on the official channels"),
        element(LABELS[2], "keyword", 1, "We are verifying the video"),
    ),
)
BORDERLINE = (
    "The power network is working as usual and nobody plans to cut electricity. "
    "Follow the ministry's page for news. We cannot confirm yet where the clip comes from.",
    verdict(
        element(LABELS[0], "meaning", 1, "The power network is working as usual"),
        element(LABELS[1], "meaning", 0.47, "Follow the ministry's page for news"),
        element(LABELS[2], "contradicted", 0, "We cannot confirm yet where the clip comes from"),
    ),
)
"""Unsure 0.94: the official channels sit just under the line between found and missed."""
LEANING = (
    "Le réseau fonctionne normalement, aucune coupure n'est prévue. Nous examinons la "
    "vidéo; un point suivra sur le site du gouvernement. This looks like Russia again.",
    verdict(
        element(LABELS[0], "meaning", 1, "aucune coupure n'est prévue"),
        element(LABELS[1], "meaning", 0.8, "un point suivra sur le site du gouvernement"),
        element(LABELS[2], "meaning", 1, "Nous examinons la vidéo"),
        forbidden=(element("premature attribution", "said", 1, "This looks like Russia again."),),
    ),
)
"""Unsure 0.4: one element found by meaning, well over the line; a forbidden one said."""
KEYWORDS = ("No comment for now.", None)

ANSWERS: dict[str, tuple[str, TextVerdict | None]] = {
    "comms-01": SURE,
    "comms-02": BORDERLINE,
    "comms-03": LEANING,
    "comms-04": KEYWORDS,
}
QUEUE_ORDER = ["comms-02", "comms-03", "comms-01"]
"""Most unsure first; comms-04 (no verdict) is not there."""


HOLDING = "      - id: holding\n        kind: text\n"


def holding_server(*, evaluators: int = 2, answer_by: str = "any") -> FakeServer:
    """summit-deepfake with four teams a role, sixteen minutes in, the four holding lines
    answered; the clock paused (and the server's wall clock still), so what staff are
    sent is the same on every run. ``answer_by="all"``: every member of a team answers
    the holding line (the scenario's text with that one line added)."""
    text = SCENARIO_PATH.read_text(encoding="utf-8")
    assert text.count(HOLDING) == 1, "the holding line's expectation moved"
    if answer_by != "any":
        text = text.replace(HOLDING, f"{HOLDING}        answer_by: {answer_by}\n")
    loaded = load_bytes(text, str(SCENARIO_PATH), path=SCENARIO_PATH)
    roster = roster_from_counts(loaded.require(), 4)
    server = FakeServer(loaded, roster, evaluators=evaluators, wall=lambda: 0.0)
    server.exercise.recorded = True  # keep the verdicts built above, as a replay keeps the log's
    control = server.link("facilitator:control")
    send(server, control, c.Start())
    server.advance_to(16 * M)
    for team, (text, given) in ANSWERS.items():
        member = server.link(f"team:{team}", "Amira")
        answer = c.Respond(team=team, member="Amira", expectation=REF, text=text, verdict=given)
        send(server, member, answer)
    send(server, control, c.Pause())
    return server
