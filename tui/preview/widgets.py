"""The preview's widgets. Each renders a slice of a :class:`~engine.scenario.preview.Preview`
and keeps the planner's place (the selected inject, the scroll, folded branches)
when a reload hands it a new one; none of them computes anything about the scenario.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static, Tree
from textual.widgets.data_table import CellDoesNotExist
from textual.widgets.tree import TreeNode

from engine.durations import format_at, format_duration
from engine.i18n import N_, _
from engine.scenario.branches import dead_options, edges_from
from engine.scenario.modules import Talk, discussion_line
from engine.scenario.preview import Preview, ProblemRow, TimelineRow, talk_key
from tui.console.safe import line, visible
from tui.preview.render import (
    Palette,
    cell_count,
    colour,
    flags_text,
    kind_word,
    mark_glyph,
    problem_badge,
    severity_glyph,
)


def _cursor_key(table: DataTable[Text | str]) -> str | None:
    if not table.row_count:
        return None
    try:
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
    except CellDoesNotExist:
        return None
    return key.value


class KeptPlaceTable(DataTable[Text | str]):
    """A row table that, refilled, puts the cursor back on the same key (or the same
    row number when that key is gone) and the view back where it was."""

    BINDINGS = [
        Binding("home", "scroll_top", N_("First row"), show=False),
        Binding("end", "scroll_bottom", N_("Last row"), show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row")

    @property
    def current_key(self) -> str | None:
        return _cursor_key(self)

    def refill(
        self,
        columns: list[tuple[str | Text, str, int | None]],
        rows: list[tuple[str, list[Text | str]]],
        keep: str | None = None,
    ) -> None:
        """Replace every column and row. A column of width 0 takes the room the others
        leave, so a long title is cut at the edge instead of scrolling sideways."""
        key = keep if keep is not None else self.current_key
        row_index, scroll_y, scroll_x = self.cursor_row, self.scroll_y, self.scroll_x
        self.clear(columns=True)
        for label, column_key, width in columns:
            if width == 0:
                width = self._room(columns, rows)
            self.add_column(label, key=column_key, width=width)
        keys = []
        for row_key, cells in rows:
            self.add_row(*cells, key=row_key)
            keys.append(row_key)
        if not keys:
            return
        target = keys.index(key) if key in keys else min(row_index, len(keys) - 1)
        self.move_cursor(row=target, scroll=False)

        def restore() -> None:
            self.scroll_to(x=scroll_x, y=scroll_y, animate=False, immediate=True)
            self.move_cursor(row=target)

        self.call_after_refresh(restore)

    def _room(
        self,
        columns: list[tuple[str | Text, str, int | None]],
        rows: list[tuple[str, list[Text | str]]],
    ) -> int:
        used = 0
        for k, (label, _key, width) in enumerate(columns):
            if width == 0:
                continue
            if width is None:
                cells = [Text(label) if isinstance(label, str) else label]
                cells += [
                    Text(c) if isinstance(c, str) else c
                    for _row_key, r in rows
                    for c in r[k : k + 1]
                ]
                width = max(c.cell_len for c in cells)
            used += width + 2 * self.cell_padding
        total = self.size.width or self.app.size.width
        return max(16, total - used - 2 * self.cell_padding - self.styles.scrollbar_size_vertical)

    def select_key(self, key: str) -> bool:
        try:
            index = self.get_row_index(key)
        except Exception:  # RowDoesNotExist: not in this view (another role's inject)
            return False
        self.move_cursor(row=index)
        return True


class TimelineTable(KeptPlaceTable):
    """The MSEL: time, id, problems, one lane per role, marks, title.

    ``chosen`` is the inject the planner last moved to. Filtering by a role that does
    not receive it moves the cursor to the next inject in time, but ``chosen`` stays,
    so going back to every role returns to it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.chosen: str | None = None

    def _remember(self) -> None:
        self.chosen = self.current_key

    def action_cursor_up(self) -> None:
        super().action_cursor_up()
        self._remember()

    def action_cursor_down(self) -> None:
        super().action_cursor_down()
        self._remember()

    def action_page_up(self) -> None:
        super().action_page_up()
        self._remember()

    def action_page_down(self) -> None:
        super().action_page_down()
        self._remember()

    def action_scroll_top(self) -> None:
        super().action_scroll_top()
        self._remember()

    def action_scroll_bottom(self) -> None:
        super().action_scroll_bottom()
        self._remember()

    def on_click(self) -> None:
        self.call_after_refresh(self._remember)

    def select_key(self, key: str) -> bool:
        found = super().select_key(key)
        if found:
            self.chosen = key
        return found

    def show(
        self,
        preview: Preview,
        rows: tuple[TimelineRow, ...],
        palette: Palette,
        keep: str | None = None,
    ) -> None:
        if keep is not None:
            self.chosen = keep
        keep = nearest(preview, rows, self.chosen or self.current_key)
        muted = colour(palette, "muted")
        story = preview.clock is not None and self.story_fits(preview)
        columns: list[tuple[str | Text, str, int | None]] = [(_("Time"), "time", None)]
        if story:  # the story's time beside the exercise time, for a scenario with a start
            columns.append((_("Story"), "story", None))
        columns += [(_("Id"), "id", None), (_("Pb"), "problems", 3)]
        columns += [(role.short, f"lane:{role.id}", None) for role in preview.roles]
        columns += [("", "marks", 3), (_("Title"), "title", 0)]
        body: list[tuple[str, list[Text | str]]] = []
        talks = list(preview.talks)
        for row in rows:
            while talks and (row.time is None or talks[0].at < row.time):
                body.append(_talk_row(preview, talks.pop(0), muted, story))
            time_style = muted if row.time is None or row.mark == "never" else ""
            cells: list[Text | str] = [Text(row.time_label, style=time_style, justify="right")]
            if story:
                cells.append(Text(row.story, style=muted, justify="right"))
            cells += [
                Text(row.inject, style="bold"),
                problem_badge(row.errors, row.warnings, palette),
            ]
            for role, lane in zip(preview.roles, row.lanes, strict=True):
                if lane:
                    cells.append(mark_glyph(row.mark, palette))
                elif role.id in row.addressed:
                    cells.append(Text("×", style=muted))
                else:
                    cells.append(Text("·", style=muted))
            cells.append(flags_text(row, palette))
            title = row.title + (f" → {row.to_label}" if row.names_teams else "")
            cells.append(line(title, muted if row.mark == "never" else "", limit=300))
            body.append((row.inject, cells))
        body.extend(_talk_row(preview, talk, muted, story) for talk in talks)
        self.refill(columns, body, keep)

    def story_fits(self, preview: Preview) -> bool:
        """Whether a story column leaves the titles room to be read (``STORY_TITLE``
        cells); when it does not (80 columns and five roles), the detail pane alone
        gives the story's time, beside the selected inject's time."""
        ids = max((len(r.inject) for r in preview.rows), default=2)
        cells = [6, STORY_CELLS, ids, 3, *(3 for _role in preview.roles), 3]
        used = sum(c + 2 * self.cell_padding for c in cells) + 2 * self.cell_padding
        total = self.size.width or self.app.size.width
        return total - used - self.styles.scrollbar_size_vertical >= STORY_TITLE


