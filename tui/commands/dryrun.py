"""``sitroom dry-run``: rehearse a scenario with bot teams, faster than real time."""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from typing import Any

from engine.bots import check_profile_spec, profile_for
from engine.dryrun import DryRun, dry_run
from engine.durations import format_clock, format_duration
from engine.eventlog import EventLog, LogError
from engine.events import Discussion
from engine.i18n import _, ngettext
from engine.i18n.forms import grouped
from engine.i18n.phrase import said
from engine.roster import Roster, RosterError, default_roster, read_roster, roster_from_counts
from engine.scenario import load_file
from engine.scenario.model import Scenario
from engine.scenario.modules import discussion_line
from engine.scenario.staffing import unstaffed_roles
from engine.textsafe import visible
from scoring.fold import Scoreboard, score_events
from scoring.stats import nearest_rank
from tui.commands.common import (
    fail,
    format_problem,
    print_problems,
    program,
    say,
    scenario_arg,
    utf8_stdout,
)
from tui.commands.options import SCENARIO, TEAMS, inherit

FORMATS = ("text", "json")
"""What ``--format`` offers. Each prints the same bytes for the same scenario, teams,
profile and seed: the wall-clock time the run took goes to stderr."""


def pick_roster(scenario: Scenario, teams: str | None, roster_path: str | None) -> Roster:
    """The teams that play; on stderr, the roster's warnings (a column it ignores) and a
    note naming each role they leave unstaffed."""
    if roster_path:
        roster = read_roster(roster_path, scenario)
    elif teams:
        roster = roster_from_counts(scenario, teams)
    else:
        return default_roster(scenario)
    for note in (
        *roster.notes,
        *unstaffed_roles(scenario, roster.by_role, roster_path or "--teams"),
    ):
        say(format_problem(note), file=sys.stderr)
    return roster


def add_arguments(parser: argparse.ArgumentParser) -> None:
    inherit(parser, SCENARIO, TEAMS)
    parser.add_argument(
        "--profile",
        default="mix",
        help=_("bot behaviour: diligent, slow, erratic, silent, mix, or a list (default mix)"),
    )
    parser.add_argument("--seed", type=int, help=_("seed (default: the scenario's)"))
    parser.add_argument("--log", metavar="DB", help=_("write the event log here"))
    parser.add_argument("--format", choices=FORMATS, default="text")


def run(args: argparse.Namespace) -> int:
    loaded = load_file(scenario_arg(args))
    if not loaded.ok:
        print_problems(loaded.problems)
        return 1
    scenario = loaded.require()
    bad_profile = check_profile_spec(args.profile)
    if bad_profile:
        return fail(bad_profile)
    try:
        roster = pick_roster(scenario, args.teams, args.roster)
    except RosterError as exc:
        print_problems(exc.problems)
        return 1
    seed = scenario.seed if args.seed is None else args.seed
    profiles = {seat.id: profile_for(i, args.profile) for i, seat in enumerate(roster.teams)}
    log = None
    if args.log:
        try:
            log = EventLog.create(
                args.log,
                scenario_text=loaded.text,
                scenario_sha256=loaded.sha256,
                scenario_name=loaded.name,
                seed=seed,
                roster=roster,
            )
        except LogError as exc:
            return fail(str(exc))
    show_progress = args.format == "text" and sys.stderr.isatty()
    started = time.perf_counter()
    try:
        result = dry_run(
            scenario, roster, profiles, seed=seed, log=log, progress=_bar if show_progress else None
        )
    finally:
        if log is not None:
            log.close()
    elapsed = time.perf_counter() - started
    if show_progress:
        sys.stderr.write("\r" + " " * 60 + "\r")
    utf8_stdout()
    board = score_events(scenario, roster, result.events)
    team_profiles = {team: profile.name for team, profile in profiles.items()}
    if args.format == "json":
        json.dump(summary(result, args.profile, board, team_profiles), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print_text(result, args.profile, board, team_profiles)
        if args.log:
            say(
                "\n"
                + _("event log written to {log}; report it with: {program} report {log}").format(
                    log=args.log, program=program()
                )
            )
    sys.stdout.flush()
    print(_("dry-run took {seconds} s").format(seconds=f"{elapsed:.2f}"), file=sys.stderr)
    return 0


def _bar(done: int, total: int) -> None:
    width = 40
    filled = width * done // max(1, total)
    sys.stderr.write(
        f"\r[{'#' * filled}{'.' * (width - filled)}] {format_clock(done)} / {format_clock(total)}"
    )
    sys.stderr.flush()


def summary(
    result: DryRun, profile: str, board: Scoreboard, profiles: dict[str, str]
) -> dict[str, Any]:
    sc = result.scenario
    reach = result.reach()
    return {
        "scenario": sc.id,
        "title": sc.title,
        "duration_ms": sc.duration,
        "seed": result.seed,
        "teams": len(result.roster),
        "profile": profile,
        "events": len(result.events),
        "inputs": result.inputs,
        "injects": [
            {"id": inj.id, "title": inj.title, "first_ms": first, **reach[inj.id]}
            for inj in sc.injects
            for first in [_first_delivery(result).get(inj.id)]
        ],
        "branches": [{"id": inj.id, **reach[inj.id]} for inj in sc.injects if inj.when is not None],
        "discussions": [
            {"at_ms": t, "phase": d.phase, "number": d.number, "minutes": d.minutes}
            for t, d in result.discussions()
        ],
        "load": [{"from_ms": b, "mean": round(m, 3), "max": mx} for b, m, mx in result.load()],
        "load_by_role": {
            role: [round(m, 3) for m in means] for role, means in result.load_by_role().items()
        },
        "idle": [
            {
                "role": s.role,
                "from_ms": s.start,
                "to_ms": s.end,
                "shortest_ms": s.shortest,
                "longest_ms": s.longest,
                "teams": s.teams,
                "of": s.of,
            }
            for s in result.idle()
        ],
        "missed": result.missed(),
        "warnings": result.warnings(),
        "rejected": result.rejected,
        "scores": {
            "teams": [
                {
                    "team": t.team,
                    "role": t.role,
                    "profile": profiles[t.team],
                    "points": t.points,
                    "max_points": t.max_points,
                    "share": None if t.share is None else round(t.share, 6),
                    "rank": board.ranks()[t.team],
                }
                for t in board.totals()
            ],
            "spread": [row.to_dict() for row in score_spread(board, profiles)],
        },
    }


def _first_delivery(result: DryRun) -> dict[str, int]:
    first: dict[str, int] = {}
    for t, inject, _team, _cause in result.deliveries():
        first.setdefault(inject, t)
    return first


@dataclass(frozen=True, slots=True)
class Spread:
    """The shares of their available points that a group of teams scored."""

    group: str
    teams: int
    low: float
    median: float
    high: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "teams": self.teams,
            "min": round(self.low, 6),
            "median": round(self.median, 6),
            "max": round(self.high, 6),
        }


