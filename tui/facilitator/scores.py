"""The live scoreboard: each team's share of points as a bar, its score over exercise time
as a sparkline, its objective ratings, and the exercise's figures.

Everything is read from ``scoring``'s :class:`~scoring.fold.Scoreboard`, the fold the
after-action report uses, so the control room sees during play what the report will say.

Why text bars in a ``DataTable`` rather than a ``ProgressBar`` and a ``Sparkline`` widget
per team: a thousand teams would be thousands of widgets to lay out, while a DataTable
draws only the rows on screen. A row's cells are recomputed only when its team was
rescored (the model keeps that set), ranks are copied once per redraw, and only the cells
that changed are updated; the rows are re-sorted only when a rank moved. While the tab is
hidden nothing is drawn: the set of rescored teams waits for the tab to be shown.
"""

from __future__ import annotations

from functools import lru_cache

from rich.text import Text
from textual.widgets import DataTable, Static
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist

from engine.durations import format_seconds
from engine.grading import status_text
from engine.i18n import N_, _, ngettext
from engine.i18n.forms import grouped
from scoring.fold import Scoreboard
from scoring.results import Status
from tui.console.safe import line
from tui.facilitator.tables import score_text
from tui.model.staff import StaffModel, TeamRow

BAR_WIDTH = 12
SPARK_WIDTH = 16
"""Buckets of exercise time in a sparkline (the scenario's duration split evenly)."""
SPARKS = "▁▂▃▄▅▆▇█"
EIGHTHS = " ▏▎▍▌▋▊▉"
RATING_STYLE = {"P": "bold green", "S": "yellow", "M": "dark_orange", "U": "bold red"}
STATUSES: tuple[Status, ...] = ("met", "partial", "failed", "expired", "pending")


def share_style(share: float) -> str:
    return "green" if share >= 0.75 else "yellow" if share >= 0.5 else "red"


def bar(share: float | None, width: int = BAR_WIDTH) -> Text:
    """A horizontal bar of ``share`` (0…1) in eighths of a cell, then the percentage."""
    if share is None:
        return _bar(-1, -1, width)
    share = min(max(share, 0.0), 1.0)
    return _bar(round(share * width * 8), round(share * 100), width)


@lru_cache(maxsize=4096)
def _bar(eighths: int, percent: int, width: int) -> Text:
    """Bars are few distinct texts (eighths × percent), shared by every row that shows one
    (a DataTable only reads its cells)."""
    if eighths < 0:
        return Text("·" * width + "    —", style="dim", no_wrap=True)
    full, part = divmod(eighths, 8)
    text = Text(no_wrap=True)
    text.append("█" * full + (EIGHTHS[part] if part else ""), style=share_style(percent / 100))
    text.append("·" * (width - full - (1 if part else 0)), style="dim")
    text.append(f" {percent:3d}%")
    return text


