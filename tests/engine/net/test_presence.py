"""Staff are told which tables have members connected (issue 12: a table that disconnects).

A real server on loopback (built as ``sitroom serve`` builds it) and shipped clients.
Staff seats get a ``presence`` message when a table's count of connected members
changes, and the whole picture after their catch-up when they join; a table left
empty is announced offline once it has stayed empty for the grace period, with the
exercise time its last member left, and a member back within the grace is no news.
Team and wall seats never hear of it.
"""

from __future__ import annotations

from pathlib import Path

from engine import commands as c
from engine.net.protocol import Ack, PresenceMsg, TeamPresence
from engine.net.server.settings import ServerSettings
from tests.server.conftest import M, Recorder, serving, wait_for


def told(rec: Recorder, team: str) -> list[TeamPresence]:
    """Every presence of ``team`` that ``rec`` heard, in order."""
    return [p for m in rec.of(PresenceMsg) for p in m.teams if p.team == team]


async def test_staff_hear_a_table_come_thin_out_and_go_offline(tmp_path: Path) -> None:
    settings = ServerSettings(presence_grace=0.2)
    async with serving(tmp_path, settings=settings) as served:
        fac, staff = await served.client("facilitator:control")
        assert isinstance(await fac.send(c.Start()), Ack)
        assert isinstance(await fac.send(c.Jump(to=31 * M)), Ack)
        amira, team_rec = await served.client("team:a-01", "amira")
        await staff.wait(lambda r: bool(told(r, "a-01")), what="a-01 online")
        bo, _ = await served.client("team:a-01", "bo")
        again, _ = await served.client("team:a-01", "bo")  # Bo's second console: still two
        await staff.wait(lambda r: told(r, "a-01")[-1].online == 2, what="two members")
        await again.close()
        await bo.close()
        await staff.wait(lambda r: told(r, "a-01")[-1].online == 1, what="one member left")
        await amira.close()
        await staff.wait(lambda r: told(r, "a-01")[-1].online == 0, what="a-01 offline")
        last = told(staff, "a-01")[-1]
        assert last.offline_since is not None and 31 * M <= last.offline_since < 32 * M, last
        assert [p.online for p in told(staff, "a-01")] == [1, 2, 1, 0]
        # A staff seat joining now is told the whole picture after its catch-up.
        _, late = await served.client("observer:observer")
        await late.wait(lambda r: bool(r.of(PresenceMsg)), what="the picture")
        assert late.of(PresenceMsg)[0].teams == [last]
        assert not team_rec.of(PresenceMsg), "a team heard of other tables' presence"


async def test_a_member_back_within_the_grace_is_no_news(tmp_path: Path) -> None:
    settings = ServerSettings(presence_grace=30.0)
    async with serving(tmp_path, settings=settings) as served:
        _, staff = await served.client("evaluator:lead")
        first, _ = await served.client("team:b-01", "cleo")
        await staff.wait(lambda r: bool(told(r, "b-01")), what="b-01 online")
        await first.close()
        await wait_for(lambda: not served.room.hub.members["b-01"], what="the socket gone")
        await served.client("team:b-01", "cleo")
        await wait_for(lambda: bool(served.room.hub.members["b-01"]), what="the socket back")
        # Whatever a staff seat joining now is told comes after anything about the blip.
        _, late = await served.client("observer:observer")
        await late.wait(lambda r: bool(r.of(PresenceMsg)), what="the picture")
        assert [p.online for p in told(staff, "b-01")] == [1], told(staff, "b-01")
        assert late.of(PresenceMsg)[0].teams == [TeamPresence(team="b-01", online=1)]
