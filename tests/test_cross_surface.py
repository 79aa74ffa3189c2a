"""Every screen agrees with the after-action report, figure by figure.

An exercise is played through the server's own code in memory (:class:`FakeServer`:
the engine, command admission, the shaper and fan-out), with bot teams whose
members answer over their own team links and an evaluator grading over the
evaluator's link. Then each console model is fed exactly what its seat received:

* the facilitator's and the evaluator's :class:`StaffModel` (MSEL cells, team grid
  points and ranks, the Scores tab's counts and ratings, the evaluator's
  automatic and final figures);
* every team's :class:`TeamModel` (its results and what it completed);

and every figure is compared with the after-action report built from the log
(written to SQLite and read back, as ``sitroom report`` reads it).

The library scenarios run with several seeds and bot profiles, with and without
rosters naming several members per team (whole-team answers); generated
scenarios (hypothesis) cover combinations the library does not.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import commands as c
from engine.bots import PROFILES, BotTeams, Planned, facilitate
from engine.eventlog import EventLog
from engine.events import Ended
from engine.net.fake import FakeLink, FakeServer
from engine.net.protocol import Ack, EventMsg, Welcome
from engine.roster import Roster, roster_from_counts
from engine.scenario import load_bytes, load_file
from engine.scenario.load import LoadResult, scenario_hash
from scoring.report.build import report_of_log
from scoring.report.model import Report, ResultRow
from scoring.source import read_log
from tui.evaluator.review import review_items
from tui.model.staff import StaffModel
from tui.model.team import TeamModel

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = sorted((ROOT / "scenarios").glob("*.yaml"))
MEMBERS = ("ana", "ben", "chloe")
EVALUATOR = "lead"
_LOGS = itertools.count()


@dataclass
class Played:
    server: FakeServer
    text: str
    """The scenario's text (what the log stores)."""
    facilitator: FakeLink
    evaluator: FakeLink
    teams: dict[str, FakeLink]
    """One watching member per team (a member who never answers)."""


def _roster(loaded: LoadResult, per_role: int, members: bool) -> Roster:
    roster = roster_from_counts(loaded.require(), per_role)
    if not members:
        return roster
    return Roster(tuple(replace(seat, members=MEMBERS) for seat in roster.teams))


def play(loaded: LoadResult, roster: Roster, seed: int, profile: str) -> Played:
    """Play the whole exercise: bots react to what the engine publishes, and act over
    their seats' links at the times they planned."""
    server = FakeServer(loaded, roster, seed, wall=lambda: 0.0)
    facilitator = server.link("facilitator:control")
    evaluator = server.link(f"evaluator:{EVALUATOR}")
    named = {seat.id: seat.members for seat in roster.teams if seat.members}
    watchers = {
        seat.id: server.link(f"team:{seat.id}", seat.members[0] if seat.members else "watcher")
        for seat in roster.teams
    }
    bots = BotTeams(
        server.scenario,
        seed,
        {seat.id: PROFILES[profile] for seat in roster.teams},
        members=named,
    )
    links: dict[tuple[str, str], FakeLink] = {}
    planned: list[tuple[int, int, Planned]] = []
    order = 0
    seen = 0

    def react() -> None:
        nonlocal order, seen
        for event in server.events[seen:]:
            for plan in [*bots.react(event), *facilitate(event)]:
                heapq.heappush(planned, (plan.t, order, plan))
                order += 1
        seen = len(server.events)

    def act(cmd: c.AnyCommand) -> None:
        if isinstance(cmd, c.Grade):
            link, cmd = evaluator, cmd.model_copy(update={"evaluator": EVALUATOR})
        elif isinstance(cmd, c.Respond | c.Open):
            key = (cmd.team, cmd.member)
            if key not in links:
                links[key] = server.link(f"team:{cmd.team}", cmd.member)
            link = links[key]
        else:
            link = facilitator
        answer = server.command(link, cmd, f"m{order}-{len(server.events)}")
        assert isinstance(answer, Ack) or answer.code == "rejected", answer

    act(c.Start())
    react()
    ex = server.exercise
    while not ex.ended:
        t_env, t_bot = ex.next_event_time(), planned[0][0] if planned else None
        if t_env is not None and (t_bot is None or t_env <= t_bot):
            server.advance_to(t_env)
        elif t_bot is not None:
            _, _, plan = heapq.heappop(planned)
            if plan.t > ex.now:
                server.advance_to(plan.t)
            if not ex.ended:
                act(plan.cmd)
        else:
            act(c.End(reason="nothing left to play"))
        react()
    for _t, _o, plan in sorted(planned):
        if isinstance(plan.cmd, c.Grade):
            act(plan.cmd)
    return Played(server, loaded.text, facilitator, evaluator, watchers)


def report_of(played: Played, tmp: Path) -> Report:
    """The after-action report of the exercise's log, written and read back as a file."""
    server = played.server
    text = played.text
    db = tmp / f"exercise-{next(_LOGS)}.db"
    with EventLog.create(
        db,
        scenario_text=text,
        scenario_sha256=scenario_hash(text),
        scenario_name="exercise",
        seed=server.exercise.seed,
        roster=server.roster,
    ) as log:
        log.append(server.events, own_wall=True)
    return report_of_log(read_log(db))