def bucket_of(t: int, duration: int, width: int = SPARK_WIDTH) -> int:
    """The sparkline bucket holding exercise time ``t`` (overtime stays in the last one)."""
    if duration <= 0:
        return width - 1
    return min(width - 1, max(0, t * width // duration))


def sparkline(
    steps: list[tuple[int, float]], now: int, duration: int, scale: float, width: int = SPARK_WIDTH
) -> Text:
    """The points at the end of each bucket of exercise time, up to ``now``; later buckets
    are blank. Heights are shares of ``scale`` (the team's maximum so far)."""
    last = bucket_of(now, duration, width)
    heights: list[int] = []
    points, index = 0.0, 0
    for b in range(last + 1):
        end = (b + 1) * duration / width if duration > 0 else float("inf")
        while index < len(steps) and (steps[index][0] < end or b == width - 1):
            points = steps[index][1]
            index += 1
        heights.append(min(max(round(points / scale * 7), 0), 7) if scale > 0 else 0)
    return _spark(tuple(heights), width)


@lru_cache(maxsize=8192)
def _spark(heights: tuple[int, ...], width: int) -> Text:
    text = Text(no_wrap=True)
    for h in heights:
        text.append(SPARKS[h], style="dim" if h <= 0 else "cyan")
    text.append(" " * (width - len(heights)))
    return text


def ratings_text(board: Scoreboard, team: str) -> Text:
    """One letter per objective (scenario order): P/S/M/U, underlined when an evaluator
    rated it, · when nothing is decided yet."""
    return _ratings(tuple((r.rating, r.rated is not None) for r in board.objectives(team).values()))


@lru_cache(maxsize=4096)
def _ratings(ratings: tuple[tuple[str | None, bool], ...]) -> Text:
    text = Text(no_wrap=True)
    for index, (rating, by_evaluator) in enumerate(ratings):
        if index:
            text.append(" ")
        if rating is None:
            text.append("·", style="dim")
        else:
            text.append(rating, style=RATING_STYLE[rating] + (" underline" * by_evaluator))
    return text


@lru_cache(maxsize=1024)
def _count(n: int) -> Text:
    return Text(str(n), style="" if n else "dim")


SCORE_COLUMNS = (
    (N_("Rank"), "rank", 4),
    (N_("Team"), "team", 11),
    (N_("Share of points"), "share", BAR_WIDTH + 5),
    (N_("Score"), "score", 9),
    (N_("Ratings"), "objectives", 9),
    (N_("Score over time"), "trend", SPARK_WIDTH),
    (N_("Met"), "met", 4),
    (N_("Part"), "partial", 4),
    (N_("Fail"), "failed", 4),
    (N_("Exp"), "expired", 4),
    (N_("Pend"), "pending", 4),
    (N_("Resp. med."), "median", 10),
    (N_("Role"), "role", 10),
    (N_("Role #"), "role_rank", 6),
    (N_("Name"), "name", 30),
)
_KEYS = tuple(key for _label, key, _width in SCORE_COLUMNS)
_RANK, _ROLE_RANK = _KEYS.index("rank"), _KEYS.index("role_rank")

Cells = tuple[str | Text, ...]


def score_cells(model: StaffModel, board: Scoreboard, row: TeamRow, now: int) -> Cells:
    """Every cell of a team's scoreboard row but the two ranks (those change for every
    team at once and are copied separately)."""
    total = board.total(row.id)
    times = board.team_times(row.id)
    duration = model.clock.duration or (model.scenario.duration if model.scenario else 0)
    counts = total.counts
    return (
        "",
        row.id,
        bar(total.share),
        score_text(row),
        ratings_text(board, row.id),
        sparkline(row.steps, now, duration, max(row.max_points, row.points)),
        *(_count(counts[s]) for s in STATUSES),
        format_seconds(times.median) if times else "—",
        row.role,
        "",
        line(row.name, limit=200),
    )


class ScoreSummary(Static):
    """The exercise's figures over every team, and what the table below shows."""

    def show(self, model: StaffModel, role: str | None) -> None:
        self.update(summary_text(model, role))


def summary_text(model: StaffModel, role: str | None) -> Text:
    board = model.board
    text = Text()
    if board is None or model.scenario is None:
        text.append(_("Waiting for the exercise…"), style="dim")
        return text
    totals = board.totals()
    n = len(totals) or 1
    mean_points = sum(t.points for t in totals) / n
    shares = [s for s in (t.share for t in totals) if s is not None]
    counts = {s: sum(t.counts[s] for t in totals) for s in STATUSES}
    text.append(
        ngettext("{n} team", "{n} teams", len(totals)).format(n=grouped(len(totals))), style="bold"
    )
    text.append(" · " + _("mean score {points} pts").format(points=f"{mean_points:.1f}"))
    if shares:
        share = round(100 * sum(shares) / len(shares))
        text.append(" " + _("({share} of max)").format(share=f"{share}%"))
    times = board.all_times()
    text.append(" · " + _("median response") + " ")
    text.append(
        f"{format_seconds(times.median)} (p90 {format_seconds(times.p90)})" if times else "—",
        style="bold",
    )
    text.append("\n")
    for status, style in zip(STATUSES, ("green", "yellow", "red", "bold red", "dim"), strict=True):
        text.append(f"{counts[status]} {status_text(status)}", style=style)
        text.append(" · ")
    text.append(
        _("every role") if role is None else _("role {role}").format(role=role), style="bold"
    )
    text.append(" " + _("(g: next)") + "\n")
    text.append(_("Objectives (P/S/M/U):") + " ", style="dim")
    text.append(" · ".join(o.id for o in model.scenario.objectives), style="italic")
    return text


class ScoreTable(DataTable[Text | str]):
    """Teams by rank: share bar, score, sparkline, ratings, result counts, response time."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.role: str | None = None
        """Only this role's teams (None: every team)."""
        self._shown: dict[str, Cells] = {}
        self._order: dict[str, int] = {}
        self._bucket = -1

    def build(self, model: StaffModel) -> None:
        """(Re)make every row for the role shown: on welcome and when the filter changes."""
        self.clear(columns=True)
        for label, key, width in SCORE_COLUMNS:
            if key == "objectives" and model.scenario is not None:
                width = max(width, 2 * len(model.scenario.objectives) - 1)
            shown = _(label)  # a translation longer than the English widens its column
            self.add_column(shown, key=key, width=max(width, len(shown)))
        self._shown = {}
        self._order = {team: index for index, team in enumerate(model.teams)}
        board = model.board
        if board is None:
            return
        model.refresh_ranks()
        now = self._now(model)
        self._bucket = self._bucket_of(model, now)
        ranks, role_ranks = board.ranks(), board.role_ranks()
        for row in model.teams.values():
            if self.role is not None and row.role != self.role:
                continue
            cells = self._with_ranks(score_cells(model, board, row, now), row.id, ranks, role_ranks)
            self._shown[row.id] = cells
            self.add_row(*cells, key=row.id)
        model.rescored.difference_update(self._shown)
        self._sort()

    def refresh_rows(self, model: StaffModel) -> None:
        """Redraw the rows of rescored teams and any rank that moved."""
        board = model.board
        if board is None:
            return
        now = self._now(model)
        bucket = self._bucket_of(model, now)
        if bucket != self._bucket:  # every sparkline grows by one bucket
            self._bucket = bucket
            model.rescored.update(self._shown)
        dirty = model.rescored & self._shown.keys()
        model.rescored.difference_update(dirty)
        ranks, role_ranks = board.ranks(), board.role_ranks()
        moved = False
        for team_id, before in self._shown.items():
            row = model.teams[team_id]
            if team_id in dirty:
                cells = self._with_ranks(
                    score_cells(model, board, row, now), team_id, ranks, role_ranks
                )
            else:
                cells = self._with_ranks(before, team_id, ranks, role_ranks)
            if cells == before:
                continue
            moved = moved or cells[_RANK] != before[_RANK]
            try:
                for index, key in enumerate(_KEYS):
                    if before[index] != cells[index]:
                        self.update_cell(team_id, key, cells[index])
            except (RowDoesNotExist, CellDoesNotExist):
                continue
            self._shown[team_id] = cells
        if moved:
            self._sort()

    def next_role(self, model: StaffModel) -> str | None:
        """Show the next role's teams (after the last role, every team again)."""
        roles = list(dict.fromkeys(row.role for row in model.teams.values()))
        if self.role is None:
            self.role = roles[0] if roles else None
        else:
            index = roles.index(self.role) + 1 if self.role in roles else len(roles)
            self.role = roles[index] if index < len(roles) else None
        self.build(model)
        return self.role

    # ------------------------------------------------------------ helpers

    @staticmethod
    def _with_ranks(
        cells: Cells, team: str, ranks: dict[str, int], role_ranks: dict[str, int]
    ) -> Cells:
        out = list(cells)
        out[_RANK] = str(ranks.get(team, 0) or "—")
        out[_ROLE_RANK] = str(role_ranks.get(team, 0) or "—")
        return tuple(out)

    @staticmethod
    def _now(model: StaffModel) -> int:
        board_now = model.board.now if model.board is not None else 0
        return max(board_now, model.clock.now_ms)

    @staticmethod
    def _bucket_of(model: StaffModel, now: int) -> int:
        duration = model.clock.duration or (model.scenario.duration if model.scenario else 0)
        return bucket_of(now, duration)

    def _sort(self) -> None:
        order = self._order

        def key(cells: tuple[str, str]) -> tuple[int, int]:
            rank, team = cells
            return (int(rank) if rank.isdigit() else 1 << 30, order.get(team, 0))

        self.sort("rank", "team", key=key)
