"""Hostile and careless text for console tests: a scenario and traffic full of it, and
a reading of what a console shows.

Every text field of the scenario (titles, bodies, option labels, prompts, actors,
attachments, objectives, team names) and of the traffic (questions, replies, team
notes, member names, answers, broadcasts, notes, reasons) is given by a function
of the field's name, so the Pilot tests use fixed payloads and the fuzz test
generated ones. The traffic is made by the server's own code
(:class:`engine.net.fake.FakeServer`), never by hand.

:func:`shown` reads what a console shows, widget by widget, the way each widget
would render it (a ``str`` cell of a ``DataTable`` or a ``str`` prompt of an
``OptionList`` read as markup, as Textual reads it), hidden tabs included, so a
test sees each text whole rather than cut at the edge of the screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml
from rich.text import Text
from textual.app import App
from textual.visual import visualize
from textual.widget import Widget
from textual.widgets import Button, DataTable, OptionList, RichLog, Static, Tab, Tree
from textual.widgets._data_table import default_cell_formatter
from textual.widgets._toggle_button import ToggleButton

from engine import commands as c
from engine.commands import MAX_SHORT, MAX_TEXT
from engine.net.client import new_id
from engine.net.fake import FakeLink, FakeServer
from engine.net.protocol import Ack
from engine.textsafe import is_clean, visible

M = 60_000

MARKUP = (
    "why is [/] here?",
    "[reverse bold red] CONTROL: SERVER RESTARTING…[/]",
    "[@click=app.quit]x",
    "[link=https://evil.example]click[/link]",
    "[$accent]themed[/]",
    "[b]",
    "trailing \\",
)
ESCAPES = (
    "\x1b]0;pwned\x07",
    "\x1b[2J\x1b[H",
    "\x9b31m",
    "\x00nul\x7fdel",
    "cr\rlf",
)
BIDI = ("\u202eexe.txt\u202c", "\u2066iso\u2069", "\u200f")
INVISIBLE = ("zero\u200bwidth", "join\u200d", "\ufeffbom", "soft\u00adhyphen")
DRESSED = (
    ("CONTROL:SERVERRESTARTING", "[reverseboldred]CONTROL:SERVERRESTARTING"),
    ("themed", "[$accent]themed"),
)
"""Words of a markup payload, and the payload they must be shown in (whitespace removed):
shown without their tag, the tag was applied."""
EVERYTHING = " ".join((*MARKUP, *ESCAPES, *BIDI, *INVISIBLE))
"""Every kind of trouble in one string."""


def fixed(field: str) -> str:
    """A field's text in the Pilot tests: its name, then every kind of trouble."""
    return f"{field} {EVERYTHING}"


