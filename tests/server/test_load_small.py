"""The load and crash benchmarks, small enough for every test run.

The same code as ``bench/load.py`` and ``bench/crash.py`` (imported, not copied):
a real ``sitroom serve`` process, 30 shipped clients in 5 teams answering like
the bots, an evaluator grading, then three SIGKILLs with ``--resume``. Nothing
here is judged on wall time (the machine is shared); what must hold whatever
the timing is the bookkeeping: nothing acknowledged lost, nothing logged twice,
no gaps in any client's sequence, nobody given another team's events, and a
replay of the log that reproduces every logged output.
"""

from __future__ import annotations

from pathlib import Path

from bench.crash import Kills
from bench.run import Options, Outcome, execute


def options(tmp_path: Path, *, stop_at: int) -> Options:
    return Options(
        teams=5,
        per_team=6,
        speed=600.0,
        processes=0,
        notes=0.5,
        stop_at=stop_at,
        backoff=(0.05, 0.5),
        wall_limit=60.0,
        workdir=tmp_path,
    )


def assert_whole(outcome: Outcome) -> None:
    check = outcome.check
    assert check is not None
    assert outcome.joined == outcome.expected == 31
    assert check.acknowledged > 0
    assert check.lost == []
    assert check.duplicates == []
    assert check.replay == "ok"
    assert check.gaps == []
    assert check.extra == []
    assert check.not_ended == 0
    assert check.deliveries_received == check.deliveries_owed > 0
    assert [e for r in outcome.results for e in r.errors] == []
    assert outcome.control_errors == []


async def test_load_small_loses_nothing(tmp_path: Path) -> None:
    outcome = await execute(options(tmp_path, stop_at=80 * 60_000), limit=90.0)
    assert_whole(outcome)
    assert outcome.exit_code == 0
    assert outcome.held == outcome.expected
    # Live deliveries were measured against the server's stamp (not their size in time).
    assert sum(len(r.delivery_latency) for r in outcome.results) > 0


async def test_three_kills_with_resume_lose_nothing(tmp_path: Path) -> None:
    kills = Kills(3, seed=5, gap=(0.2, 1.0), back_timeout=30.0)
    outcome = await execute(options(tmp_path, stop_at=120 * 60_000), kills, limit=120.0)
    assert kills.survived == 3 and kills.stragglers == 0
    assert len(outcome.server_starts) == 4
    assert_whole(outcome)