def _feed(model: StaffModel | TeamModel, link: FakeLink) -> None:
    """Give a console model every message its seat received, as the console does."""
    for msg in link.drain():
        if isinstance(msg, Welcome):
            model.welcome(msg)
        elif isinstance(msg, EventMsg):
            model.receive(msg)


def staff_model(link: FakeLink) -> StaffModel:
    model = StaffModel()
    _feed(model, link)
    model.refresh_ranks()
    return model


def team_model(link: FakeLink) -> TeamModel:
    model = TeamModel()
    _feed(model, link)
    return model


def msel_state(rows: list[ResultRow]) -> str:
    """The control room's cell for a delivered inject, from the report's results."""
    if rows and all(r.completed_at is not None for r in rows):
        return "answered"
    if any(r.missed_at is not None for r in rows):
        return "overdue"
    return "delivered"


def check_agreement(played: Played, report: Report) -> int:
    """Compare every console figure with the report's; returns how many were compared."""
    compared = 0
    scenario = played.server.scenario
    facilitator = staff_model(played.facilitator)
    evaluator = staff_model(played.evaluator)
    assert facilitator.board is not None and evaluator.board is not None
    ended = next(e.t for e in played.server.events if isinstance(e.body, Ended))
    for card in report.teams:
        results = {r.ref: r for r in card.results}
        # the facilitator's team grid: points, maximum, rank
        row = facilitator.teams[card.id]
        assert (row.points, row.max_points, row.rank) == (card.points, card.max_points, card.rank)
        # the Scores tab: counts per status, role rank, objective ratings
        board = facilitator.board
        assert board.total(card.id).counts == card.counts, card.id
        assert board.role_ranks()[card.id] == card.role_rank
        for cell in card.objectives:
            rated = board.objective(card.id, cell.objective)
            assert (rated.rating, rated.share) == (cell.rating, cell.share), (
                card.id,
                cell.objective,
            )
            compared += 1
        # the evaluator console: automatic figure, figure that counts, status, grades
        items = {item.ref: item for item in review_items(evaluator, card.id)}
        assert set(items) == set(results), card.id
        for ref, item in items.items():
            r = results[ref]
            seen = item.result
            assert (seen.auto_points, seen.points, seen.status) == (
                r.auto_points,
                r.points,
                r.status,
            ), (card.id, ref)
            assert item.grades == {g.evaluator: g.points for g in r.grades}, (card.id, ref)
            compared += 3
        # the MSEL: each inject's cell for this team
        by_inject: dict[str, list[ResultRow]] = {}
        for r in card.results:
            by_inject.setdefault(r.ref.partition(".")[0], []).append(r)
        for inject_id, rows in by_inject.items():
            assert facilitator.cells[inject_id][card.id] == msel_state(rows), (card.id, inject_id)
            compared += 1
        # the team's own console: completion, deadlines and (when shown) results
        team = team_model(played.teams[card.id])
        for ref, r in results.items():
            mine = team.expectation(ref)
            assert mine is not None, (card.id, ref)
            assert mine.answered_at == r.completed_at, (card.id, ref)
            assert mine.expired == (r.missed_at is not None), (card.id, ref)
            status = mine.status(ended)
            if r.completed_at is not None:
                late = r.due_at is not None and r.completed_at > r.due_at
                assert status == ("late" if late else "answered"), (card.id, ref)
            elif r.missed_at is not None:
                assert status == "expired", (card.id, ref)
            if scenario.settings.show_results and mine.result is not None:
                assert (mine.result.points or 0.0) == r.points, (card.id, ref)
                assert mine.result.status == (r.status if r.status != "expired" else "pending")
            elif scenario.settings.show_results:
                assert r.auto_points is None and r.override is None, (card.id, ref)
            compared += 3
        if scenario.settings.show_results:
            assert team.score()[0] == card.points, card.id
    # per inject: the MSEL's counts of delivered and skipped teams
    for inject in report.injects:
        summary = facilitator.msel_summary(inject.id)
        reached = sum(summary.get(s, 0) for s in ("delivered", "answered", "overdue"))
        assert (reached, summary.get("skipped", 0)) == (inject.delivered, inject.skipped), inject.id
        compared += 2
    return compared


CASES = [
    pytest.param(path, seed, profile, members, id=f"{path.stem}-{profile}-{seed}-{tag}")
    for path in LIBRARY
    for seed, profile, members, tag in (
        (3, "slow", False, "joined"),
        (11, "erratic", True, "roster"),
    )
] + [
    pytest.param(
        ROOT / "tests" / "scoring" / "fixture.yaml", seed, profile, True, id=f"fixture-{profile}"
    )
    for seed, profile in ((1, "slow"), (5, "erratic"), (9, "diligent"))
]


