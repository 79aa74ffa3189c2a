"""The evaluator console: pick a team; see what it got and did; grade, rate, observe.

Evaluators observe and record; they do not talk to players. Everything they
write goes to the log and into the after-action report.
"""

from __future__ import annotations

from typing import Literal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import (
    Button,
    Footer,
    Input,
    Label,
    OptionList,
    RadioButton,
    RadioSet,
    Select,
    Static,
    TabbedContent,
    TabPane,
)
from textual.widgets.option_list import Option

from engine import commands as c
from engine.commands import AnyCommand
from engine.i18n import N_, _, ngettext
from engine.i18n.forms import grouped
from engine.net.protocol import Ack
from engine.scenario.model import RATING_NAMES, RATINGS, Objective
from tui.console.base import Connector, ConsoleApp, ConsoleScreen
from tui.console.link import Link
from tui.console.login import Credentials
from tui.console.safe import add, choices, plain
from tui.console.widgets import ClockBar, ConnectionBanner
from tui.evaluator.queue import ACCEPT_REASON, QueueItem, queue_items
from tui.evaluator.queue_pane import QueuePane
from tui.evaluator.review import ReviewItem, body_text, head_text, points_text, review_items
from tui.model.staff import StaffArea, StaffModel


class GradeCard(Vertical):
    """One expectation for the chosen team: answer, automatic result, grades, a grade box."""

    DEFAULT_CSS = """
    GradeCard { height: auto; border: round $primary-darken-2; padding: 0 1; margin-bottom: 1; }
    GradeCard.-todo { border: round $warning; }
    GradeCard .head { text-style: bold; }
    GradeCard .body { color: $text; }
    GradeCard Horizontal { height: auto; }
    GradeCard Input.points { width: 12; }
    GradeCard Input.reason { width: 1fr; }
    GradeCard:focus-within { border: round $accent; }
    GradeCard Input:focus { background: $accent 30%; text-style: bold; }
    """

    def __init__(self, item: ReviewItem, evaluator: str) -> None:
        super().__init__(classes="-todo" if item.needs_grade else "")
        self.item = item
        self.evaluator = evaluator

    def compose(self) -> ComposeResult:
        maximum = self.item.result.max_points
        yield Static(head_text(self.item), classes="head")
        yield Static(body_text(self.item), classes="body")
        with Horizontal():
            yield Input(placeholder=f"0–{maximum:g}", classes="points", type="number", compact=True)
            yield Input(
                placeholder=_("Reason (required to override an automatic result)"),
                classes="reason",
                max_length=2000,
                compact=True,
            )
            yield Button(_("Grade"), classes="grade", compact=True)

    def show(self, item: ReviewItem) -> None:
        """Show the expectation's new figures in place: the boxes keep what is typed in
        them (a redraw comes with every event while the exercise runs)."""
        self.item = item
        self.set_class(item.needs_grade, "-todo")
        self.query_one(".head", Static).update(head_text(item))
        self.query_one(".body", Static).update(body_text(item))

    def grade_command(self, team: str) -> c.Grade | str:
        points_box = self.query_one("Input.points", Input)
        reason = self.query_one("Input.reason", Input).value.strip()
        try:
            points = float(points_box.value)
        except ValueError:
            return _("give the points as a number")
        maximum = self.item.result.max_points
        if not 0 <= points <= maximum:
            return _("points go from 0 to {maximum}").format(maximum=f"{maximum:g}")
        if not self.item.manual and not reason:
            return _("overriding an automatic result needs a reason")
        return c.Grade(
            evaluator=self.evaluator,
            team=team,
            expectation=self.item.ref,
            points=points,
            reason=reason,
        )


NoteCategory = Literal["observation", "strength", "improvement", "hotwash"]
NOTE_CATEGORIES: tuple[tuple[str, NoteCategory], ...] = (
    (N_("Observation"), "observation"),
    (N_("Strength"), "strength"),
    (N_("Area for improvement"), "improvement"),
    (N_("Hotwash note"), "hotwash"),
)
"""The note's categories: English words marked with N_ (shown through _), the kind sent."""


