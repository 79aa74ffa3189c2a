"""``sitroom preview``: a live view of a scenario file for the planner writing it.

Built by :func:`make_preview_app` so tests and the command line build it the
same way. A timer checks the modification time and size of the file and of every
file its ``include:`` names; when they change, a thread worker loads the file and
derives the whole :class:`~engine.scenario.preview.Preview` off the UI thread, then
posts it back as a :class:`Loaded` message. The widgets only render it, keeping
the planner's place (tab, role, selected inject, scroll, folded branches). A broken
file shows its problems beside the last version that loaded, so a half-typed edit
never blanks the screen.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.color import Color, ColorParseError
from textual.containers import Container, HorizontalScroll, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane, Tree

from engine.i18n import N_, _, ngettext
from engine.i18n.forms import grouped
from engine.problems import Problem
from engine.scenario import Scenario, load_file
from engine.scenario.load import LoadResult
from engine.scenario.preview import Preview, build_preview, rows_for_role
from tui.console.keys import translated
from tui.console.safe import SafeApp, line
from tui.console.screens import HelpScreen, binding_rows
from tui.preview.render import (
    DEFAULT_PALETTE,
    Palette,
    detail_text,
    legend,
    load_chart,
    load_note,
    source_text,
    status_text,
)
from tui.preview.widgets import (
    BranchData,
    BranchTree,
    DetailPane,
    LoadTable,
    ProblemTable,
    TimelineTable,
)

Stamp = tuple[int, int] | None
"""A file's (modification time in ns, size), or None when it cannot be read."""


def file_stamp(path: Path) -> Stamp:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


class Loaded(Message):
    """A load of the file, analysed, posted by the loading worker."""

    def __init__(self, preview: Preview, generation: int, seconds: float) -> None:
        super().__init__()
        self.preview = preview
        self.generation = generation
        self.seconds = seconds