STORY_CELLS = len("≥Tue 09:42")
STORY_TITLE = 24
"""Title cells the timeline keeps before it gives a column to the story's time."""


def _talk_row(
    preview: Preview, talk: Talk, muted: str, story: bool
) -> tuple[str, list[Text | str]]:
    """A module's discussion in the timeline: every role pauses there (``‖``)."""
    cells: list[Text | str] = [Text(format_at(talk.at), style="bold", justify="right")]
    if story:
        cells.append(Text(preview.talk_story(talk), style=muted, justify="right"))
    cells += [Text("‖", style="bold"), ""]
    cells += [Text("‖", style=muted) for _role in preview.roles]
    cells += ["", line(discussion_line(talk), "italic", limit=300)]
    return talk_key(talk), cells


def nearest(preview: Preview, rows: tuple[TimelineRow, ...], inject: str | None) -> str | None:
    """``inject`` if it is among ``rows``, else the next of ``rows`` in timeline order."""
    if inject is None or not rows:
        return None
    shown = [r.inject for r in rows]
    if inject in shown:
        return inject
    order = {r.inject: k for k, r in enumerate(preview.rows)}
    if inject not in order:
        return None
    here = order[inject]
    later = [i for i in shown if order.get(i, -1) >= here]
    return later[0] if later else shown[-1]


