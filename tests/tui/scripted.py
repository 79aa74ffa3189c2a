"""Scripted links and canned exercise traffic for console tests and snapshots.

The traffic comes from a real dry-run of the engine fixture, so what the consoles
show is what the engine would send, and the clock is paused, so every snapshot
is the same on every run.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from engine.bots import profile_for
from engine.dryrun import dry_run
from engine.roster import Roster, roster_from_counts
from engine.scenario import Scenario, load_file
from engine.views import exercise_for_staff, exercise_for_team, inject_for_team

ROOT = Path(__file__).resolve().parents[2]
SCENARIO_PATH = ROOT / "scenarios" / "summit-deepfake.yaml"
M = 60_000


class ScriptedLink:
    """A link that replays queued server messages and records what the console sent."""

    def __init__(
        self, messages: list[dict[str, Any]] | None = None, reply: dict[str, Any] | None = None
    ) -> None:
        self.queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
        for message in messages or []:
            self.queue.put_nowait(message)
        self.sent: list[dict[str, Any]] = []
        self.reply = reply or {"type": "ack", "id": "t", "seq": 1}

    def push(self, *messages: dict[str, Any]) -> None:
        for message in messages:
            self.queue.put_nowait(message)

    async def messages(self) -> AsyncIterator[dict[str, Any]]:
        while True:
            item = await self.queue.get()
            if item is None:
                return
            yield item

    async def send(self, command: dict[str, Any]) -> dict[str, Any]:
        self.sent.append(command)
        return self.reply

    async def close(self) -> None:
        self.queue.put_nowait(None)


def scenario() -> tuple[Scenario, str]:
    loaded = load_file(SCENARIO_PATH)
    return loaded.require(), loaded.text


def staff_traffic(until: int = 50 * M, teams: int = 3) -> tuple[list[dict[str, Any]], Roster]:
    """Welcome, events of a dry-run up to ``until``, a paused clock: what staff receive."""
    sc, text = scenario()
    roster = roster_from_counts(sc, teams)
    profiles = {s.id: profile_for(i, "mix") for i, s in enumerate(roster.teams)}
    result = dry_run(sc, roster, profiles, seed=sc.seed)
    events = [e for e in result.events if e.t <= until]
    messages: list[dict[str, Any]] = [
        {"type": "link", "state": "connected"},
        {
            "type": "welcome",
            "v": 1,
            "role": "facilitator",
            "team": None,
            "name": "control",
            "exercise": exercise_for_staff(sc, text, roster.to_list()),
            "last_seq": 0,
            "resume": "live",
        },
    ]
    for seq, event in enumerate(events, start=1):
        event.seq = seq
        messages.append({"type": "event", **event.to_dict()})
    messages.append(
        {
            "type": "event",
            "seq": len(events) + 1,
            "t": until - 3 * M,
            "kind": "ask",
            "team": roster.teams[3].id,
            "actor": "press",
            "payload": {
                "team": roster.teams[3].id,
                "member": "Jo",
                "actor": "press",
                "text": "Can you confirm the clip is fake before six?",
            },
        }
    )
    messages.append(
        {
            "type": "clock",
            "now": until,
            "status": "paused",
            "speed": 1,
            "wall": 0,
            "duration": sc.duration,
        }
    )
    return messages, roster


def as_role(messages: list[dict[str, Any]], role: str, name: str) -> list[dict[str, Any]]:
    out = []
    for message in messages:
        if message["type"] == "welcome":
            message = {**message, "role": role, "name": name}
        out.append(message)
    return out


def team_traffic() -> list[dict[str, Any]]:
    """What team ``cert`` sees forty minutes in: injects, an answer, messages, paused."""
    sc, _ = scenario()

    def delivered(seq: int, t: int, inject: str) -> dict[str, Any]:
        return {
            "type": "event",
            "seq": seq,
            "t": t,
            "kind": "delivered",
            "team": "cert",
            "payload": {"inject": inject_for_team(sc, sc.inject_by_id[inject]), "cause": "at"},
        }

    def event(seq: int, t: int, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "event",
            "seq": seq,
            "t": t,
            "kind": kind,
            "team": "cert",
            "payload": payload,
        }

    return [
        {"type": "link", "state": "connected"},
        {
            "type": "welcome",
            "v": 1,
            "role": "team",
            "team": "cert",
            "name": "Amira",
            "exercise": {**exercise_for_team(sc), "team_name": "National CERT"},
            "last_seq": 0,
            "resume": "live",
        },
        event(1, 0, "start", {}),
        delivered(2, 5 * M, "I-01"),
        event(
            3,
            9 * M,
            "respond",
            {
                "team": "cert",
                "member": "Bo",
                "expectation": "I-01.first-move",
                "choice": "authenticate",
                "result": {"points": 10, "max": 10, "reasons": ["chose authenticate"]},
            },
        ),
        delivered(4, 20 * M, "I-02"),
        event(
            5,
            24 * M,
            "ask",
            {
                "team": "cert",
                "member": "Amira",
                "actor": "platform",
                "text": "Can you share the original upload's metadata?",
            },
        ),
        event(
            6,
            27 * M,
            "reply",
            {
                "team": "cert",
                "actor": "platform",
                "text": "Yes: uploaded 08:12 from a new account.",
            },
        ),
        event(
            7,
            28 * M,
            "team_note",
            {"team": "cert", "member": "Bo", "text": "Ministry confirms: no announcement planned."},
        ),
        event(
            8,
            30 * M,
            "broadcast",
            {"title": "Situation update", "text": "The platform has labelled the clip."},
        ),
        delivered(9, 35 * M, "I-07"),
        event(10, 40 * M, "pause", {}),
        {
            "type": "clock",
            "now": 40 * M,
            "status": "paused",
            "speed": 1,
            "wall": 0,
            "duration": sc.duration,
        },
    ]