def long_text(field: str, size: int) -> str:
    """A field's text of ``size`` characters: trouble, repeated."""
    unit = f"{field} {EVERYTHING} "
    return (unit * (size // len(unit) + 1))[:size]


# ----------------------------------------------------------------- scenario


def scenario_doc(text: Callable[[str], str]) -> dict[str, Any]:
    """A small scenario whose every text field is ``text(field name)``: a decision with an
    attachment, a checklist, a news story with a text question, a social post graded by
    an evaluator, and a contingency inject."""

    def inject(
        iid: str, at: str | None, channel: str, expects: list[dict[str, Any]]
    ) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "id": iid,
            "to": "all",
            "channel": channel,
            "from": "x",
            "title": text(f"title-{iid}"),
            "body": text(f"body-{iid}"),
            "expects": expects,
        }
        if at is None:
            doc["contingency"] = True
        else:
            doc["at"] = at
        return doc

    decision = inject(
        "D",
        "1m",
        "email",
        [
            {
                "id": "pick",
                "kind": "decision",
                "objective": "obj",
                "prompt": text("prompt-pick"),
                "due": "10m",
                "options": [
                    {"id": "good", "label": text("option-good"), "points": 10},
                    {"id": "bad", "label": text("option-bad"), "points": 0},
                ],
            }
        ],
    )
    decision["attachments"] = [{"name": text("attachment-name"), "text": text("attachment-text")}]
    decision["priority"] = "critical"
    return {
        "id": "hostile",
        "title": text("scenario-title"),
        "description": text("scenario-description"),
        "duration": "2h",
        "seed": 1,
        "objectives": [
            {
                "id": "obj",
                "title": text("objective-title"),
                "capability": text("objective-capability"),
            }
        ],
        "teams": [
            {"id": "a", "name": text("team-a"), "role": text("team-role")},
            {"id": "b", "name": text("team-b")},
        ],
        "actors": [{"id": "x", "name": text("actor-name"), "kind": "press"}],
        "injects": [
            decision,
            inject(
                "C",
                "2m",
                "ticket",
                [
                    {
                        "id": "list",
                        "kind": "checklist",
                        "prompt": text("prompt-list"),
                        "items": [
                            {"id": "i1", "label": text("item-1"), "points": 3},
                            {"id": "i2", "label": text("item-2"), "points": 2},
                        ],
                    }
                ],
            ),
            inject(
                "T",
                "3m",
                "news",
                [
                    {
                        "id": "say",
                        "kind": "text",
                        "prompt": text("prompt-say"),
                        "points": 10,
                        "required": ["grid"],
                    }
                ],
            ),
            inject(
                "G",
                "4m",
                "social",
                [
                    {
                        "id": "brief",
                        "kind": "manual",
                        "objective": "obj",
                        "prompt": text("prompt-brief"),
                        "max_points": 8,
                        "rubric": text("rubric"),
                    }
                ],
            ),
            inject("H", None, "alert", []),
        ],
    }


def write_scenario(path: Path, text: Callable[[str], str]) -> Path:
    path.write_text(
        yaml.safe_dump(scenario_doc(text), allow_unicode=True, sort_keys=False, width=1 << 20),
        encoding="utf-8",
    )
    return path


# ----------------------------------------------------------------- traffic


def send(server: FakeServer, link: FakeLink, command: c.Command) -> None:
    answer = server.command(link, command, new_id())
    assert isinstance(answer, Ack), answer


def play(server: FakeServer, text: Callable[[str], str]) -> dict[str, str]:
    """Participants and staff write ``text(field)`` everywhere they can; the exercise ends
    paused at 20:00. Returns the member names used (``member-1``, ``member-2``)."""
    members = {
        "member-1": text("member-1")[:MAX_SHORT],
        "member-2": text("member-2")[:MAX_SHORT],
    }
    control = server.link("facilitator:control")
    lead = server.link("evaluator:lead")
    one = server.link("team:a", members["member-1"])
    two = server.link("team:a", members["member-2"])
    b = server.link("team:b", members["member-2"])

    def body(field: str) -> str:
        return text(field)[:MAX_TEXT] or "-"

    send(server, control, c.Start())
    server.advance_to(5 * M)
    m1, m2 = members["member-1"], members["member-2"]
    send(server, two, c.Respond(team="a", member=m2, expectation="C.list", items=["i1", "i2"]))
    send(server, one, c.Respond(team="a", member=m1, expectation="T.say", text=body("answer-say")))
    send(server, two, c.Respond(team="a", member=m2, expectation="G.brief", text=body("answer-g")))
    send(server, b, c.Respond(team="b", member=m2, expectation="D.pick", choice="bad"))
    server.advance_to(6 * M)
    send(server, one, c.Ask(team="a", member=m1, actor="x", text=body("question-answered")))
    send(server, control, c.Reply(team="a", actor="x", text=body("reply")))
    send(server, two, c.Ask(team="a", member=m2, actor="x", text=body("question-open")))
    send(server, b, c.Ask(team="b", member=m2, actor="x", text=body("question-b")))
    send(server, one, c.TeamNote(team="a", member=m1, text=body("team-note")))
    send(
        server,
        control,
        c.Broadcast(title=body("broadcast-title")[:MAX_SHORT], text=body("broadcast")),
    )
    send(
        server,
        lead,
        c.Grade(
            evaluator="lead", team="a", expectation="G.brief", points=5, reason=body("grade-why")
        ),
    )
    send(
        server,
        lead,
        c.Rate(evaluator="lead", team="a", objective="obj", rating="S", reason=body("rate-why")),
    )
    send(server, lead, c.Note(author="lead", text=body("note"), team="a", category="strength"))
    send(server, control, c.Release(inject="H"))
    server.advance_to(20 * M)
    send(server, control, c.Pause(reason=body("pause-reason")[:MAX_SHORT]))
    return members


# ----------------------------------------------------------------- reading a console


def _plain(visual: object) -> str:
    if isinstance(visual, Text):
        return visual.plain
    plain = getattr(visual, "plain", None)
    return plain if isinstance(plain, str) else str(visual)


def widget_texts(widget: Widget) -> Iterator[str]:
    """What one widget shows, each piece as the widget renders it (``str`` as markup where
    Textual reads it so)."""
    if isinstance(widget, DataTable):
        for column in widget.ordered_columns:
            yield _plain(column.label)
        for index in range(widget.row_count):
            for cell in widget.get_row_at(index):
                yield _plain(default_cell_formatter(cell))
    elif isinstance(widget, OptionList):
        for option in widget.options:
            yield _plain(visualize(widget, option.prompt))
    elif isinstance(widget, RichLog):
        yield "\n".join(strip.text for strip in widget.lines)  # one text, however wrapped
    elif isinstance(widget, Tree):
        stack = [widget.root]
        while stack:
            node = stack.pop()
            yield _plain(node.label)
            stack.extend(node.children)
    elif isinstance(widget, Tab | Button | ToggleButton):
        yield _plain(widget.label)
    elif isinstance(widget, Static):
        yield _plain(visualize(widget, widget.render()))


def shown(app: App[Any]) -> list[str]:
    """What every widget of the app's current screen shows (hidden tabs too), and the
    screens beneath it, and the notifications."""
    out: list[str] = []
    for screen in app.screen_stack:
        for widget in screen.walk_children(Widget, with_self=False):
            out.extend(widget_texts(widget))
    for notification in app._notifications:
        out.extend((notification.title, notification.message))
    return out


def squash(text: str) -> str:
    """``text`` without whitespace (wrapping moves and drops it)."""
    return "".join(text.split())


def assert_safe(texts: list[str]) -> None:
    """Nothing shown holds a control, bidi or invisible character."""
    for text in texts:
        assert is_clean(text), f"unsafe character shown in {text[:200]!r}"


def assert_literal(texts: list[str], expected: dict[str, str], *, prefix: int = 120) -> None:
    """Each expected text is shown literally (made visible) by some widget: its first
    ``prefix`` characters at least (long texts are cut on screen), and never as markup:
    no widget shows a markup payload's words without its tags."""
    whole = [squash(t) for t in texts]
    for field, raw in expected.items():
        want = squash(visible(raw, one_line=True))[:prefix]
        want_lines = squash(visible(raw))[:prefix]
        assert any(want in t or want_lines in t for t in whole), (
            f"{field}: {want[:80]!r} is not shown literally"
        )
    for words, tagged in DRESSED:
        for t in whole:
            if words in t:
                assert tagged in t, f"markup applied: {words!r} without its tag in {t[:200]!r}"
