"""The team console app: inbox, inject and answers, feed, messages, team log.

Built by :func:`make_team_app` so tests and the command line build it the same
way. One exclusive worker reads the link and posts each server message up; the
app folds it into a :class:`TeamModel` and refreshes what changed, batched so a
burst of a thousand deliveries redraws once, not a thousand times.
"""

from __future__ import annotations

from dataclasses import replace

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.notifications import Notification, Notify, SeverityLevel
from textual.reactive import reactive
from textual.widgets import (
    Input,
    OptionList,
    RadioSet,
    Select,
    SelectionList,
    TabbedContent,
    TabPane,
    TextArea,
)

from engine import commands as c
from engine.durations import format_clock, format_countdown
from engine.i18n import N_, _, ngettext
from engine.i18n.forms import grouped
from engine.net.protocol import Ack, LinkState
from tui.console.base import Connector, ConsoleApp, ConsoleScreen
from tui.console.link import Link
from tui.console.login import Credentials
from tui.console.safe import NOTIFY_LIMIT, clip, visible
from tui.console.screens import ConfirmScreen
from tui.console.styles import read_default_css
from tui.console.textbox import TextBox
from tui.console.widgets import ClockBar, ConnectionBanner, FittingFooter, show_tab
from tui.model.team import Area, GivenAnswer, InboxEntry, Message, PlayTurn, TeamModel
from tui.team.answer import AnswerForm, DraftStore, ItemList, OptionButton, word_count
from tui.team.briefing import BriefingScreen
from tui.team.discussion import DiscussionPanel
from tui.team.feed import FeedView
from tui.team.feedback import FeedbackPane
from tui.team.inbox import InboxList
from tui.team.inject_view import InjectView
from tui.team.messages import MessagesPane, TeamLogPane
from tui.team.transcript import TranscriptScreen

_QUOTED_WORDS = 12
"""How much of a written answer the submit confirmation repeats."""
_ALERT_WORDS = 24
"""How much of a broadcast or an actor's message its alert shows (the rest is a tab away)."""
NARROW = 60
"""Below this many columns (a phone's browser) the inbox sits above the inject, not beside it."""
_TABS = Binding.Group(N_("Tabs"))


def first_words(text: str, count: int = _ALERT_WORDS) -> str:
    """The first ``count`` words of ``text`` on one line, with "…" when there is more."""
    words = text.split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


