"""Injects: the scripted events the control room delivers, and when they fire.

Timing is per team. An inject fires for a team at a fixed offset (``at``), some
time after another inject reached that team or after the team answered an
expectation (``after``), or when the team let an expectation's deadline pass
(``if_no_response``). ``when`` gates it on the team's earlier answers, so each
team follows its own branch. ``contingency`` injects wait for a controller.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Discriminator,
    Field,
    Tag,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from engine.durations import Duration
from engine.i18n import _
from engine.scenario.address import parse_address, possible_roles
from engine.scenario.common import (
    ExpectationRef,
    FieldError,
    Id,
    Model,
    References,
    one_of_text,
)
from engine.scenario.expectations import Expectation
from engine.scenario.lang import Text, TextRequired

Channel = Literal["email", "news", "social", "phone", "alert", "ticket", "document", "chat"]
CHANNELS: tuple[Channel, ...] = (
    "email",
    "news",
    "social",
    "phone",
    "alert",
    "ticket",
    "document",
    "chat",
)
PUBLIC_CHANNELS: frozenset[Channel] = frozenset({"news", "social"})
"""Channels the whole world reads: what they carry, once delivered, is no secret of a
team's (the team console's feed, the projector's wall)."""
Priority = Literal["low", "normal", "high", "critical"]


Media = Literal["image", "audio", "video", "pdf", "text"]
SHA256 = r"^[0-9a-f]{64}$"


class Attachment(Model):
    """A document that travels with an inject: written here (a log excerpt, a memo),
    or a file beside the scenario (the deepfaked still, the cloned voice message, the
    leaked model card; :mod:`engine.scenario.attachfiles`).

    For a file, ``text`` says what it shows, for whoever cannot see or hear it (a
    screen reader, a terminal); the loader fills ``sha256``, ``size`` and ``media``
    from the file (and, for a text file, ``content``), so the text the event log
    stores says exactly what was shown, and a replay needs no other file.
    """

    name: TextRequired
    text: Text = Field("", description="The document itself, or what the file shows")
    file: str | None = Field(
        None,
        description="A file in the scenario's folder or below (path relative to it): "
        "PNG, JPEG, GIF or WebP image, MP3, WAV, OGG or M4A audio, MP4 video, PDF, or a "
        "text file (.txt, .log, .csv, .md, .json)",
    )
    sha256: str | None = Field(None, pattern=SHA256, description="Filled by the loader")
    size: int | None = Field(None, ge=0, description="Filled by the loader: bytes")
    media: Media | None = Field(None, description="Filled by the loader: the kind of file")
    content: str | None = Field(None, description="Filled by the loader: a text file's text")

    @model_validator(mode="after")
    def _text_or_file(self) -> Attachment:
        if self.file is None:
            if not self.text:
                raise FieldError("text", _("an attachment has text, or a file"))
            for name in ("sha256", "size", "media", "content"):
                if getattr(self, name) is not None:
                    raise FieldError(
                        name, _("{field} belongs to a file attachment").format(field=name)
                    )
        elif self.sha256 is None or self.size is None or self.media is None:
            raise FieldError("file", _("the file was not read (load the scenario from its file)"))
        return self


ANCHOR_ROLE = (
    "The anchor is the team playing this role in the same cell (organisation), not the "
    "team itself: the inject follows what happened at that team's table"
)


class After(Model):
    """Fire ``delay`` after another inject reached the team, or after the team answered
    (with ``role``: the team of that role in the same cell)."""

    inject: Id | None = Field(None, description="Another inject's delivery to the same team")
    response: ExpectationRef | None = Field(
        None, description="The team's first answer to INJECT.EXPECTATION"
    )
    delay: Duration = 0
    role: Id | None = Field(None, description=ANCHOR_ROLE)

    @model_validator(mode="after")
    def _one_anchor(self) -> After:
        if self.inject is not None and self.response is not None:
            raise FieldError(
                "response", _("after takes one anchor: inject or response, not both (keep one)")
            )
        if self.inject is None and self.response is None:
            raise ValueError(
                _(
                    "after needs inject (after another inject reached the team) or "
                    "response (after the team answered INJECT.EXPECTATION)"
                )
            )
        return self

    @property
    def anchor_inject(self) -> str:
        if self.inject is not None:
            return self.inject
        assert self.response is not None
        return self.response.partition(".")[0]