class DetailPane(VerticalScroll):
    """Scrollable text about the selected item; back to the top when the item changes."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._item: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(id=f"{self.id}-text" if self.id else None, classes="detail-text")

    def show(self, item: str | None, text: Text) -> None:
        self.query_one(".detail-text", Static).update(text)
        if item != self._item:
            self.scroll_home(animate=False)
        self._item = item


@dataclass(frozen=True, slots=True)
class BranchData:
    key: str
    """Stable across reloads (``I-01``, ``I-01.first-move``, ``I-01.first-move>I-03``)."""
    inject: str
    """The inject to show beside it: the source for a decision, the target for an edge."""


class BranchTree(Tree[BranchData]):
    """Decision points and where each outcome leads; injects only a controller sends."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(_("Branches"), id=id)
        self.show_root = False
        self.guide_depth = 3
        self._by_key: dict[str, TreeNode[BranchData]] = {}

    @property
    def current_inject(self) -> str | None:
        node = self.cursor_node
        return node.data.inject if node is not None and node.data is not None else None

    def show(self, preview: Preview, palette: Palette, keep: str | None = None) -> None:
        node = self.cursor_node
        key = keep or (node.data.key if node is not None and node.data is not None else None)
        line = self.cursor_line
        folded = {k for k, n in self._by_key.items() if n.allow_expand and not n.is_expanded}
        self.clear()
        self._by_key = {}
        self._fill(preview, palette)
        for k, n in self._by_key.items():
            if n.allow_expand and k not in folded:
                n.expand()
        self.call_after_refresh(self._restore, key, line)

    def _restore(self, key: str | None, line: int) -> None:
        node = self._by_key.get(key) if key else None
        if node is not None:
            self.move_cursor(node)
        elif self.last_line >= 0:
            self.move_cursor_to_line(max(0, min(line, self.last_line)))

    def select_inject(self, inject: str) -> bool:
        """Put the cursor on the inject's own node, or on an edge that leads to it."""
        node = self._by_key.get(inject) or next(
            (n for k, n in self._by_key.items() if k.endswith(f">{inject}")), None
        )
        if node is None:
            return False
        parent = node.parent
        while parent is not None:
            parent.expand()
            parent = parent.parent
        self.call_after_refresh(self.move_cursor, node)
        return True

    def _add(
        self, parent: TreeNode[BranchData], label: Text, data: BranchData, leaf: bool
    ) -> TreeNode[BranchData]:
        node = parent.add_leaf(label, data) if leaf else parent.add(label, data)
        self._by_key[data.key] = node
        return node

    def _fill(self, preview: Preview, palette: Palette) -> None:
        sc = preview.scenario
        if sc is None:
            self.root.add_leaf(Text(_("Nothing to show until the file loads."), style="italic"))
            return
        edges = list(preview.edges)
        dead = dead_options(sc, edges)
        muted = colour(palette, "muted")
        for row in preview.rows:
            outgoing = edges_from(edges, row.inject)
            if not outgoing:
                continue
            label = Text(f"{row.inject} ", style="bold")
            label.append(f"{row.time_label} ", style=muted)
            label.append(visible(row.title, one_line=True))
            top = self._add(self.root, label, BranchData(row.inject, row.inject), leaf=False)
            groups: dict[str | None, list[int]] = {}
            for k, edge in enumerate(outgoing):
                groups.setdefault(edge.expectation, []).append(k)
            for ref, indexes in groups.items():
                if ref is None:
                    parent = top
                else:
                    exp = sc.expectation_by_ref[ref][1] if ref in sc.expectation_by_ref else None
                    text = Text(ref.partition(".")[2], style="bold")
                    if exp is not None:
                        text.append(f" · {kind_word(exp.kind)}", style=muted)
                        if exp.due is not None:
                            due = _("due {delay}").format(delay=format_duration(exp.due))
                            text.append(f" · {due}", style=muted)
                    parent = self._add(top, text, BranchData(ref, row.inject), leaf=False)
                for k in indexes:
                    edge = outgoing[k]
                    target = preview.row(edge.target)
                    text = Text()
                    if target is not None:
                        text.append_text(mark_glyph(target.mark, palette))
                        text.append(" ")
                    text.append(f"{edge.outcome} → ")
                    text.append(edge.target, style="bold")
                    if target is not None:
                        text.append(f" {visible(target.title, one_line=True)}")
                    text.append(f" · {edge.timing}", style=muted)
                    if edge.compound:
                        text.append(" · " + _("with other tests"), style=muted)
                    key = f"{edge.expectation or edge.source}>{edge.target}"
                    self._add(parent, text, BranchData(key, edge.target), leaf=True)
                for option in dead.get(ref or "", []):
                    dead_end = _("chose {option} → no branch (play goes on)")
                    text = Text(dead_end.format(option=option), style=muted)
                    self._add(parent, text, BranchData(f"{ref}:{option}", row.inject), leaf=True)
        if preview.held:
            held = self._add(
                self.root,
                Text(_("Held for the control room (released by a controller)"), style="bold"),
                BranchData("held", preview.held[0]),
                leaf=False,
            )
            for inject in preview.held:
                target = preview.row(inject)
                text = mark_glyph("contingency", palette)
                text.append(f" {inject}", style="bold")
                if target is not None:
                    text.append(f" {visible(target.title, one_line=True)}")
                self._add(held, text, BranchData(f"held>{inject}", inject), leaf=True)


