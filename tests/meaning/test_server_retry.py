"""A text answer retried across a server restart is recognised, though the log holds
it with the verdict the engine added (the sender's body has none)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from engine import commands as c
from engine.eventlog import EventLog
from tests.server.conftest import joined_raw, server_process
from tests.server.test_process import joined

pytestmark = pytest.mark.meaning


async def test_a_text_answer_retried_after_a_restart_is_applied_once(tmp_path: Path) -> None:
    command = {
        "type": "command",
        "id": "stmt",
        "command": {
            "type": "respond",
            "expectation": "T1.s",
            "text": "The power network runs normally. The video is a deepfake.",
        },
    }
    async with server_process(tmp_path) as server:
        fac, _ = await joined(server, "facilitator:control")
        await fac.send(c.Start())
        await fac.send(c.Release(inject="T1", teams=["a-01"]))
        code = server.codes()["team:a-01"]
        async with contextlib.AsyncExitStack() as stack:
            conn = await joined_raw(stack, server.url, code, "amira")
            await conn.send(command)
            first = await conn.reply_to("stmt")
        await fac.close()
        assert first["type"] == "ack", first
        await server.kill()
        await server.start(resume=True)
        async with contextlib.AsyncExitStack() as stack:
            conn = await joined_raw(stack, server.url, code, "amira")
            await conn.send(command)
            again = await conn.reply_to("stmt")
        assert again == first
    with EventLog.open(tmp_path / "exercise.db", readonly=True) as log:
        answers = [e.body for e in log.events() if isinstance(e.body, c.Respond)]
    assert len(answers) == 1
    assert answers[0].verdict is not None and answers[0].verdict.grader.startswith("use-m3/")