class IfNoResponse(Model):
    """Escalation: fire when the team (with ``role``: the team of that role in the same
    cell) lets an expectation's deadline pass unanswered."""

    expectation: ExpectationRef
    delay: Duration = 0
    role: Id | None = Field(None, description=ANCHOR_ROLE)


class Test(Model):
    """A test on one team's answer to one expectation; give exactly one of the tests.

    With ``role``, the answer tested is that of the team playing that role in the same
    cell (organisation) as the team the inject would reach: legal's choice changes
    what communications is told next."""

    expectation: ExpectationRef
    role: Id | None = Field(
        None,
        description="Test the answer of the team playing this role in the same cell "
        "(organisation), instead of the team's own",
    )
    world: Literal["any", "all"] | Annotated[int, Field(ge=1)] | None = Field(
        None,
        description="Test every team the expectation's inject reached (of ``role``, if "
        "given), not this one: any (at least one holds), all (every one), or a number "
        "(at least that many)",
    )
    chose: one_of_text(Id, "chose-one", list[Id], "chose-list") | None = Field(  # type: ignore[valid-type]
        None, description="The decision's option (or one of these)"
    )
    met: bool | None = Field(None, description="The answer reached the expectation's pass mark")
    answered: bool | None = Field(None, description="The team has answered (yet)")
    missed: bool | None = Field(None, description="The deadline passed with no answer")
    done: Id | None = Field(None, description="A checklist item was ticked")
    not_done: Id | None = Field(None, description="A checklist item was not ticked")

    @model_validator(mode="after")
    def _exactly_one(self) -> Test:
        given = [
            name
            for name in ("chose", "met", "answered", "missed", "done", "not_done")
            if getattr(self, name) is not None
        ]
        if len(given) > 1:
            raise FieldError(
                given[1],
                _(
                    "a test checks one thing, and this one has {fields}: combine tests with "
                    "all: or any: instead"
                ).format(fields=_(" and ").join(given)),
            )
        if not given:
            raise ValueError(
                _(
                    "a test needs one of chose, met, answered, missed, done or not_done "
                    "(or combine tests with all, any, not)"
                )
            )
        return self

    @property
    def options(self) -> list[str]:
        if self.chose is None:
            return []
        return [self.chose] if isinstance(self.chose, str) else list(self.chose)


class AllOf(Model):
    all: list[Condition] = Field(min_length=1)


class AnyOf(Model):
    any: list[Condition] = Field(min_length=1)


class Not(Model):
    not_: Condition = Field(alias="not")


def _condition_tag(value: Any) -> str:
    if isinstance(value, dict):
        for key in ("all", "any", "not"):
            if key in value:
                return f"when-{key}"
        return "when-test"
    if isinstance(value, (AllOf, AnyOf, Not, Test)):
        return {AllOf: "when-all", AnyOf: "when-any", Not: "when-not", Test: "when-test"}[
            type(value)
        ]
    return "when-test"


Condition = Annotated[
    Annotated[AllOf, Tag("when-all")]
    | Annotated[AnyOf, Tag("when-any")]
    | Annotated[Not, Tag("when-not")]
    | Annotated[Test, Tag("when-test")],
    Discriminator(_condition_tag),
]
"""A test, or ``all``/``any`` of a list of conditions, or ``not`` one."""