class LoadTable(KeptPlaceTable):
    """Injects per role per quarter hour: ``n`` every team gets, ``n+m`` with branches."""

    def show(self, preview: Preview, palette: Palette) -> None:
        load = preview.load
        if load is None:
            self.refill([(_("Role"), "role", None)], [])
            return
        sc = preview.scenario
        limit = sc.settings.flood_threshold if sc is not None else 8
        columns: list[tuple[str | Text, str, int | None]] = [(_("Role"), "role", None)]
        columns += [(format_at(start), f"q{k}", None) for k, start in enumerate(load.starts)]
        body: list[tuple[str, list[Text | str]]] = []
        for role in preview.roles:
            cells: list[Text | str] = [Text(role.id, style="bold")]
            for k in range(len(load.starts)):
                fixed, branch = load.fixed[role.id][k], load.branch[role.id][k]
                style = ""
                if fixed + branch > limit:
                    style = f"bold {colour(palette, 'error')}"
                elif not fixed + branch:
                    style = colour(palette, "muted")
                cells.append(Text(cell_count(fixed, branch), style=style, justify="right"))
            body.append((role.id, cells))
        self.refill(columns, body)


class ProblemTable(KeptPlaceTable):
    """Every problem of the file, in file order, with the inject it is inside."""

    def show(self, preview: Preview, palette: Palette) -> None:
        problems = preview.problems
        columns: list[tuple[str | Text, str, int | None]] = [
            # As wide as the longer of "✗ error" and "! warning" in the reader's language.
            ("", "severity", max(9, 2 + len(_("error")), 2 + len(_("warning")))),
            (_("Line"), "line", None),
            (_("Inject"), "inject", None),
            (_("Problem"), "message", 0),
        ]
        body: list[tuple[str, list[Text | str]]] = []
        for k, row in enumerate(problems):
            p = row.problem
            message = line(f"{p.path}: {p.message}" if p.path else p.message, limit=500)
            body.append(
                (
                    str(k),
                    [
                        severity_glyph(p, palette),
                        f"{p.line}:{p.column}",
                        line(row.inject or "", "bold"),
                        message,
                    ],
                )
            )
        self.refill(columns, body)

    def current(self, preview: Preview) -> ProblemRow | None:
        key = self.current_key
        if key is None or not key.isdigit() or int(key) >= len(preview.problems):
            return None
        return preview.problems[int(key)]