def score_spread(board: Scoreboard, profiles: dict[str, str]) -> list[Spread]:
    """Every team, then each bot profile, each role and each objective: min, median, max
    of the share of available points (the scoreboard's, as the report shows it; for an
    objective, its weighted share over the teams it reached). A scenario that scores
    diligent and silent bots alike does not tell teams apart; an objective every team
    meets, or none does, measures nothing."""
    groups: dict[str, list[float]] = {"all teams": []}
    for total in board.totals():
        if total.share is None:
            continue
        groups["all teams"].append(total.share)
        groups.setdefault(f"profile {profiles[total.team]}", []).append(total.share)
    for total in board.totals():
        if total.share is not None:
            groups.setdefault(f"role {total.role}", []).append(total.share)
    for total in board.totals():
        for objective, result in board.objectives(total.team).items():
            if result.share is not None:
                groups.setdefault(f"objective {objective}", []).append(result.share)
    out = []
    for group, shares in groups.items():
        if not shares:
            continue
        ordered = sorted(shares)
        out.append(Spread(group, len(ordered), ordered[0], _median(ordered), ordered[-1]))
    return out


def _median(ordered: list[float]) -> float:
    """Nearest-rank median (a share some team actually scored), as the report's times."""
    micro = [round(v * 1_000_000) for v in ordered]
    return nearest_rank(micro, 0.5) / 1_000_000


def _print_role_load(result: DryRun, starts: list[int]) -> None:
    """Mean injects per team of each role in each 15 minutes: a role whose row reads
    "·" for a stretch is a table with nothing to do."""
    by_role = result.load_by_role()
    if len(by_role) < 2:
        return
    width = max(len(role) for role in by_role) + 2
    say("\n" + _("Inject load per role (mean per team, per 15 minutes; · none)"))
    say(" " * width + "".join(f"{format_clock(t)[:-3]:>5}" for t in starts))
    for role, means in by_role.items():
        cells = "".join(f"{m:5.1f}" if m else "    ·" for m in means)
        say(f"  {visible(role, one_line=True):<{width - 2}}{cells}")


def _say_discussion(t: int, talk: Discussion) -> None:
    """A module's discussion in the timeline: play paused there until resumed."""
    say(f"  {format_clock(t):>8}  ‖ {visible(discussion_line(talk), one_line=True)}")


