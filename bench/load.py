"""Load benchmark: a real server process and hundreds or thousands of real clients on loopback.

``--size small``: 300 participants in 50 teams (the Paris summit exercise).
``--size big``: 5,000 participants in 1,000 teams (a national exercise).

A ``sitroom serve`` process plays summit-deepfake at an accelerated clock; the
participants (shipped clients, a few processes with asyncio inside, since they
share the machine's two cores with the server) join, receive their injects and
answer as the bot teams do, and write team notes; an evaluator grades. Then the
facilitator ends the exercise and the log is checked against what every client
was told. Printed, each beside its target: connections held, join time, delivery
latency (the server's ``wall`` stamp on each event, taken when it decides to send,
against the receiving client's clock: same machine, same clock), ack latency,
errors, server CPU and peak memory, and inputs lost.

The generator's own CPU time is in every latency: on two cores it competes with
the server, so the figures are an upper bound for a server with a machine of its
own. The machine is shared; numbers vary from run to run.

Run: ``.venv/bin/python bench/load.py --size small`` (about a minute and a half)
or ``--size big`` (a few minutes). Exit status 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import Table, median, ms, pct
from bench.run import Options, Outcome, execute

SIZES = {
    "small": {"teams": 50, "per_team": 6, "processes": 1, "notes": 0.5, "probe": 5},
    "big": {"teams": 1000, "per_team": 5, "processes": 2, "notes": 0.1, "probe": 10},
}
GIB = 1024**3


def report(outcome: Outcome, size: str) -> Table:
    big = size == "big"
    t = Table(f"sitroom load benchmark: {size} ({outcome.expected} participants)")
    results = outcome.results
    check = outcome.check
    assert check is not None
    deliveries = [x for r in results for x in r.delivery_latency]
    events = [x for r in results for x in r.event_latency]
    acks = [x for r in results for x in r.ack_latency]
    errors = [e for r in results for e in r.errors]
    joins = [r.join_seconds for r in results if r.join_seconds is not None]
    team_conns = outcome.server_connections.get('sitroom_connections{role="team"}', 0)
    t.add(
        "connections held",
        f"{outcome.held} of {outcome.expected} (server: {team_conns:.0f} team)",
        f"{outcome.expected}",
        outcome.held == outcome.expected,
    )
    t.add(
        "join time (all)",
        f"{outcome.join_seconds:.2f} s",
        "",
    )
    t.add("join time per client p50/p99", f"{ms(median(joins))} / {ms(pct(joins, 99))}")
    if outcome.join_failures:
        t.add("join failures", f"{len(outcome.join_failures)}: {outcome.join_failures[0]}")
    d99 = pct(deliveries, 99)
    t.add(
        "delivery latency p50",
        ms(median(deliveries)),
    )
    t.add(
        "delivery latency p99",
        ms(d99),
        "< 1 s" if big else "< 100 ms",
        d99 < (1.0 if big else 0.1),
    )
    t.add("delivery latency max", ms(max(deliveries, default=float("nan"))))
    t.add("deliveries measured", f"{len(deliveries)}")
    if outcome.probe:
        probed = [x for r in results if r.team in outcome.probe for x in r.delivery_latency]
        t.add(
            f"  probe ({len(outcome.probe)} teams, own process) p50/p99/max",
            f"{ms(median(probed))} / {ms(pct(probed, 99))} / "
            f"{ms(max(probed, default=float('nan')))}",
        )
    t.add(
        "all live events p50/p99/max",
        f"{ms(median(events))} / {ms(pct(events, 99))} / "
        f"{ms(max(events, default=float('nan')))} ({len(events)})",
    )
    a99 = pct(acks, 99)
    t.add("ack latency p50", ms(median(acks)))
    t.add(
        "ack latency p99",
        ms(a99),
        "" if big else "< 50 ms",
        None if big else a99 < 0.05,
    )
    t.add("inputs acknowledged", f"{check.acknowledged}")
    t.add(
        "errors",
        f"{len(errors)}" + (f" (first: {errors[0][1]}: {errors[0][2][:60]})" if errors else ""),
        "0" if not big else "",
        None if big else not errors,
    )
    t.add("lost (acked, not in log)", f"{len(check.lost)}", "0", not check.lost)
    t.add("duplicates in log", f"{len(check.duplicates)}", "0", not check.duplicates)
    t.add("replay of the log", check.replay[:70], "ok", check.replay == "ok")
    t.add("clients with gaps", f"{len(check.gaps)}", "0", not check.gaps)
    t.add("clients given others' events", f"{len(check.extra)}", "0", not check.extra)
    t.add("deliveries received / owed", f"{check.deliveries_received} / {check.deliveries_owed}")
    t.add("server CPU time", f"{outcome.cpu_seconds:.1f} s over {outcome.play_seconds:.0f} s play")
    t.add(
        "server peak RSS",
        f"{outcome.peak_rss / 2**20:.0f} MiB",
        "< 1 GiB" if big else "",
        outcome.peak_rss < GIB if big else None,
    )
    m = outcome.metrics
    t.add(
        "server counters",
        f"events {m.get('sitroom_events_total', 0):.0f}, messages "
        f"{m.get('sitroom_messages_total', 0):.0f}, slow drops "
        f"{m.get('sitroom_slow_drops_total', 0):.0f}, rejected "
        f"{m.get('sitroom_rejected_total', 0):.0f}",
    )
    t.add(
        "exercise played", f"{outcome.exercise_ms / 60_000:.0f} min at x{outcome.options.speed:g}"
    )
    if outcome.control_errors:
        t.add("facilitator errors", "; ".join(outcome.control_errors)[:100])
    return t


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=tuple(SIZES), default="small")
    parser.add_argument("--speed", type=float, default=150.0, help="exercise s per wall s")
    parser.add_argument("--processes", type=int, help="client processes (0: in this one)")
    parser.add_argument("--notes", type=float, help="chance a member notes a delivery")
    parser.add_argument("--scenario", default="summit-deepfake")
    parser.add_argument(
        "--probe", type=int, help="teams measured from a process of their own (0: none)"
    )
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    size = SIZES[args.size]
    options = Options(
        scenario=args.scenario,
        teams=int(size["teams"]),
        per_team=int(size["per_team"]),
        speed=args.speed,
        processes=int(size["processes"] if args.processes is None else args.processes),
        notes=float(size["notes"] if args.notes is None else args.notes),
        port=args.port,
        probe_teams=int(size["probe"] if args.probe is None else args.probe),
    )
    outcome = asyncio.run(execute(options))
    table = report(outcome, args.size)
    print(table.render())
    if table.failed:
        print(f"\nmissed: {', '.join(table.failed)}")
    return 1 if table.failed else 0


if __name__ == "__main__":
    sys.exit(main())