class TeamScreen(ConsoleScreen[Area]):
    CSS_PATH = "team.tcss"
    AUTO_FOCUS = "#inbox-list"
    """A member starts in the inbox: arrows pick an inject, Enter opens it for answering
    (the tab bar, Textual's first focusable widget, would need a Tab first)."""
    BINDINGS = [
        # Descriptions are English source text, translated where shown (tui.console.keys).
        Binding("1", "tab('inbox')", N_("Inbox"), group=_TABS),
        Binding("2", "tab('feed')", N_("Feed"), group=_TABS),
        Binding("3", "tab('messages')", N_("Messages"), group=_TABS),
        Binding("4", "tab('log')", N_("Team log"), group=_TABS),
        Binding("5", "tab('feedback')", N_("Feedback (after the end)"), group=_TABS),
        Binding("n", "next_unread", N_("Next unread")),
        Binding("b", "toggle_bell", N_("Bell")),
        Binding("question_mark", "help", N_("Help")),
        # The app's own Ctrl+Q runs first (a priority binding, app before screen); this one,
        # priority too so the app's hidden one does not replace it, puts it in the footer.
        Binding("ctrl+q", "app.quit", N_("Quit"), priority=True),
        Binding("t", "transcript", N_("Reader")),
        Binding("u", "toggle_order", N_("Newest/urgent")),
        Binding("i", "briefing", N_("Briefing"), show=False),
    ]

    model: TeamModel
    EVERY_AREA = frozenset[Area]({"inbox", "feed", "messages", "log", "clock", "score"})
    CLOCK_AREAS = frozenset[Area]({"clock"})

    order: reactive[str] = reactive("newest")
    """Inbox order: newest first, or most urgent deadline first."""
    bell_on: reactive[bool] = reactive(False)
    """Ring the terminal bell when an inject arrives."""

    APP_TITLE = N_("sitroom · team")
    QUIT_QUESTION = N_(
        "Leave the exercise?\n\nYour team plays on without you. Your team's answers are "
        "kept; join again with the same code to come back."
    )
    HELP_TITLE = N_("Team console: keys")
    HELP_NOTES = N_(
        "Answer an inject: select it in the inbox (Enter), fill in the form, press Submit and "
        "confirm.\nIf the connection drops, keep working: answers are kept and sent when it is "
        "back.\nBroadcasts and messages from outside the room pop up, count on the Messages "
        "tab and ring the bell when it is on.\nt (Reader) shows everything as one plain-text "
        "transcript, in order: for a screen reader, or to reread.\nCtrl+P opens the command "
        "palette (themes, keys)."
    )

    def __init__(
        self,
        *,
        link: Link | None = None,
        connect: Connector | None = None,
        credentials: Credentials | None = None,
        lang: str | None = None,
    ) -> None:
        super().__init__(link=link, connect=connect, credentials=credentials)
        self.model = TeamModel(lang=lang)
        """``lang``: the language this member reads a scenario written in several in."""
        self.drafts = DraftStore()
        self._shown_inject: str | None = None
        self._opens_sent: set[str] = set()
        """Injects this console told the engine it opened (once each)."""
        self._feed_stale = False
        """Stories arrived while the feed was hidden (it is drawn when shown)."""
        self._feedback_offered = False
        """The feedback tab was shown (and gone to) after the end."""
        self._play_notice: Notification | None = None
        """The last "Play paused"/"Play resumed" toast: the next one replaces it."""

    # ----------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        yield ClockBar(self.model.clock, title=_("Team console"), id="clockbar")
        yield self.pause_banner(lambda: self.model.pause)
        yield ConnectionBanner(id="banner")
        yield DiscussionPanel(id="discussion")
        with TabbedContent(initial="inbox", id="tabs"):
            with TabPane(_("Inbox"), id="inbox"), Horizontal(id="inbox-pane"):
                yield InboxList(id="inbox-list")
                yield InjectView(self.drafts, self.model, id="inject-view")
            with TabPane(_("Feed"), id="feed"):
                yield FeedView(id="feed-view")
            with TabPane(_("Messages"), id="messages"):
                yield MessagesPane([], id="messages-pane")
            with TabPane(_("Team log"), id="log"):
                yield TeamLogPane(id="log-pane")
        yield FittingFooter(show_command_palette=False)

    def on_mount(self) -> None:
        self.ticker = self.set_interval(1.0, self._tick)
        """Moves the countdowns on every second (:meth:`_countdowns`)."""
        # The answer forms' CSS now, not when the first inject reaches every console at once.
        read_default_css(
            self.app, (AnswerForm, OptionButton, RadioSet, SelectionList, ItemList, TextBox)
        )
        self.start_link()

    def on_resize(self, event: events.Resize) -> None:
        """A phone's browser is about forty columns wide: stack the inbox over the inject."""
        self.set_class(event.size.width < NARROW, "-narrow")

    def clock_heard(self) -> None:
        self.model.clock_heard()

    def welcomed(self) -> None:
        self.query_one(MessagesPane).set_actors(
            [(a, name) for a, (name, _kind) in self.model.actors.items()]
        )
        # The tabs were labelled when the screen was built, before the login; a language
        # chosen there (engine.i18n.activate) reaches them now.
        tabs = self.query_one(TabbedContent)
        tabs.get_tab("feed").label = _("Feed")
        tabs.get_tab("log").label = _("Team log")
        self._unread_label()
        self._messages_label()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Alerts go to the top while a box the member types in has the keyboard (an
        answer, a question to an outside actor, a discussion note; team.tcss)."""
        self.set_class(isinstance(event.widget, TextArea | Input), "-typing")

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if isinstance(event.widget, TextArea | Input):
            self.remove_class("-typing")

    def _toast(self, message: str, *, title: str, severity: SeverityLevel) -> Notification:
        """A notification of people's words: plain text in any app (``sitroom join``'s too).

        Built here and posted as ``App.notify`` would (which returns nothing), so that
        the console holds it and can take it down early (:meth:`_announce_play`)."""
        notification = Notification(
            clip(visible(message), NOTIFY_LIMIT),
            title=clip(visible(title, one_line=True), 120),
            severity=severity,
            timeout=self.app.NOTIFICATION_TIMEOUT,
            markup=False,
        )
        self.app.post_message(Notify(notification))
        return notification

    def _announce_arrivals(self) -> bool:
        """One notification per redraw, however many injects just arrived."""
        arrived, self.model.arrived = self.model.arrived, []
        if not arrived:
            return False
        urgent = any(e.priority in ("high", "critical") for e in arrived)
        severity: SeverityLevel = "warning" if urgent else "information"
        latest = arrived[-1]
        if len(arrived) == 1:
            self._toast(
                latest.title,
                title=_("New inject · {sender}").format(sender=latest.sender),
                severity=severity,
            )
        else:
            self._toast(
                _("Latest: {title}").format(title=latest.title),
                title=ngettext("{n} new inject", "{n} new injects", len(arrived)).format(
                    n=grouped(len(arrived))
                ),
                severity=severity,
            )
        return True

    def _announce_messages(self) -> bool:
        """One notification per redraw for broadcasts and actors' messages, with the sender
        and the first words; the Messages tab counts them until it is opened."""
        heard, self.model.heard = self.model.heard, []
        if self._tab() == "messages":
            self.model.messages_seen()  # on screen already: no count, no pop-up
            self._messages_label()
            return bool(heard)
        self._messages_label()
        if not heard:
            return False
        latest = heard[-1]
        words = first_words(f"{latest.title}: {latest.text}" if latest.title else latest.text)
        if len(heard) > 1:
            title = ngettext("{n} new message", "{n} new messages", len(heard)).format(
                n=grouped(len(heard))
            )
            words = _("Latest, {sender}: {words}").format(sender=_sender(latest), words=words)
        else:
            title = _sender(latest)
        severity: SeverityLevel = "warning" if latest.kind == "broadcast" else "information"
        self._toast(words, title=title, severity=severity)
        return True

    def _announce_play(self, turn: PlayTurn, now: int) -> None:
        """Play paused or resumed: say so where the member looks (the clock bar's PAUSED
        turning to RUNNING is out of their eye line while they type; toasts go to the
        top then), with the pause's reason, if it has one, and the time left at ``now``
        on the question in front of them. A toast takes no focus: what is being typed
        goes on into the answer box.

        The new toast replaces the previous play toast, still up when play turns back
        within its timeout: the top toast is read first, and "Play paused" above "Play
        resumed" contradicted the clock bar. Other toasts (an inject, a message) stay.
        """
        if turn == "running":
            title, words = _("Play resumed"), _("The clock is running again.")
        else:
            title, words = _("Play paused"), _("The clock has stopped: deadlines wait.")
            reason = self.model.pause.message if self.model.pause is not None else ""
            if reason.strip():  # the facilitator's words: data (``_toast``), clipped
                # In the title, not a line of its own: a taller toast covered the answer
                # form's Submit button on a 24-line console.
                title += " · " + first_words(reason, _QUOTED_WORDS)
        due = self._question_on_screen(now)
        if due is not None:
            left, question = due
            words += "\n" + _("{time} left to answer: {question}").format(
                time=format_countdown(left), question=first_words(question, _QUOTED_WORDS)
            )
        if self._play_notice is not None:
            # Textual 8.2.8 removes one notification only through the private
            # ``App._unnotify`` (``clear_notifications`` removes the others too). Expired,
            # a notification is dropped when the next is added (``Notifications``), and
            # its toast with it: the one posted just below.
            self._play_notice.timeout = 0
        self._play_notice = self._toast(
            words, title=title, severity="warning" if turn == "running" else "information"
        )

    def _question_on_screen(self, now: int) -> tuple[int, str] | None:
        """The open question with a deadline on screen, and the time left on it at ``now``:
        the one being answered (the focus is in its form), else the shown inject's soonest."""
        view = self.query_one(InjectView)
        if self._tab() != "inbox" or view.entry is None:
            return None
        shown = [
            (item.due_at - now, item)
            for item in (form.item for form in view.query(AnswerForm))
            if item.due_at is not None and item.status(now) == "open"
        ]
        if not shown:
            return None
        around = [] if self.focused is None else self.focused.ancestors_with_self
        answering = {node.item.ref for node in around if isinstance(node, AnswerForm)}
        left, item = min(shown, key=lambda due: (due[1].ref not in answering, due[0]))
        return left, item.prompt or view.entry.title

    def _messages_label(self) -> None:
        unread = self.model.unread_messages
        self.query_one(TabbedContent).get_tab("messages").label = (
            _("Messages ({n})").format(n=grouped(unread)) if unread else _("Messages")
        )

    def _tab(self) -> str:
        return self.query_one(TabbedContent).active

    def on_link_state(self, state: LinkState, reason: str) -> None:
        super().on_link_state(state, reason)
        if state == "connected":
            for ref, draft in self.drafts.items():
                if draft.state == "queued":
                    draft.state = "sending"
                    self._form_state(ref)

    # ------------------------------------------------------------- refresh

    async def redraw(self, dirty: set[Area]) -> None:
        now = self.model.clock.now()
        ring = False
        if "inbox" in dirty:
            ring |= self._announce_arrivals()
            self.query_one(InboxList).show(self.model.entries(self.order), now)  # type: ignore[arg-type]
            changed, self.model.changed = self.model.changed, set()
            # While the inbox is empty the inject pane shows the briefing, which the
            # welcome (or a snapshot) may just have brought.
            empty = self._shown_inject is None
            await self._show_selected(force=empty or self._shown_inject in changed)
            # On the list, not the screen: a class on the screen restyles every widget on it.
            self.query_one(InboxList).set_class(not self.model.inbox, "-empty")
            self._unread_label()
        if "feed" in dirty:
            await self._show_feed()
        if "messages" in dirty:
            self.query_one(MessagesPane).show(
                [m for m in self.model.messages if m.kind != "team_note"], self.model.team
            )
            ring |= self._announce_messages()
        if "log" in dirty:
            self.query_one(TeamLogPane).show(
                [m for m in self.model.messages if m.kind == "team_note"]
            )
        if "clock" in dirty:
            # A rejoin's clock message, a pause or a resume: every countdown at once, not at
            # the next tick (a second with the toast and the form telling different times).
            self._countdowns(now)
            await self._feedback_tab()
            pause = self.model.pause if self.model.clock.status == "paused" else None
            self.query_one(DiscussionPanel).show(None if pause is None else pause.discussion)
            turn = self.model.play_turn()
            if turn is not None:
                self._announce_play(turn, now)
                ring = True
        if ring and self.bell_on:
            self.app.bell()

    async def _show_feed(self) -> None:
        """Bring the feed up to date, but only while it is on screen.

        Its cards are Markdown widgets: mounting forty of them for a burst nobody
        is looking at cost a quarter of the time of 1,000 deliveries. The feed
        catches up when its tab is shown.
        """
        if self.query_one(TabbedContent).active != "feed":
            self._feed_stale = True
            return
        self._feed_stale = False
        await self.query_one(FeedView).show(self.model.feed())

    def _unread_label(self) -> None:
        unread = self.model.unread()
        self.query_one(TabbedContent).get_tab("inbox").label = (
            _("Inbox ({n})").format(n=grouped(unread)) if unread else _("Inbox")
        )

    def _tick(self) -> None:
        self._countdowns(self.model.clock.now())

    def _countdowns(self, now: int) -> None:
        """Where the countdowns on screen are recomputed, to ``now``: the clock bar, the
        inbox's and the shown inject's forms. Every second (:attr:`ticker`), and when
        the clock is heard or changes (:meth:`redraw`)."""
        self.query_one(ClockBar).refresh()
        self.query_one(InboxList).tick(now)
        self.query_one(InjectView).tick(now)

    async def _show_selected(self, force: bool = False) -> None:
        inbox = self.query_one(InboxList)
        inject = inbox.highlighted_id()
        entry = self.model.inbox.get(inject) if inject else None
        # Shown beside the inbox counts as read, but only while the inbox is on screen.
        if entry is not None and not entry.read and self.query_one(TabbedContent).active == "inbox":
            entry.read = True
            inbox.refresh_entry(entry, self.model.clock.now())
            self._unread_label()
            self._opened(entry)
        view = self.query_one(InjectView)
        if inject != self._shown_inject or (force and entry is None):
            self._shown_inject = inject
            await view.show(entry, self.model.clock.now())
        elif force and entry is not None:
            await view.update(entry, self.model.clock.now())  # its deadline, answers, grade

    def _opened(self, entry: InboxEntry) -> None:
        """Tell the engine a member opened this inject (the ledger: delivered, opened,
        answered), unless a member of the team already did. Sent once, quietly: the
        engine refuses a second opening, which is nothing the player needs to see."""
        if entry.opened_by or entry.inject in self._opens_sent or not self.model.team:
            return
        self._opens_sent.add(entry.inject)
        command = c.Open(team=self.model.team, member=self.model.member, inject=entry.inject)
        self.run_worker(self.send(command, quiet=True), group="open")

    @on(OptionList.OptionHighlighted, "#inbox-list")
    async def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id != self._shown_inject:
            await self._show_selected()

    @on(TabbedContent.TabActivated, "#tabs", pane="#inbox")
    async def _inbox_shown(self) -> None:
        await self._show_selected()

    @on(TabbedContent.TabActivated, "#tabs", pane="#feed")
    async def _feed_shown(self) -> None:
        if self._feed_stale:
            await self._show_feed()

    @on(TabbedContent.TabActivated, "#tabs", pane="#messages")
    def _messages_shown(self) -> None:
        self.model.messages_seen()
        self._messages_label()

    @on(OptionList.OptionSelected, "#inbox-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        """Enter (or a click) on an inject opens it for answering: the focus goes to its
        first unanswered field, so typing goes to the answer, not to the console's keys."""
        self.query_one(InjectView).focus_answer()

    # ------------------------------------------------------------ answering

    @on(AnswerForm.Submitted)
    def _submit(self, event: AnswerForm.Submitted) -> None:
        item = event.form.item
        prompt = clip(item.prompt or event.ref, 500)
        answer = item.describe_answer(event.fields)
        if event.fields.text is not None:
            words = answer.split()
            answer = " ".join(words[:_QUOTED_WORDS]) + (" …" if len(words) > _QUOTED_WORDS else "")
        question = _("Submit your team's answer to:\n\n  {prompt}\n\nYour answer: {answer}").format(
            prompt=prompt, answer=clip(answer, 300)
        )
        confirm = _("Submit")
        count = word_count(event.fields.text or "")
        if item.kind == "text" and item.min_words and count < item.min_words:
            question += "\n\n" + ngettext(
                "It has {count} word, under the minimum of {minimum}. Send it anyway?",
                "It has {count} words, under the minimum of {minimum}. Send it anyway?",
                count,
            ).format(count=count, minimum=item.min_words)
            confirm = _("Send anyway")
        question += "\n\n" + _("It cannot be changed afterwards.")

        def confirmed(ok: bool | None) -> None:
            if ok:
                self._send_answer(event.ref, event.fields)

        self.app.push_screen(ConfirmScreen(question, confirm), confirmed)

    def _form_state(self, ref: str) -> None:
        form = self.query_one(InjectView).form(ref)
        if form is not None:
            form.show_state()

    @work(group="send", exit_on_error=False)
    async def _send_answer(self, ref: str, given: GivenAnswer) -> None:
        draft = self.drafts.of(ref)
        draft.state = "sending" if self.link_state == "connected" else "queued"
        draft.error = ""
        self._form_state(ref)
        command = c.Respond(
            team=self.model.team,
            member=self.model.member,
            expectation=ref,
            choice=given.choice,
            items=given.items,
            text=given.text,
        )
        reply = await self.send(command, quiet=True)
        if isinstance(reply, Ack):
            self.drafts.pop(ref, None)
            self.mark({"inbox"})
        else:
            draft.state, draft.error = "failed", reply.shown()
            self._form_state(ref)

    @on(MessagesPane.Send)
    async def _ask(self, event: MessagesPane.Send) -> None:
        command = c.Ask(
            team=self.model.team, member=self.model.member, actor=event.actor, text=event.text
        )
        self._send_message(command, "messages")

    @on(TeamLogPane.Add)
    async def _note(self, event: TeamLogPane.Add) -> None:
        command = c.TeamNote(team=self.model.team, member=self.model.member, text=event.text)
        self._send_message(command, "log")

    @work(group="send", exit_on_error=False)
    async def _send_message(self, command: c.Ask | c.TeamNote, where: str) -> None:
        reply = await self.send(command, quiet=True)
        if isinstance(reply, Ack):
            if where == "messages":
                self.query_one(MessagesPane).clear_draft()
            else:
                self.query_one(TeamLogPane).clear_draft()
        else:
            self.notify(reply.shown(), title=_("Not sent"), severity="error")

    # ------------------------------------------------------------- feedback

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """5 (Feedback) is in the footer only once the form is offered."""
        if action == "tab" and parameters == ("feedback",):
            return self._feedback_offered
        return True

    async def _feedback_tab(self) -> None:
        """When the exercise has ended (the engine refuses the form before), add the
        feedback tab and go to it, once: nothing is left to answer. Before the end the
        console has no such tab, and 5 is not in the footer."""
        if self.model.clock.status != "ended" or self._feedback_offered:
            return
        self._feedback_offered = True
        tabs = self.query_one(TabbedContent)
        await tabs.add_pane(TabPane(_("Feedback"), FeedbackPane(id="feedback-pane"), id="feedback"))
        self.refresh_bindings()
        self.action_tab("feedback")
        self.notify(
            _(
                "The exercise has ended. Please fill in the feedback form (5): it takes two "
                "minutes."
            ),
            title=_("Feedback"),
            timeout=12,
        )

    @on(FeedbackPane.Send)
    def _send_feedback(self, event: FeedbackPane.Send) -> None:
        draft = event.draft
        command = c.Feedback(
            team=self.model.team,
            member=self.model.member,
            strengths=draft.strengths,
            improvements=draft.improvements,
            ratings=draft.ratings,
            anonymous=draft.anonymous,
        )
        self._deliver_feedback(command)

    @work(group="send", exit_on_error=False)
    async def _deliver_feedback(self, command: c.Feedback) -> None:
        reply = await self.send(command, quiet=True)
        pane = self.query_one(FeedbackPane)
        if isinstance(reply, Ack):
            pane.sent(format_clock(self.model.clock.now()), command.anonymous)
        else:
            pane.failed(reply.shown())

    # -------------------------------------------------------------- actions

    def action_tab(self, tab: str) -> None:
        if tab == "feedback" and not self._feedback_offered:
            self.notify(_("The feedback form opens when the exercise ends."))
            return
        show_tab(self.query_one(TabbedContent), tab)
        if tab == "inbox":
            self.query_one(InboxList).focus()
        elif tab == "messages":
            # Straight to whom to write (a list: the tab keys still work from it).
            self.query_one("#actor", Select).focus()
        elif tab == "feedback":
            self.query_one("#fb-strength-1", Input).focus()

    def action_next_unread(self) -> None:
        entries = self.model.entries(self.order)  # type: ignore[arg-type]
        for index, entry in enumerate(entries):
            if not entry.read:
                self.action_tab("inbox")
                self.query_one(InboxList).highlighted = index
                return
        self.notify(_("No unread injects."))

    def action_toggle_order(self) -> None:
        self.order = "urgency" if self.order == "newest" else "newest"
        self.notify(
            _("Inbox: most urgent first") if self.order == "urgency" else _("Inbox: newest first")
        )
        self.mark({"inbox"})

    def action_toggle_bell(self) -> None:
        self.bell_on = not self.bell_on
        self.notify(
            _("Bell on for new injects and messages")
            if self.bell_on
            else _("Bell off for new injects and messages")
        )

    def action_briefing(self) -> None:
        self.app.push_screen(BriefingScreen(self.model))

    def action_transcript(self) -> None:
        """Everything so far as one column of plain text (a screen reader's view)."""
        self.app.push_screen(TranscriptScreen(self.model))

    def watch_bell_on(self, on: bool) -> None:
        """The footer says whether the bell is on ("Bell on"/"Bell off")."""
        label = _("Bell on") if on else _("Bell off")
        key_map = self._bindings.key_to_bindings
        key_map["b"] = [replace(b, description=label) for b in key_map.get("b", [])]
        self.refresh_bindings()


def _sender(message: Message) -> str:
    """Who an alert is from, in a few words."""
    if message.kind == "broadcast":
        return _("Broadcast · {author}").format(author=message.author)
    return _("Message from {author}").format(author=message.author)


def make_team_app(
    *,
    link: Link | None = None,
    connect: Connector | None = None,
    credentials: Credentials | None = None,
) -> ConsoleApp[TeamScreen]:
    """The team console, connected through ``link`` or by ``connect`` once logged in."""
    app = ConsoleApp(TeamScreen(link=link, connect=connect, credentials=credentials))
    app.title = _(TeamScreen.APP_TITLE)
    return app
