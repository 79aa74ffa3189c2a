"""Run as a subprocess by the crash tests: a dry-run writing its log in small commits.

It prints the last sequence number of every commit it completed, so the test
knows exactly which events were durable ("acknowledged") when it was killed.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from engine.bots import profile_for
from engine.dryrun import dry_run
from engine.eventlog import EventLog
from engine.events import Event
from engine.roster import roster_from_counts
from engine.scenario import load_file


class ReportingLog(EventLog):
    def append(
        self, events: Iterable[Event], wall: float | None = None, *, own_wall: bool = False
    ) -> list[Event]:
        done = super().append(events, wall, own_wall=own_wall)
        if done:
            print(done[-1].seq, flush=True)
        return done


def main(scenario_path: str, db: str, teams: int) -> None:
    loaded = load_file(scenario_path)
    scenario = loaded.require()
    roster = roster_from_counts(scenario, teams)
    base = EventLog.create(
        db,
        scenario_text=loaded.text,
        scenario_sha256=loaded.sha256,
        scenario_name=loaded.name,
        seed=scenario.seed,
        roster=roster,
    )
    log = ReportingLog(base.path, base._conn)
    profiles = {seat.id: profile_for(i, "mix") for i, seat in enumerate(roster.teams)}
    dry_run(scenario, roster, profiles, seed=scenario.seed, log=log, chunk=5)
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
