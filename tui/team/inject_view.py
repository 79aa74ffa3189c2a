"""One inject in full: who sent it, its text, attachments, and the forms to answer it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from engine.durations import format_clock
from engine.i18n import _
from tui.console.glyphs import CHANNEL_NAME, channel_icon
from tui.console.safe import add, plain, visible
from tui.model.team import InboxEntry, TeamModel
from tui.team.answer import AnswerForm, DraftStore
from tui.team.attachment import AttachmentBox
from tui.team.briefing import BriefingPane


class InjectView(VerticalScroll):
    """The selected inject, or the team's briefing while the inbox is empty; rebuilt when
    another is selected or its answers change."""

    DEFAULT_CSS = """
    InjectView { width: 1fr; height: 1fr; border: round $primary-darken-1; padding: 0 1; }
    InjectView:focus-within { border: round $accent; }
    InjectView .meta { color: $text-muted; }
    InjectView .title { text-style: bold; margin-bottom: 1; }
    InjectView .empty { color: $text-muted; margin: 2 2; }
    InjectView Markdown { margin: 0; padding: 0; }
    """

    def __init__(
        self, drafts: DraftStore, model: TeamModel | None = None, *, id: str | None = None
    ) -> None:
        super().__init__(id=id, can_focus=True)
        self.drafts = drafts
        self.model = model
        self.entry: InboxEntry | None = None
        self.now = 0

    def compose(self) -> ComposeResult:
        yield Static("Waiting for the exercise…", classes="empty")

    async def show(self, entry: InboxEntry | None, now: int) -> None:
        self.entry, self.now = entry, now
        await self.remove_children()
        if entry is None:
            if self.model is not None and not self.model.inbox:
                await self.mount(BriefingPane(self.model))
            else:
                await self.mount(Static(_("Select an inject in the inbox."), classes="empty"))
            self.scroll_home(animate=False)
            return
        meta = Text()
        meta.append(
            f"{channel_icon(entry.channel)} {_(CHANNEL_NAME.get(entry.channel, entry.channel))}"
        )
        meta.append(" · " + _("from") + " ")
        add(meta, entry.sender, one_line=True, limit=200)
        meta.append(" · " + _("received at {time}").format(time=self._when(entry.delivered_at)))
        if entry.priority in ("high", "critical"):
            meta.append(
                " · " + (_("CRITICAL") if entry.priority == "critical" else _("HIGH")),
                style="bold red" if entry.priority == "critical" else "bold yellow",
            )
        widgets = [
            Static(meta, classes="meta"),
            Static(plain(entry.title), classes="title"),
            Markdown(visible(entry.body or "")),
        ]
        widgets.extend(AttachmentBox(attachment) for attachment in entry.attachments)
        widgets.extend(AnswerForm(item, self.drafts, now=now) for item in entry.expectations)
        await self.mount_all(widgets)
        self.scroll_home(animate=False)

    async def update(self, entry: InboxEntry, now: int) -> None:
        """The shown inject changed (a deadline passed, an answer or a grade came): redraw
        only its forms whose content changed.

        Rebuilding the whole inject (its text, attachments and every form) for a
        countdown's end cost as much as showing a new inject, in every console of the
        team at once; and it sent the reader back to the inject's top.
        """
        forms = list(self.query(AnswerForm))
        same = len(forms) == len(entry.expectations) and all(
            f.item is item for f, item in zip(forms, entry.expectations, strict=True)
        )
        if entry is not self.entry or not same:
            await self.show(entry, now)
            return
        self.now = now
        for form in forms:
            await form.update_item(now)

    def _when(self, t: int) -> str:
        """Exercise time, after the story's time when the scenario has a story clock (as
        the clock bar shows it): ``Tue 09:05 (0:05:00)``."""
        story = self.model.clock.story if self.model is not None else None
        if story is None:
            return format_clock(t)
        return _("{story} ({time})").format(story=story.text(t), time=format_clock(t))

    def tick(self, now: int) -> None:
        self.now = now
        for form in self.query(AnswerForm):
            form.now = now

    def form(self, ref: str) -> AnswerForm | None:
        return next((f for f in self.query(AnswerForm) if f.item.ref == ref), None)

    def focus_answer(self) -> None:
        """Put the focus in the first field still to answer, else on the inject itself.

        A player who opens an inject and starts typing means the answer: with the
        focus on the inject's text, letters ran the console's keys instead (``i``
        opened the briefing, ``n`` the next unread). The inject stays scrolled to its
        top, to be read first; the field comes into view as it is used
        (:meth:`AnswerForm.on_key`, :meth:`AnswerForm.on_text_area_changed`).
        """
        field = next((f.first_field() for f in self.query(AnswerForm) if f.first_field()), None)
        if field is None:
            self.focus()
        else:
            field.focus(scroll_visible=False)