@pytest.mark.parametrize(("path", "seed", "profile", "members"), CASES)
def test_every_surface_shows_the_report_figures(
    path: Path, seed: int, profile: str, members: bool, tmp_path: Path
) -> None:
    loaded = load_file(path)
    played = play(loaded, _roster(loaded, 2, members), seed, profile)
    report = report_of(played, tmp_path)
    assert check_agreement(played, report) > 0


# ------------------------------------------------------------------ generated scenarios

_TIMELINESS = (
    "{late: full}",
    "{late: fail}",
    "{late: decay, floor: 0.25, over: 20m}",
    "{late: steps, floor: 0.2, steps: [{after: 5m, factor: 0.5}]}",
)


@st.composite
def scenarios(draw: st.DrawFn) -> str:
    """A small valid scenario: two roles, injects of every expectation kind, deadlines
    and timeliness rules, whole-team answers, branches on answers and on "met"."""
    lines = [
        "id: generated",
        "title: Generated",
        "duration: 3h",
        f"seed: {draw(st.integers(0, 999))}",
        "settings:",
        f"  show_results: {str(draw(st.booleans())).lower()}",
        f"  grade_rule: {draw(st.sampled_from(['mean', 'latest', 'lead']))}",
        "objectives:",
        "  - {id: obj, title: Objective, capability: Operational coordination}",
        "teams:",
        "  - {id: red, name: Red}",
        "  - {id: blue, name: Blue}",
        "actors:",
        "  - {id: x, name: Actor X}",
        "injects:",
    ]
    count = draw(st.integers(1, 5))
    refs: list[tuple[str, str, str, bool]] = []
    """(ref, kind, audience, whether its inject comes early enough to branch on)."""
    for i in range(count):
        inject = f"I{i}"
        to = draw(st.sampled_from(["all", "[red]", "[blue]"]))
        early = [(ref, kind) for ref, kind, where, soon in refs if where in ("all", to) and soon]
        follows = draw(st.sampled_from(early)) if len(early) > 0 and draw(st.booleans()) else None
        branch = draw(st.sampled_from(early)) if len(early) > 0 and draw(st.booleans()) else None
        if follows is not None:
            trigger = f"after: {{response: {follows[0]}, delay: {draw(st.integers(1, 9))}m}}"
            branch = follows if branch is not None else None
        elif branch is not None:  # late enough for the answers it tests to have come
            trigger = f"at: {draw(st.integers(100, 110))}m"
        else:
            trigger = f"at: {draw(st.integers(0, 40))}m"
        lines += [f"  - id: {inject}", f"    {trigger}", f"    to: {to}", "    from: x"]
        lines += ["    channel: email", f"    title: Inject {i}"]
        if branch is not None:
            test = "met: true" if branch[1] != "manual" else "answered: true"
            lines.append(f"    when: {{expectation: {branch[0]}, {test}}}")
        lines.append("    expects:")
        for j in range(draw(st.integers(1, 3))):
            kind = draw(st.sampled_from(["decision", "checklist", "text", "manual"]))
            exp = f"e{j}"
            lines.append(f"      - id: {exp}")
            lines.append(f"        kind: {kind}")
            lines.append("        objective: obj")
            if draw(st.booleans()):
                lines.append(f"        due: {draw(st.integers(1, 30))}m")
                lines.append(f"        timeliness: {draw(st.sampled_from(_TIMELINESS))}")
            if kind != "manual" and draw(st.booleans()):
                lines.append("        answer_by: all")
            lines.append(f"        pass_mark: {draw(st.sampled_from([0.5, 0.8, 1.0]))}")
            if kind == "decision":
                points = [draw(st.integers(1, 10)), *draw(st.lists(st.integers(0, 10), min_size=1))]
                lines.append("        options:")
                for k, value in enumerate(points):
                    lines.append(f"          - {{id: o{k}, label: Option {k}, points: {value}}}")
            elif kind == "checklist":
                points = [draw(st.integers(1, 6)), *draw(st.lists(st.integers(-3, 6), max_size=3))]
                lines.append("        items:")
                for k, value in enumerate(points):
                    lines.append(f"          - {{id: i{k}, label: Item {k}, points: {value}}}")
            elif kind == "text":
                lines += ["        points: 10", "        required: [grid, fake]"]
                lines.append("        forbidden: [no comment]")
                lines.append(f"        min_words: {draw(st.integers(0, 8))}")
            else:
                lines.append(f"        max_points: {draw(st.integers(1, 10))}")
            refs.append((f"{inject}.{exp}", kind, to, branch is None))
    return "\n".join(lines) + "\n"


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    text=scenarios(),
    seed=st.integers(0, 50),
    profile=st.sampled_from(["diligent", "slow", "erratic"]),
    members=st.booleans(),
)
def test_generated_scenarios_agree_on_every_surface(
    text: str, seed: int, profile: str, members: bool, tmp_path: Path
) -> None:
    loaded = load_bytes(text, "generated.yaml")
    assert loaded.ok, "\n".join(p.format() for p in loaded.problems)
    played = play(loaded, _roster(loaded, 2, members), seed, profile)
    assert check_agreement(played, report_of(played, tmp_path)) > 0