def condition_tests(cond: Condition) -> list[Test]:
    """Every leaf test in a condition tree, in document order."""
    if isinstance(cond, Test):
        return [cond]
    if isinstance(cond, AllOf):
        return [t for c in cond.all for t in condition_tests(c)]
    if isinstance(cond, AnyOf):
        return [t for c in cond.any for t in condition_tests(c)]
    return condition_tests(cond.not_)


def _checked_address(text: str) -> str:
    """An address as written, once its form is right (see :mod:`engine.scenario.address`)."""
    parse_address(text)
    return text


ADDRESS_PATTERN = r"^((team|cell|tag):)?[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"
AddressText = Annotated[
    str,
    AfterValidator(_checked_address),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": ADDRESS_PATTERN,
            "description": "A role id, team:TEAM, cell:CELL or tag:TAG",
        }
    ),
]
"""One entry of ``to``: a role id, ``team:ID``, ``cell:ID`` or ``tag:NAME``."""


def _single_team_as_list(value: Any) -> Any:
    """``to: cert`` reads as ``to: [cert]``; ``to: all`` stays ``all``."""
    if isinstance(value, str) and value != "all":
        return [value]
    return value


class Inject(Model):
    """One scripted event delivered to one or more teams."""

    id: Id
    title: TextRequired
    channel: Channel
    from_: Id = Field(alias="from", description="The actor who sends it")
    to: Annotated[
        one_of_text(Literal["all"], "to-all", list[AddressText], "to-list"),  # type: ignore[valid-type]
        BeforeValidator(_single_team_as_list),
    ] = Field(
        description="Roles, specific teams (team:ID), cells (cell:ID), teams with a tag "
        "(tag:NAME), mixed; or all"
    )
    body: Text = Field("", description="Markdown")
    attachments: list[Attachment] = Field(default_factory=list)
    phase: Id | None = None
    priority: Priority = "normal"
    tags: list[str] = Field(default_factory=list)
    references: References = Field(default_factory=References)
    notes: Text = Field("", description="For controllers and evaluators only; never shown to teams")
    contingency: bool = Field(False, description="Held until a controller (or a rule) releases it")

    at: Duration | None = Field(None, description="Offset from the start of the exercise")
    after: After | None = None
    if_no_response: IfNoResponse | None = None
    jitter: Duration = Field(
        0, description="Up to this much later (at most 30 days), drawn per team from the seed"
    )
    when: Condition | None = Field(None, description="Fire only for teams whose answers match")

    expects: list[Expectation] = Field(default_factory=list)

    @field_validator("to")
    @classmethod
    def _someone(cls, to: Any) -> Any:
        if not to:
            raise ValueError(_("to is empty: name at least one team, or write all"))
        return to

    @model_validator(mode="after")
    def _one_trigger(self) -> Inject:
        triggers = [n for n in ("at", "after", "if_no_response") if getattr(self, n) is not None]
        if self.contingency and (self.at is not None or self.after is not None):
            raise FieldError(
                "at" if self.at is not None else "after",
                _(
                    "a contingency inject waits for a controller to release it: drop at and "
                    "after (if_no_response may still release it automatically)"
                ),
            )
        if len(triggers) > 1:
            raise FieldError(
                triggers[1],
                _("an inject has one trigger, and this one has {fields}: keep one").format(
                    fields=_(" and ").join(triggers)
                ),
            )
        if not triggers and not self.contingency:
            raise ValueError(
                _("no trigger: give at, after or if_no_response, or mark it contingency: true")
            )
        return self

    @property
    def trigger(self) -> Literal["at", "after", "if_no_response", "release"]:
        if self.at is not None:
            return "at"
        if self.after is not None:
            return "after"
        if self.if_no_response is not None:
            return "if_no_response"
        return "release"

    def addressed_roles(self, all_roles: list[str]) -> list[str]:
        """The roles whose teams may receive it, before a roster says who the named
        teams, cells and tagged teams are (see :func:`possible_roles`)."""
        return possible_roles(self.to, all_roles)


AllOf.model_rebuild()
AnyOf.model_rebuild()
Not.model_rebuild()
