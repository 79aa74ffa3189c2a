"""The evaluator's queue at 80×24 and 160×48, compared with stored SVG snapshots.

Update after an intended visual change with ``pytest
tests/tui/test_evaluator_queue_snapshots.py --snapshot-update`` and look at the new
snapshots before committing them.
"""

from __future__ import annotations

import functools
from typing import Any

import pytest

from engine import commands as c
from engine.net.protocol import Incoming
from tests.tui.queue_traffic import REF, SURE, M, holding_server
from tests.tui.scripted import ScriptedLink, send
from tests.tui.test_snapshots import SIZES, steps
from tui.console.base import ConsoleApp
from tui.evaluator.app import make_evaluator_app


@functools.cache
def _traffic() -> tuple[Incoming, ...]:
    server = holding_server(evaluators=1)
    link = server.link("evaluator:lead")
    return tuple(link.drain())


@functools.cache
def _regraded_traffic() -> tuple[Incoming, ...]:
    """``answer_by: all``: eval-2 grades comms-02, then a second member answers a minute
    later; the answer is back in the queue, where what counts is eval-2's grade."""
    server = holding_server(answer_by="all")
    link = server.link("evaluator:lead")
    grade = c.Grade(evaluator="eval-2", team="comms-02", expectation=REF, points=2, reason="vague")
    send(server, server.link("evaluator:eval-2"), grade)
    send(server, server.link("facilitator:control"), c.Resume())
    server.advance_to(17 * M)
    text, given = SURE
    answer = c.Respond(team="comms-02", member="Bo", expectation=REF, text=text, verdict=given)
    send(server, server.link("team:comms-02", "Bo"), answer)
    send(server, server.link("facilitator:control"), c.Pause())
    return tuple(link.drain())


def evaluator_app() -> ConsoleApp[Any]:
    return make_evaluator_app(link=ScriptedLink(_traffic()))


def regraded_app() -> ConsoleApp[Any]:
    return make_evaluator_app(link=ScriptedLink(_regraded_traffic()))


SCREENS = {
    "evaluator-queue": steps("q"),
    "evaluator-queue-second": steps("q", "down"),
    "evaluator-queue-override": steps("q", "e"),
}
APPS = {"evaluator-queue-regraded": regraded_app}
SCREENS["evaluator-queue-regraded"] = steps("q")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_queue_screen(snap_compare: Any, screen: str, size: tuple[int, int]) -> None:
    app = APPS.get(screen, evaluator_app)()
    assert snap_compare(app, terminal_size=size, run_before=SCREENS[screen])