class _KeysScreen(Screen[None]):
    """The preview's one screen: its active bindings (what the footer shows) in the
    active language (:mod:`tui.console.keys`)."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return translated(super().active_bindings)


class PreviewApp(SafeApp[None]):
    """Timeline, branches, load and problems of one scenario file, reloaded on save."""

    CSS_PATH = "preview.tcss"
    TITLE = "sitroom preview"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]
    BINDINGS = [
        # English source text, translated where shown (active_bindings, the help screen).
        Binding("1", "tab('timeline')", N_("Timeline")),
        Binding("2", "tab('branches')", N_("Branches")),
        Binding("3", "tab('load')", N_("Load")),
        Binding("4", "tab('problems')", N_("Problems")),
        Binding("r", "role(1)", N_("Next role")),
        Binding("R", "role(-1)", N_("Previous role"), show=False),
        Binding("n", "problem(1)", N_("Next problem")),
        Binding("N", "problem(-1)", N_("Previous problem"), show=False),
        Binding("b", "branches_here", N_("In branches"), show=False),
        Binding("g", "timeline_here", N_("In timeline"), show=False),
        Binding("ctrl+r,f5", "reload", N_("Reload"), show=False),
        Binding("t", "toggle_theme", N_("Light/dark"), show=False),
        Binding("question_mark", "help", N_("Help")),
        Binding("q", "quit", N_("Quit")),
    ]
    HELP_NOTES = N_(
        "The timeline lists every inject at the earliest time it can fire: ≥ when it waits "
        "on an answer, ~ when it has jitter, held when only a controller sends it. Story is "
        "the story's time then, for a scenario with a start (in the details when the "
        "window is too narrow for the column).\n\n"
        "Lanes, one per role: ● fixed time, ○ after an answer, ◆ only if a condition holds, "
        "▲ if no answer by a deadline, ◇ contingency, × addressed but never reached, · not "
        "addressed. Pb: ✗ errors and ! warnings found in that inject.\n\n"
        "Enter on a branch or a problem shows its inject in the timeline; b shows the "
        "selected inject in the branches, g goes back.\n\n"
        "The file is checked for changes every --poll seconds; Ctrl+R reloads now."
    )

    role: reactive[str | None] = reactive(None, init=False)
    """The role whose timeline is shown, or None for every role."""

    def __init__(
        self,
        path: str | Path,
        poll: float = 1.0,
        theme: str | None = None,
        name: str | None = None,
    ) -> None:
        super().__init__()
        self.path = Path(path)
        self.display_name = name or str(path)
        """How problems and the status line name the file (as the planner typed it)."""
        self.poll = poll
        self.preview: Preview | None = None
        self.loads = 0
        """Loads applied so far (the first, then one per reload)."""
        self.last_seconds = 0.0
        """How long the last load and analysis took, in seconds."""
        self._last_good: Scenario | None = None
        self._stamp: tuple[Stamp, ...] = ()
        self._included: list[Path] = []
        """The files the last load's ``include:`` named: an edit to one reloads too."""
        self._generation = 0
        self._applied = -1
        if theme is not None:
            self.theme = theme

    def get_default_screen(self) -> Screen[None]:
        """The app's screen, whose footer says the keys in the active language."""
        return _KeysScreen(id="_default")

    # ----------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        with TabbedContent(initial="timeline", id="tabs"):
            with TabPane(_("Timeline"), id="timeline"), Vertical():
                yield Static(id="timeline-head")
                with Container(id="timeline-pane", classes="split"):
                    yield TimelineTable(id="timeline-table")
                    yield DetailPane(id="timeline-detail")
            with TabPane(_("Branches"), id="branches"), Container(classes="split"):
                yield BranchTree(id="branch-tree")
                yield DetailPane(id="branch-detail")
            with TabPane(_("Load"), id="load"), Vertical():
                with HorizontalScroll(id="chart-scroll"):
                    yield Static(id="load-chart")
                yield Static(id="load-note")
                yield LoadTable(id="load-table")
            with TabPane(_("Problems"), id="problems"), Container(classes="split"):
                yield ProblemTable(id="problem-table")
                yield DetailPane(id="problem-source")
        yield Footer()

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, lambda _theme: self.render_all())
        loading = self.display_name + " · " + _("loading…")
        self.query_one("#status", Static).update(line(loading))
        self.query_one(TimelineTable).focus()
        self.check_file(force=True)
        if self.poll > 0:
            self.set_interval(self.poll, self.check_file)

    @property
    def palette(self) -> Palette:
        """The theme's colours for Rich text (translucent ones laid over the background)."""
        variables = getattr(self, "theme_variables", None) or {}
        background = Color.parse(variables.get("background", "#000000"))
        out = dict(DEFAULT_PALETTE)
        names = {"error": "error", "warning": "warning", "success": "success"}
        names |= {"accent": "accent", "muted": "foreground-muted"}
        for name, variable in names.items():
            if variable in variables:
                with contextlib.suppress(ColorParseError):
                    out[name] = (background + Color.parse(variables[variable])).hex6
        return out

    # ---------------------------------------------------------------- loading

    def check_file(self, force: bool = False) -> bool:
        """Start a load if the file changed since the last one (or ``force``)."""
        stamp = tuple(file_stamp(p) for p in (self.path, *self._included))
        if not force and stamp == self._stamp:
            return False
        self._stamp = stamp
        self._generation += 1
        self.load(self._generation)
        return True

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self, generation: int) -> None:
        started = time.perf_counter()
        result = load_file(self.path, self.display_name)
        try:
            preview = build_preview(result, self._last_good)
        except Exception as exc:  # a preview bug must not hide the file's own problems
            failed = _("the preview failed: {error}").format(error=repr(exc))
            problem = Problem(self.display_name, 0, 0, "", failed)
            problems = [*result.problems, problem]
            broken = LoadResult(result.name, result.text, None, problems, files=result.files)
            preview = build_preview(broken, None)
        self.post_message(Loaded(preview, generation, time.perf_counter() - started))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.generation <= self._applied:
            return  # an older load finishing after a newer one
        self._applied = message.generation
        first = self.preview is None
        self.preview = message.preview
        self.last_seconds = message.seconds
        self.loads += 1
        included = list(message.preview.result.files)
        if included != self._included:  # watch them from now on, as they are now
            self._included = included
            self._stamp = (self._stamp[:1] or (None,)) + tuple(map(file_stamp, included))
        if message.preview.result.scenario is not None:
            self._last_good = message.preview.result.scenario
        roles = {r.id for r in message.preview.roles}
        if self.role is not None and self.role not in roles:
            self.role = None
        self.render_all()
        if first and message.preview.scenario is None:
            self.action_tab("problems")
        if not first:
            self._announce(message.preview)

    def _announce(self, preview: Preview) -> None:
        title = _("Reloaded")
        if preview.errors:
            # English says "error(s)" for any number, as it always has.
            errors = ngettext(
                "{n} error(s) in the file", "{n} error(s) in the file", preview.errors
            )
            self.notify(errors.format(n=grouped(preview.errors)), title=title, severity="error")
        elif preview.warnings:
            warnings = ngettext("{n} warning(s)", "{n} warning(s)", preview.warnings)
            self.notify(
                warnings.format(n=grouped(preview.warnings)), title=title, severity="warning"
            )
        else:
            self.notify(_("The scenario is valid"), title=title, timeout=3)

    # -------------------------------------------------------------- rendering

    def render_all(self) -> None:
        preview = self.preview
        if preview is None:
            return
        palette = self.palette
        self.query_one("#status", Static).update(status_text(preview, self.loads - 1, palette))
        self._render_timeline()
        self.query_one(BranchTree).show(preview, palette)
        self.query_one("#load-chart", Static).update(load_chart(preview, palette))
        self.query_one("#load-note", Static).update(load_note(preview, palette))
        self.query_one(LoadTable).show(preview, palette)
        self.query_one(ProblemTable).show(preview, palette)
        problems = self.query_one("#tabs", TabbedContent).get_tab("problems")
        problems.label = _("Problems ({n})").format(n=grouped(len(preview.problems)))
        self.call_after_refresh(self._render_details)

    def _render_timeline(self, keep: str | None = None) -> None:
        preview = self.preview
        if preview is None:
            return
        palette = self.palette
        # The role (data) is a segment of its own, as the snapshots have always drawn it.
        before, _role, after = _("Timeline of {role}").partition("{role}")
        head = Text(before, style="bold")
        head.append(self.role or _("every role"), style="bold")
        if after:
            head.append(after, style="bold")
        head.append("   ")
        head.append_text(legend(palette))
        self.query_one("#timeline-head", Static).update(head)
        rows = rows_for_role(preview, self.role)
        self.query_one(TimelineTable).show(preview, rows, palette, keep)

    def _render_details(self) -> None:
        preview = self.preview
        if preview is None:
            return
        palette = self.palette
        inject = self.query_one(TimelineTable).current_key
        self.query_one("#timeline-detail", DetailPane).show(
            inject, detail_text(preview, inject, palette)
        )
        branch = self.query_one(BranchTree).current_inject
        self.query_one("#branch-detail", DetailPane).show(
            branch, detail_text(preview, branch, palette)
        )
        row = self.query_one(ProblemTable).current(preview)
        self.query_one("#problem-source", DetailPane).show(
            self.query_one(ProblemTable).current_key,
            source_text(preview, row.problem if row else None, palette),
        )

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self.render_all)

    def watch_role(self, role: str | None) -> None:
        self._render_timeline()
        self.call_after_refresh(self._render_details)

    @on(DataTable.RowHighlighted)
    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Message) -> None:
        self._render_details()

    @on(Tree.NodeSelected, "#branch-tree")
    def _branch_chosen(self, event: Tree.NodeSelected[BranchData]) -> None:
        if event.node.data is not None and not event.node.allow_expand:
            self.show_in_timeline(event.node.data.inject)

    @on(DataTable.RowSelected, "#problem-table")
    def _problem_chosen(self, event: DataTable.RowSelected) -> None:
        if self.preview is None:
            return
        row = self.query_one(ProblemTable).current(self.preview)
        if row is not None and row.inject is not None:
            self.show_in_timeline(row.inject)

    # ---------------------------------------------------------------- actions

    def show_in_timeline(self, inject: str) -> None:
        """Switch to the timeline with ``inject`` selected (every role, if the filtered
        role does not receive it)."""
        self.query_one("#tabs", TabbedContent).active = "timeline"
        table = self.query_one(TimelineTable)
        if not table.select_key(inject):
            self.role = None
            self._render_timeline(keep=inject)
        table.focus()

    def action_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab
        focus = {
            "timeline": TimelineTable,
            "branches": BranchTree,
            "load": LoadTable,
            "problems": ProblemTable,
        }[tab]
        self.query_one(focus).focus()

    def action_role(self, step: int) -> None:
        if self.preview is None or not self.preview.roles:
            return
        order: list[str | None] = [None, *(r.id for r in self.preview.roles)]
        here = order.index(self.role) if self.role in order else 0
        self.role = order[(here + step) % len(order)]
        self.query_one("#tabs", TabbedContent).active = "timeline"

    def action_problem(self, step: int) -> None:
        """Select the next (or previous) inject with a problem, in timeline order."""
        if self.preview is None:
            return
        if not self.preview.by_inject:
            if self.preview.problems:
                self.action_tab("problems")
            return
        rows = [r.inject for r in rows_for_role(self.preview, None) if r.errors or r.warnings]
        if not rows:
            self.action_tab("problems")
            return
        current = self.query_one(TimelineTable).current_key
        order = [r.inject for r in self.preview.rows]
        here = order.index(current) if current in order else -1
        after = [i for i in rows if (order.index(i) - here) * step > 0]
        after.sort(key=lambda i: order.index(i) * step)
        self.show_in_timeline(after[0] if after else rows[0 if step > 0 else -1])

    def action_branches_here(self) -> None:
        inject = self.query_one(TimelineTable).current_key
        self.action_tab("branches")
        if inject is not None and not self.query_one(BranchTree).select_inject(inject):
            self.notify(_("{inject} is not part of any branch").format(inject=inject), timeout=3)

    def action_timeline_here(self) -> None:
        tabs = self.query_one("#tabs", TabbedContent)
        inject: str | None = None
        if tabs.active == "branches":
            inject = self.query_one(BranchTree).current_inject
        elif tabs.active == "problems" and self.preview is not None:
            row = self.query_one(ProblemTable).current(self.preview)
            inject = row.inject if row is not None else None
        if inject is not None:
            self.show_in_timeline(inject)

    def action_reload(self) -> None:
        self.check_file(force=True)

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme != "textual-light" else "textual-dark"

    def action_help(self) -> None:
        self.push_screen(
            HelpScreen(_("Preview: keys"), binding_rows(self.BINDINGS), _(self.HELP_NOTES))
        )


def make_preview_app(
    path: str | Path, poll: float = 1.0, theme: str | None = None, name: str | None = None
) -> PreviewApp:
    """The preview app, as the command line and the tests build it.

    ``poll`` is seconds between checks of the file (0: only on Ctrl+R); ``name`` is
    how the file is shown (default: ``path`` as given)."""
    return PreviewApp(path, poll=poll, theme=theme, name=name)