_TABS = Binding.Group(N_("Tabs"))


class EvaluatorScreen(ConsoleScreen[StaffArea]):
    model: StaffModel
    EVERY_AREA = frozenset[StaffArea]({"teams", "grades"})
    CLOCK_AREAS = frozenset[StaffArea]({"clock"})
    CSS_PATH = "evaluator.tcss"
    ASK_NAME = False
    BINDINGS = [
        Binding("t", "focus_teams", N_("Teams")),
        # One footer entry for the four tabs ("g q o w Tabs"), as the team console's
        # "1 2 3 4 Tabs": at 80 columns the footer then still shows Help (the tab bar
        # and ? name each).
        Binding("g", "tab('grade')", N_("Grade"), group=_TABS),
        Binding("q", "tab('queue')", N_("Queue"), group=_TABS),
        Binding("o", "tab('objectives')", N_("Objectives"), group=_TABS),
        Binding("w", "tab('observe')", N_("Observation"), group=_TABS),
        Binding("escape", "leave_field", N_("Leave field"), show=False),
        Binding("question_mark", "help", N_("Help")),
    ]
    APP_TITLE = N_("sitroom · evaluation")
    QUIT_QUESTION = N_(
        "Quit the evaluator console?\n\nThe exercise keeps running on the server, and the "
        "grades, ratings and observations you recorded are kept; what is typed but not yet "
        "recorded is lost. Run the same command again to come back."
    )
    HELP_TITLE = N_("Evaluator console: keys")
    HELP_NOTES = N_(
        "Choose a team on the left. Grade manual expectations (yellow), override an "
        "automatic result with a reason, rate each objective P/S/M/U, and write "
        "observations: they all go to the after-action report. The queue (q) lists the "
        "text answers the meaning grader graded, the most unsure first (the element "
        "closest to the line between found and missed): a accepts its suggested grade, "
        "e opens the grade form with it filled in to override (an answer that came after "
        "another evaluator's grade shows the figure that counts, and a opens the form too: "
        "your grade is combined with theirs). Esc leaves a field for "
        "the team list, where the letters above are keys again."
    )

    def __init__(
        self,
        *,
        link: Link | None = None,
        connect: Connector | None = None,
        credentials: Credentials | None = None,
    ) -> None:
        super().__init__(link=link, connect=connect, credentials=credentials)
        self.model = StaffModel()
        self.team: str | None = None
        self._objectives_of: str | None = None
        """The team the objectives' forms were built for (kept while it stays chosen)."""
        self._accepting: set[tuple[str, str]] = set()
        """Answers accepted whose grade has not come back in the event stream yet."""
        self._overriding: tuple[str, str] | None = None
        """The queued answer whose grade form ``e`` opened: once graded, back to the queue."""

    def compose(self) -> ComposeResult:
        yield ClockBar(self.model.clock, title=_("Evaluation"), id="clockbar")
        yield self.pause_banner(lambda: self.model.pause, staff=True)
        yield ConnectionBanner(id="banner")
        with Horizontal(id="body"):
            yield OptionList(id="team-list")
            with TabbedContent(initial="grade", id="tabs"):
                with TabPane(_("Grade"), id="grade"):
                    # Not focusable: Tab goes on to a grade form, where typing writes,
                    # instead of stopping on the scroll area, where letters are tab keys.
                    yield VerticalScroll(id="cards", can_focus=False)
                with TabPane(_("Queue"), id="queue"):
                    yield QueuePane(id="queue-pane")
                with TabPane(_("Objectives"), id="objectives"):
                    yield VerticalScroll(id="objective-list")
                with TabPane(_("Observation"), id="observe"), Vertical(id="note-form"):
                    yield Label(_("Category"))
                    yield Select(
                        [(_(label), kind) for label, kind in NOTE_CATEGORIES],
                        value="observation",
                        allow_blank=False,
                        id="category",
                    )
                    yield Label(_("Objective (optional)"))
                    yield Select([], id="note-objective", prompt=_("Select"))
                    yield Label(_("What you saw"))
                    yield Input(id="note-text", max_length=4000)
                    yield Button(_("Record observation"), id="note-send", variant="primary")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.set_interval(1.0, lambda: self.query_one(ClockBar).refresh())
        self.start_link()

    def welcomed(self) -> None:
        if self.model.scenario is not None:
            self.query_one("#note-objective", Select).set_options(
                choices((o.title, o.id) for o in self.model.scenario.objectives)
            )

    async def redraw(self, areas: set[StaffArea]) -> None:
        if areas & {"teams", "grades", "msel"}:
            self._teams()
            self._queue()
        if self.team is not None and areas & {"grades", "teams", "msel"}:
            await self._show_team()

    def _teams(self) -> None:
        teams = self.query_one("#team-list", OptionList)
        current = self.team
        options = []
        for row in self.model.teams.values():
            todo = sum(1 for i in review_items(self.model, row.id) if i.needs_grade)
            # The count before the name: a narrow list cuts the end of the line.
            label = plain(row.id, one_line=True, limit=100, no_wrap=True, overflow="ellipsis")
            if todo:
                label.append(
                    "  " + ngettext("{n} to grade", "{n} to grade", todo).format(n=grouped(todo)),
                    style="bold yellow",
                )
            add(label, f"  {row.name}", one_line=True, limit=200)
            options.append(Option(label, id=row.id))
        teams.set_options(options)
        ids = [o.id for o in options]
        if current in ids:
            teams.highlighted = ids.index(current)

    def _queue(self) -> None:
        items = queue_items(self.model)
        self._accepting &= {i.key for i in items}
        self.query_one(QueuePane).show(items)
        label = _("Queue ({n})").format(n=grouped(len(items))) if items else _("Queue")
        self.query_one(TabbedContent).get_tab("queue").label = label

    def _queued(self) -> QueueItem | None:
        item = self.query_one(QueuePane).current
        if item is None:
            self.notify(_("No answer in the queue."), severity="warning")
        return item

    async def action_accept_suggested(self) -> None:
        """Grade the highlighted answer with the points the grader suggested (the engine's
        automatic points, so the score stays; the log now says an evaluator agreed).

        Not when an evaluator graded it before its latest answer: what counts is then
        their grade, and the engine combines a new one with it (``grade_rule``), so one
        key sending the suggestion would not give the suggested score. The grade form
        opens instead, as ``e`` does: the card shows every grade and the figure that
        counts, and the figure and reason typed are a deliberate grade of one's own."""
        item = self._queued()
        if item is None:
            return
        if item.graded_by:
            self.notify(
                _(
                    "Already graded by {evaluators}: your grade is combined with theirs "
                    "(grade rule: {rule}). Type your figure and a reason."
                ).format(evaluators=", ".join(item.graded_by), rule=item.rule),
                title=_("Not accepted in one key"),
                severity="warning",
                markup=False,
            )
            await self.action_override_suggested()
            return
        if item.key in self._accepting:
            self.notify(_("Already accepted: waiting for the server."), severity="warning")
            return
        self._accepting.add(item.key)
        self._submit(
            c.Grade(
                evaluator=self.model.seat_name,
                team=item.team,
                expectation=item.ref,
                points=item.suggested,
                reason=ACCEPT_REASON,
            )
        )

    async def action_override_suggested(self) -> None:
        """Open the highlighted answer's grade form, its points filled with the suggestion
        and focused: type the new figure, a reason, Enter on Grade."""
        item = self._queued()
        if item is None:
            return
        self.team = item.team
        teams = self.query_one("#team-list", OptionList)
        ids = [teams.get_option_at_index(i).id for i in range(teams.option_count)]
        if item.team in ids:
            teams.highlighted = ids.index(item.team)
        await self._show_team()
        self.action_tab("grade")
        card = next((k for k in self.query(GradeCard) if k.item.ref == item.ref), None)
        if card is None:
            return
        points = card.query_one("Input.points", Input)
        points.value = points_text(item.suggested)
        # The card from its head (what the team wrote, why the grader gave what it gave),
        # then the points box, should the card be taller than the screen.
        points.focus(scroll_visible=False)
        card.scroll_visible(animate=False, top=True)
        self.call_after_refresh(points.scroll_visible, animate=False)
        self._overriding = item.key

    @on(OptionList.OptionHighlighted, "#team-list")
    async def _pick(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id != self.team:
            self.team = event.option.id
            await self._show_team()

    @on(OptionList.OptionSelected, "#team-list")
    async def _grade_team(self, event: OptionList.OptionSelected) -> None:
        """Enter on a team: its first grade form (one awaiting a grade first) has the keys."""
        if event.option.id != self.team:
            self.team = event.option.id
            await self._show_team()
        self.action_tab("grade")
        cards = list(self.query(GradeCard))
        if cards:
            card = next((k for k in cards if k.item.needs_grade), cards[0])
            card.query_one("Input.points", Input).focus()

    async def _show_team(self) -> None:
        if self.team is None:
            return
        cards = self.query_one("#cards", VerticalScroll)
        items = review_items(self.model, self.team)
        shown = list(cards.query(GradeCard))
        keys = [(i.result.team, i.ref) for i in items]
        if shown and [(k.item.result.team, k.item.ref) for k in shown] == keys[: len(shown)]:
            # The same team, perhaps with new deliveries: cards are updated in place and the
            # new ones added, so a figure or a reason being typed survives the redraw.
            for card, item in zip(shown, items, strict=False):
                card.show(item)
            fresh = items[len(shown) :]
            if fresh:
                await cards.mount_all([GradeCard(i, self.model.seat_name) for i in fresh])
            await self._objectives()
            return
        await cards.remove_children()
        if not items:
            await cards.mount(Static(_("Nothing delivered to this team yet.")))
        else:
            await cards.mount_all([GradeCard(i, self.model.seat_name) for i in items])
        await self._objectives()

    def _objective_heading(self, objective: Objective) -> Text:
        """An objective's title, capability and the ratings this team has so far."""
        assert self.team is not None
        rated = self.model.ratings.get((self.team, objective.id), {})
        given = ", ".join(f"{who}: {r}" for who, r in rated.items()) or _("not rated yet")
        heading = add(Text(), objective.title, "bold")
        add(heading, f"  ({objective.capability}) · {given}")
        return heading

    async def _objectives(self) -> None:
        box = self.query_one("#objective-list", VerticalScroll)
        scenario = self.model.scenario
        if scenario is not None and self.team is not None and self._objectives_of == self.team:
            # The same team: only the ratings given change. The forms are kept, so a rating
            # chosen or a reason being typed survives the events of a running exercise.
            for objective in scenario.objectives:
                for head in box.query(f"#objhead-{objective.id}").results(Static):
                    head.update(self._objective_heading(objective))
            return
        await box.remove_children()
        self._objectives_of = None
        if scenario is None or self.team is None:
            return
        self._objectives_of = self.team
        widgets: list[Static | RadioSet | Input | Button] = []
        for objective in scenario.objectives:
            mine = self.model.ratings.get((self.team, objective.id), {})
            widgets.append(Static(self._objective_heading(objective), id=f"objhead-{objective.id}"))
            widgets.append(
                RadioSet(
                    *[
                        RadioButton(
                            f"{r} · {_(RATING_NAMES[r])}", value=mine.get(self.model.seat_name) == r
                        )
                        for r in RATINGS
                    ],
                    id=f"rate-{objective.id}",
                )
            )
            widgets.append(
                Input(
                    placeholder=_("Why (for the report)"), id=f"why-{objective.id}", max_length=2000
                )
            )
            widgets.append(
                Button(
                    _("Rate {objective}").format(objective=objective.id),
                    id=f"ratebtn-{objective.id}",
                    compact=True,
                )
            )
        await box.mount_all(widgets)

    @on(Input.Submitted, "GradeCard Input")
    def _grade_on_enter(self, event: Input.Submitted) -> None:
        """Enter in a grade form's points or reason records the grade, as its button does
        (the override from the queue is then: the figure, Tab, the reason, Enter)."""
        card = next(a for a in event.input.ancestors if isinstance(a, GradeCard))
        card.query_one("Button.grade", Button).press()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        button = event.button
        if self.team is None:
            self.notify(_("Choose a team first."), severity="warning")
            return
        command: AnyCommand | str
        if button.has_class("grade"):
            card = next(a for a in button.ancestors if isinstance(a, GradeCard))
            command = card.grade_command(self.team)
        elif (button.id or "").startswith("ratebtn-"):
            objective = (button.id or "").removeprefix("ratebtn-")
            radio = self.query_one(f"#rate-{objective}", RadioSet)
            if radio.pressed_index < 0:
                self.notify(_("Choose P, S, M or U."), severity="warning")
                return
            command = c.Rate(
                evaluator=self.model.seat_name,
                team=self.team,
                objective=objective,
                rating=RATINGS[radio.pressed_index],
                reason=self.query_one(f"#why-{objective}", Input).value.strip(),
            )
        elif button.id == "note-send":
            text = self.query_one("#note-text", Input).value.strip()
            if not text:
                self.notify(_("Write the observation first."), severity="warning")
                return
            picked = self.query_one("#category", Select).value
            category = next((v for _label, v in NOTE_CATEGORIES if v == picked), "observation")
            chosen = self.query_one("#note-objective", Select).value
            command = c.Note(
                author=self.model.seat_name,
                text=text,
                team=self.team,
                category=category,
                objective=chosen if isinstance(chosen, str) else None,
            )
        else:
            return
        if isinstance(command, str):
            self.notify(command, severity="warning")
            return
        self._submit(command)

    @work(group="commands", exit_on_error=False)
    async def _submit(self, command: AnyCommand) -> None:
        reply = await self.send(command)
        if not isinstance(reply, Ack):
            if isinstance(command, c.Grade):
                self._accepting.discard((command.team, command.expectation))
            return
        match command:
            case c.Grade():
                self.notify(_("Grade recorded"))
                if self._overriding == (command.team, command.expectation):
                    self._overriding = None
                    self.action_tab("queue")
            case c.Rate():
                self.notify(_("Rating recorded"))
            case c.Note():
                self.notify(_("Observation recorded"))
                self.query_one("#note-text", Input).value = ""
            case _:
                pass

    def action_focus_teams(self) -> None:
        self.query_one("#team-list", OptionList).focus()

    def action_leave_field(self) -> None:
        """Esc leaves a text field (or any form field) for the team list, where the
        letters are keys again; what was typed stays in the field."""
        if not isinstance(self.focused, OptionList):
            self.action_focus_teams()

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        if tab == "observe":  # w: write an observation, so the keyboard goes to its text
            self.query_one("#note-text", Input).focus()
        elif tab == "queue":  # q: the keys a and e act on the highlighted answer
            self.query_one(QueuePane).table.focus()


def make_evaluator_app(
    *,
    link: Link | None = None,
    connect: Connector | None = None,
    credentials: Credentials | None = None,
) -> ConsoleApp[EvaluatorScreen]:
    app = ConsoleApp(EvaluatorScreen(link=link, connect=connect, credentials=credentials))
    app.title = _(EvaluatorScreen.APP_TITLE)
    return app