def print_text(result: DryRun, profile: str, board: Scoreboard, profiles: dict[str, str]) -> None:
    sc = result.scenario
    roles: dict[str, int] = {}
    for seat in result.roster.teams:
        roles[seat.role] = roles.get(seat.role, 0) + 1
    team_list = ", ".join(f"{r} ×{n}" if n > 1 else r for r, n in roles.items())
    title = visible(sc.title, one_line=True)
    say(
        _("{id} · {title} · {duration} · seed {seed}").format(
            id=sc.id, title=title, duration=format_duration(sc.duration), seed=result.seed
        )
    )
    say(
        _("{n} teams ({teams}) · profile {profile} · {events} events · {inputs} bot inputs").format(
            n=grouped(len(result.roster)),
            teams=team_list,
            profile=profile,
            events=grouped(len(result.events)),
            inputs=grouped(result.inputs),
        )
    )
    reach = result.reach()
    first = _first_delivery(result)
    say("\n" + _("Timeline (first delivery · inject · teams reached)"))
    talks = result.discussions()
    for inj in sorted(sc.injects, key=lambda i: (first.get(i.id, 1 << 62), i.id)):
        while talks and talks[0][0] < first.get(inj.id, 1 << 62):
            _say_discussion(*talks.pop(0))
        row = reach[inj.id]
        when = format_clock(first[inj.id]) if inj.id in first else _("never")
        title = visible(inj.title, one_line=True)
        title = title if len(title) <= 48 else title[:47] + "…"
        say(f"  {when:>8}  {inj.id:<8} {title:<48} {row['delivered']}/{row['audience']}")
    for talk in talks:
        _say_discussion(*talk)
    minutes = sum(d.minutes for _t, d in result.discussions())
    if minutes:
        say(
            "  "
            + _(
                "Play stops for {minutes} min of discussions: about {duration} on the wall clock"
            ).format(minutes=minutes, duration=format_duration(sc.duration + minutes * 60_000))
        )
    say("\n" + _("Inject load per team, per 15 minutes (█ mean per team, ▒ busiest team)"))
    load = result.load()
    top = max((mx for _b, _m, mx in load), default=1) or 1
    scale = 30 / top
    for start, mean, mx in load:
        solid = round(mean * scale)
        shade = max(0, round(mx * scale) - solid)
        say(f"  {format_clock(start)[:-3]:>5} {'█' * solid}{'▒' * shade} {mean:.1f} / {mx}")
    _print_role_load(result, [start for start, _m, _mx in load])
    branches = [inj for inj in sc.injects if inj.when is not None]
    if branches:
        say("\n" + _("Branches (teams for which the condition held / did not / never came up)"))
        for inj in branches:
            row = reach[inj.id]
            counts = _("fired {fired} · skipped {skipped} · not triggered {untriggered}").format(
                fired=f"{row['delivered']:>4}",
                skipped=f"{row['skipped']:>4}",
                untriggered=f"{row['untriggered']:>4}",
            )
            say(f"  {inj.id:<8} {counts}")
    missed = result.missed()
    if missed:
        say("\n" + _("Deadlines missed"))
        for ref, n in missed.items():
            inject_id = ref.split(".")[0]
            of = _("{n} of {teams} teams").format(
                n=grouped(n), teams=grouped(reach[inject_id]["delivered"])
            )
            say(f"  {ref:<28} {of}")
    warnings = result.warnings()
    if warnings:
        say("\n" + _("Warnings"))
        for w in warnings:
            say(f"  ! {said(w)}")
    spread = score_spread(board, profiles)
    if spread:
        say(
            "\n"
            + _("Score spread (share of the points available to each team: min · median · max)")
        )
        names = {group.group: _spread_name(group.group) for group in spread}
        width = max(len(name) for name in names.values())
        for group in spread:
            say(
                f"  {names[group.group]:<{width}} ×{group.teams:<4} {group.low:>4.0%} · "
                f"{group.median:>4.0%} · {group.high:>4.0%}  {_spread_bar(group)}"
            )
    if result.rejected:
        say(
            "\n"
            + ngettext(
                "{n} bot input was rejected (first: {first})",
                "{n} bot inputs were rejected (first: {first})",
                len(result.rejected),
            ).format(n=grouped(len(result.rejected)), first=result.rejected[0])
        )


def _spread_name(group: str) -> str:
    """A spread's group as the summary names it: the group itself is a JSON key, English."""
    if group == "all teams":
        return _("all teams")
    kind, _sep, name = group.partition(" ")
    if kind == "profile":
        return _("profile {name}").format(name=name)
    if kind == "role":
        return _("role {role}").format(role=name)
    if kind == "objective":
        return _("objective {name}").format(name=name)
    return group


def _spread_bar(row: Spread, width: int = 20) -> str:
    """min to max as ``─``, the median as ``┼``, on a 0–100% scale of ``width`` cells."""
    cells = [" "] * (width + 1)
    low, high = round(row.low * width), round(row.high * width)
    for k in range(low, high + 1):
        cells[k] = "─"
    cells[round(row.median * width)] = "┼"
    return "│" + "".join(cells) + "│"
