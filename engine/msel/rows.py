"""One table row → one inject, with the cell of each field recorded for messages.

Values the row cannot express are reported at their cell and passed on as
written, so the scenario check agrees the value is wrong (and is then silenced
there: one problem per cell). Nothing missing is invented: an empty Method is
reported, not assumed to be email.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from engine.durations import (
    RELEASE_WORDS,
    ClockTime,
    TimeError,
    anchor,
    format_duration,
    parse_offset,
)
from engine.i18n import _
from engine.msel import columns as C
from engine.msel.cells import CellError, load_yaml, parse_references, split_list, yes_no
from engine.msel.export import CONTROLLER_TAG
from engine.msel.names import ALL_WORDS, Names, slug
from engine.msel.report import Cell, Report
from engine.msel.sheet import Row
from engine.msel.summary import expected_action, objectives_of, same_text
from engine.msel.table import REQUIRED, Header
from engine.scenario.common import ID_PATTERN
from engine.scenario.injects import CHANNELS

CHANNEL_WORDS: dict[str, str] = {
    "e-mail": "email",
    "mail": "email",
    "call": "phone",
    "phone call": "phone",
    "telephone": "phone",
    "voicemail": "phone",
    "media": "news",
    "press": "news",
    "newspaper": "news",
    "tv": "news",
    "radio": "news",
    "news article": "news",
    "social media": "social",
    "post": "social",
    "tweet": "social",
    "siem": "alert",
    "monitoring": "alert",
    "memo": "document",
    "letter": "document",
    "report": "document",
    "fax": "document",
    "sms": "chat",
    "text message": "chat",
    "message": "chat",
    "instant message": "chat",
}
"""Delivery methods as MSELs write them, and the sitroom channel each one is."""

MANUAL_COMMENT = (
    "Expected action from the sheet, kept as a manual expectation: evaluators "
    "grade it (up to 10 points). Make it a decision, checklist or text to grade it "
    "automatically."
)

ORDER = (
    "id",
    "at",
    "after",
    "if_no_response",
    "contingency",
    "when",
    "jitter",
    "phase",
    "to",
    "channel",
    "from",
    "priority",
    "tags",
    "title",
    "references",
    "body",
    "attachments",
    "notes",
    "expects",
)
"""Field order of an imported inject: how the scenario library writes them."""

_FIELDS = {
    C.INJECT: "id",
    C.PHASE: "phase",
    C.TIME: "at",
    C.SYNOPSIS: "title",
    C.FROM: "from",
    C.TO: "to",
    C.METHOD: "channel",
    C.NOTES: "notes",
    C.JITTER: "jitter",
    C.WHEN: "when",
    C.CONTINGENCY: "contingency",
    C.PRIORITY: "priority",
    C.TAGS: "tags",
    C.REFERENCES: "references",
    C.BODY: "body",
    C.ATTACHMENTS: "attachments",
    C.EXPECTATIONS: "expects",
    C.AFTER: "after",
    C.IF_NO_RESPONSE: "if_no_response",
}


@dataclass
class Context:
    """What every row is read against."""

    header: Header
    report: Report
    teams: Names
    actors: Names
    phases: Names
    objectives: Names
    start: ClockTime | None
    numbers: dict[str, str] = field(default_factory=dict)
    """Inject numbers as written → the ids they became (``1.2`` → ``1-2``)."""
    actual_reported: bool = False


@dataclass
class Inject:
    data: dict[str, Any]
    comments: list[str]


def read_injects(rows: list[Row], ctx: Context) -> list[Inject]:
    _number_injects(rows, ctx)
    return [_RowReader(row, k, ctx).read() for k, row in enumerate(rows)]


def _number_injects(rows: list[Row], ctx: Context) -> None:
    """Every inject's id first, so After can name an inject further down the sheet.

    A number given twice is reported here, with the row that has it first: the
    scenario check would name a line of the YAML, which the planner never sees.
    """
    first_row: dict[str, int] = {}
    for k, row in enumerate(rows):
        text, cell = ctx.header.cell(row, C.INJECT)
        raw = text.strip()
        if not raw:
            continue
        ident = ctx.numbers.get(raw)
        if ident is None:
            ident = ctx.numbers[raw] = _inject_id(raw, cell, ctx.report)
        if ident in first_row:
            ctx.report.error(
                cell,
                _("inject number {raw!r} is also row {row}: number each inject once").format(
                    raw=raw, row=first_row[ident]
                ),
                concerns=("injects", k, "id"),
            )
        else:
            first_row[ident] = row.number


def _inject_id(raw: str, cell: Cell, report: Report) -> str:
    """The id an inject number becomes: itself, or ``1.2`` → ``1-2`` (reported)."""
    if re.match(ID_PATTERN, raw):
        return raw
    ident = slug(raw.replace(".", "-")) or raw
    if ident != raw and re.match(ID_PATTERN, ident):
        report.warn(
            cell,
            _(
                "inject number {raw!r} is not an id (ids use letters, digits, - and _): "
                "it became {ident!r}"
            ).format(raw=raw, ident=ident),
        )
    return ident


class _RowReader:
    def __init__(self, row: Row, k: int, ctx: Context) -> None:
        self.row = row
        self.k = k
        self.ctx = ctx
        self.report = ctx.report
        self.data: dict[str, Any] = {}
        self.comments: list[str] = []

    def path(self, *rest: str | int) -> tuple[str | int, ...]:
        return ("injects", self.k, *rest)

    def text(self, column: str, structured: bool = False) -> tuple[str, Cell]:
        text, cell = self.ctx.header.cell(self.row, column, structured)
        if column in _FIELDS and cell.col:
            self.report.place(self.path(_FIELDS[column]), cell)
        return text, cell

    def read(self) -> Inject:
        self.report.place(self.path(), Cell(self.row.number, 1, ""))
        first_problem = len(self.report.problems)
        for column in REQUIRED:
            if not self.ctx.header.has(column):
                self.report.claimed.add(self.path(_FIELDS[column]))
        self._id()
        before = len(self.report.problems)
        self._trigger()
        if len(self.report.problems) == before:
            self._untriggered()
        self._when_jitter()
        self._phase()
        self._to()
        self._channel()
        self._from()
        self._priority()
        self._tags()
        self._plain(C.SYNOPSIS, "title", required=True)
        self._references()
        self._plain(C.BODY, "body")
        self._structured(C.ATTACHMENTS, "attachments", list)
        self._plain(C.NOTES, "notes")
        self._expectations()
        self._actual()
        self._overflow(first_problem)
        ordered = {key: self.data[key] for key in ORDER if key in self.data}
        return Inject(ordered, self.comments)

    # ------------------------------------------------------------------ fields

    def _overflow(self, first_problem: int) -> None:
        """Cells right of the last header: usually a comma typed in a cell without quotes.

        Every cell after that comma is then in the wrong column, so what the row's
        cells said is not reported: only the cause, once.
        """
        width = self.ctx.header.width
        extra = [k for k in range(width, len(self.row.cells)) if self.row.cells[k].strip()]
        if not extra:
            return
        del self.report.problems[first_problem:]
        self.report.error(
            Cell(self.row.number, extra[0] + 1, ""),
            _(
                "this row has more cells than the header ({width}): is there a comma in an "
                "earlier cell? Put that cell in quotes"
            ).format(width=width),
            concerns=self.path(),
        )

    def _id(self) -> None:
        text, cell = self.text(C.INJECT)
        raw = text.strip()
        if not raw:
            if cell.col:
                self.report.error(cell, _("no inject number"), concerns=self.path("id"))
            return
        self.data["id"] = self.ctx.numbers.get(raw, raw)

    def _trigger(self) -> None:
        time_text, time_cell = self.text(C.TIME)
        after, after_cell = self.text(C.AFTER)
        silent, silent_cell = self.text(C.IF_NO_RESPONSE)
        delay, delay_cell = self.text(C.DELAY)
        value = time_text.strip()
        if value.lower() in RELEASE_WORDS:
            self.data["contingency"] = True
            self.report.place(self.path("contingency"), time_cell)
        elif value:
            self._at(value, time_cell)
        after_role, after = _role_of(after)
        silent_role, silent = _role_of(silent)
        if after.strip():
            self.data["after"] = self._after(after.strip(), after_cell)
            if after_role:
                self.data["after"]["role"] = after_role
        if silent.strip():
            reference = self._reference(silent.strip(), silent_cell, "if_no_response")
            self.data["if_no_response"] = {"expectation": reference}
            if silent_role:
                self.data["if_no_response"]["role"] = silent_role
        if delay.strip():
            anchor_key = "after" if after.strip() else "if_no_response"
            if not (after.strip() or silent.strip()):
                self.report.error(
                    delay_cell,
                    _("a delay counts from After or If no response; this row has neither"),
                    concerns=self.path("delay"),
                )
            else:
                self.data[anchor_key]["delay"] = delay.strip()
                self.report.place(self.path(anchor_key, "delay"), delay_cell)
        for key, cell in (("after", after_cell), ("if_no_response", silent_cell)):
            if key in self.data:
                self.report.place(self.path(key), cell)
        contingency, cell = self.text(C.CONTINGENCY)
        if contingency.strip():
            try:
                if yes_no(contingency):
                    self.data["contingency"] = True
            except CellError as exc:
                self.report.error(cell, str(exc), concerns=self.path("contingency"))

    def _untriggered(self) -> None:
        """A row that never fires: said in the sheet's words, at its Time cell."""
        if any(key in self.data for key in ("at", "after", "if_no_response", "contingency")):
            return
        _time, cell = self.text(C.TIME)
        if not cell.col:
            cell = Cell(self.row.number, 1, "")
        self.report.error(
            cell,
            _(
                "no time: write T+15, D+1 H+2 or a clock time such as 09:30, or Contingency "
                "for an inject the control room releases, or fill After or If no response"
            ),
        )

    def _at(self, value: str, cell: Cell) -> None:
        try:
            offset = parse_offset(value)
            if isinstance(offset, ClockTime):
                ms = anchor(offset, self.ctx.start)
                self.comments.append(
                    f"{value} on the sheet: {format_duration(ms)} after the {self.ctx.start} start"
                )
                offset = ms
        except TimeError as exc:
            self.report.error(cell, str(exc), concerns=self.path("at"))
            self.data["at"] = value
            return
        self.data["at"] = format_duration(offset)

    def _after(self, text: str, cell: Cell) -> dict[str, Any]:
        """``{inject: …}`` for an inject number, ``{response: …}`` for ``NUMBER.expectation``."""
        if text in self.ctx.numbers:
            return {"inject": self.ctx.numbers[text]}
        if "." in text:
            return {"response": self._reference(text, cell, "after")}
        self._known_inject(text, text, cell, "after")
        return {"inject": text}

    def _reference(self, text: str, cell: Cell, key: str) -> str:
        """``1.2.verify`` → ``1-2.verify``: the inject part as the number became an id."""
        number, dot, expectation = text.rpartition(".")
        if not dot:
            return text
        ident = self.ctx.numbers.get(number, number)
        self._known_inject(ident, text, cell, key)
        return f"{ident}.{expectation}"

    def _known_inject(self, ident: str, text: str, cell: Cell, key: str) -> None:
        """Report an inject number that is on no row (checked here, whatever else is wrong)."""
        known = set(self.ctx.numbers.values())
        if ident in known or not ident:
            return
        close = difflib.get_close_matches(ident, sorted(known), n=1, cutoff=0.6)
        if ident == text:
            said = (
                _("unknown inject {ident!r} (did you mean {close!r}?)")
                if close
                else _("unknown inject {ident!r}")
            )
        else:
            said = (
                _("unknown inject {ident!r} in {text!r} (did you mean {close!r}?)")
                if close
                else _("unknown inject {ident!r} in {text!r}")
            )
        found = said.format(ident=ident, text=text, close=close[0] if close else "")
        self.report.error(cell, found, concerns=self.path(key))

    def _when_jitter(self) -> None:
        self._structured(C.WHEN, "when", dict)
        jitter, _cell = self.text(C.JITTER)
        if jitter.strip():
            self.data["jitter"] = jitter.strip()

    def _phase(self) -> None:
        text, cell = self.text(C.PHASE)
        if text.strip():
            self.data["phase"] = self.ctx.phases.resolve(text, cell, self.report)

    def _to(self) -> None:
        text, cell = self.text(C.TO)
        if not text.strip():
            if cell.col:
                self.report.error(
                    cell, _("no recipients: name teams, or write all"), self.path("to")
                )
            return
        if " ".join(text.split()).lower() in ALL_WORDS:
            self.data["to"] = "all"
            return
        try:
            names = split_list(text, ",;")
        except CellError as exc:
            self.report.error(cell, str(exc), concerns=self.path("to"))
            return
        # team:ID, cell:ID and tag:NAME stay as written (a roster defines them); a
        # bare name is a role, resolved against the #team rows.
        self.data["to"] = [
            "".join(n.split()) if ":" in n else self.ctx.teams.resolve(n, cell, self.report)
            for n in names
        ]

    def _channel(self) -> None:
        text, cell = self.text(C.METHOD)
        value = " ".join(text.split()).lower()
        if not value:
            if cell.col:
                self.report.error(
                    cell,
                    _("no delivery method: write {channels}").format(channels=", ".join(CHANNELS)),
                    self.path("channel"),
                )
            return
        channel = value if value in CHANNELS else CHANNEL_WORDS.get(value)
        if channel is None:
            self.report.error(
                cell,
                _("{text!r} is not a delivery method sitroom knows: write {channels}").format(
                    text=text.strip(), channels=", ".join(CHANNELS)
                ),
                concerns=self.path("channel"),
            )
            channel = text
        self.data["channel"] = channel

    def _from(self) -> None:
        text, cell = self.text(C.FROM)
        if not text.strip():
            if cell.col:
                self.report.error(
                    cell, _("no sender: name the simulated sender"), self.path("from")
                )
            return
        self.data["from"] = self.ctx.actors.resolve(text, cell, self.report)

    def _priority(self) -> None:
        text, _cell = self.text(C.PRIORITY)
        value = text.strip().lower()
        if value and value != "normal":
            self.data["priority"] = value

    def _tags(self) -> None:
        tags_text, tags_cell = self.text(C.TAGS)
        controller, controller_cell = self.text(C.CONTROLLER)
        tags: list[str] = []
        if controller.strip():
            tags.append(CONTROLLER_TAG + controller.strip())
            self.report.place(self.path("tags", 0), controller_cell)
        if tags_text.strip():
            try:
                tags.extend(split_list(tags_text))
            except CellError as exc:
                self.report.error(tags_cell, str(exc), concerns=self.path("tags"))
        if tags:
            self.data["tags"] = tags

    def _plain(self, column: str, key: str, required: bool = False) -> None:
        text, cell = self.text(column)
        if text:
            self.data[key] = text
        elif required and cell.col:
            self.report.error(
                cell, _("no {column}").format(column=column.lower()), concerns=self.path(key)
            )

    def _references(self) -> None:
        text, cell = self.text(C.REFERENCES, structured=True)
        if not text.strip():
            return
        try:
            self.data["references"] = parse_references(text)
        except CellError as exc:
            self.report.error(cell, str(exc), concerns=self.path("references"))

    def _structured(self, column: str, key: str, kind: type) -> Any:
        text, cell = self.text(column, structured=True)
        if not text.strip():
            return None
        try:
            value = load_yaml(text)
        except CellError as exc:
            self.report.error(cell, str(exc), concerns=self.path(key))
            return None
        if not isinstance(value, kind):
            if kind is list:
                said = _("expected a list (items start with '- ')")
            else:
                said = _("expected a mapping ({example})").format(example="{…}")
            self.report.error(cell, said, concerns=self.path(key))
            return None
        self.data[key] = value
        return value

    def _expectations(self) -> None:
        action, action_cell = self.text(C.EXPECTED)
        objective, objective_cell = self.text(C.OBJECTIVE)
        expects_text, _cell = self.ctx.header.cell(self.row, C.EXPECTATIONS)
        if expects_text.strip():
            expects = self._structured(C.EXPECTATIONS, "expects", list)
            if expects is not None:
                self._check_summary(expects, action, action_cell, objective, objective_cell)
            return
        if action.strip():
            self._manual(action, action_cell, objective, objective_cell)
        elif objective.strip():
            self.report.warn(
                objective_cell, _("no expected action on this row for the objective to apply to")
            )

    def _check_summary(
        self,
        expects: list[Any],
        action: str,
        action_cell: Cell,
        objective: str,
        objective_cell: Cell,
    ) -> None:
        if action.strip() and not same_text(action, expected_action(expects)):
            self.report.warn(
                action_cell,
                _(
                    "differs from the Expectations column, which is what was imported "
                    "(Expected action only summarises it)"
                ),
            )
        listed = split_list(objective, ",;") if objective.strip() else []
        if objective.strip() and listed != objectives_of(expects):
            self.report.warn(
                objective_cell,
                _(
                    "differs from the objectives in the Expectations column, which is what "
                    "was imported"
                ),
            )

    def _manual(self, action: str, action_cell: Cell, objective: str, cell: Cell) -> None:
        manual: dict[str, Any] = {"id": "action", "kind": "manual", "prompt": action.strip()}
        self.report.place(self.path("expects"), action_cell)
        names = split_list(objective, ",;") if objective.strip() else []
        if names:
            manual["objective"] = self.ctx.objectives.resolve(names[0], cell, self.report)
            self.report.place(self.path("expects", 0, "objective"), cell)
            if len(names) > 1:
                self.report.warn(
                    cell,
                    _(
                        "one objective per expected action: linked {name!r} only; "
                        "give the others their own expectation"
                    ).format(name=names[0]),
                )
        self.data["expects"] = [manual]
        self.comments.append(MANUAL_COMMENT)

    def _actual(self) -> None:
        text, cell = self.text(C.ACTUAL)
        if text.strip() and not self.ctx.actual_reported:
            self.ctx.actual_reported = True
            self.report.warn(
                cell, _("actual delivery times are recorded during play: not imported")
            )


def _role_of(text: str) -> tuple[str, str]:
    """``legal: 3.decide`` → ("legal", "3.decide"): an anchor at another role's table in
    the same cell (written by :func:`engine.msel.export.with_role`)."""
    role, colon, rest = text.partition(":")
    if colon and role.strip() and " " not in role.strip():
        return role.strip(), rest.strip()
    return "", text
