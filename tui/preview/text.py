"""The preview as plain text, for ``sitroom preview FILE > preview.txt`` or ``| less``.

When its output is not a terminal the preview has nobody to watch it: it prints
what the app shows (the status line, the timeline of every role, the branches,
the load per quarter hour, the problems with the lines around each) once, and
exits. It renders the same :class:`~engine.scenario.preview.Preview` the app
renders, through the app's own text functions, so the two never disagree.

Scenario text reaches the output through :func:`~tui.console.safe.visible`, as the
app's does.
"""

from __future__ import annotations

from engine.durations import format_at, format_duration
from engine.i18n import _
from engine.i18n.forms import grouped
from engine.scenario.branches import edges_from
from engine.scenario.modules import Talk, discussion_line
from engine.scenario.preview import MARK_GLYPH, Preview, TimelineRow
from tui.console.safe import visible
from tui.preview.render import (
    DEFAULT_PALETTE,
    legend,
    load_chart,
    load_note,
    problem_badge,
    source_text,
    status_text,
)

TITLE_WIDTH = 60
"""Titles are cut here (with …) so that a timeline row fits a 100-column pager."""


def preview_text(preview: Preview) -> str:
    """Everything the preview app shows, as lines of plain text (ends with a newline)."""
    out = [status_text(preview, 0, DEFAULT_PALETTE).plain]
    if preview.scenario is not None:
        out += ["", *_timeline(preview), "", *_branches(preview), "", *_load(preview)]
    out += ["", *_problems(preview)]
    return "\n".join(line.rstrip() for line in out) + "\n"


def _cut(text: str, width: int = TITLE_WIDTH) -> str:
    text = visible(text, one_line=True)
    return text if len(text) <= width else text[: width - 1] + "…"


def _timeline(preview: Preview) -> list[str]:
    roles = preview.roles
    lanes = " ".join(f"{r.short:<3}" for r in roles)
    story = preview.clock is not None
    # Column heads are translated, then padded to the columns' widths.
    time, story_head, ident, pb, title_head = _("Time"), _("Story"), _("Id"), _("Pb"), _("Title")
    head = f"{time:>6}  {_story_cell(story_head, story)}{ident:<8} {pb:<4} {lanes}"
    lines = [
        _("Timeline of {role}").format(role=_("every role"))
        + f"   {legend(DEFAULT_PALETTE).plain}",
        f"{head}  {'':<3} {title_head}",
    ]
    width = TITLE_WIDTH - len(_story_cell("", story))  # the row keeps its width

    def title(row: TimelineRow) -> str:
        return row.title + (f" → {row.to_label}" if row.names_teams else "")

    talks = list(preview.talks)
    for row in preview.rows:
        while talks and row.time is not None and talks[0].at < row.time:
            lines.append(_talk_line(preview, talks.pop(0)))
        cells = []
        for role, lane in zip(roles, row.lanes, strict=True):
            if lane:
                glyph = MARK_GLYPH[row.mark]
            elif role.id in row.addressed:
                glyph = "×"
            else:
                glyph = "·"
            cells.append(f"{glyph:<3}")
        badge = problem_badge(row.errors, row.warnings, DEFAULT_PALETTE).plain
        flags = "".join(MARK_GLYPH[f] for f in row.flags if f != "fixed")
        lines.append(
            f"{row.time_label:>6}  {_story_cell(row.story, story)}"
            f"{row.inject:<8} {badge:<4} {' '.join(cells)}  "
            f"{flags:<3} {_cut(title(row), width)}"
        )
    lines.extend(_talk_line(preview, talk) for talk in talks)
    named = [f"{r.short} {r.id}" for r in roles if r.short != r.id]
    if named:
        lines.append(_("Lanes: {lanes}").format(lanes=" · ".join(named)))
    return lines


STORY_WIDTH = len("≥Tue 09:42")
"""The story column: the story clock's text with the time label's qualifier."""


def _story_cell(text: str, shown: bool) -> str:
    """The story column's cell, or nothing for a scenario without a start."""
    return f"{text:>{STORY_WIDTH}}  " if shown else ""


def _talk_line(preview: Preview, talk: Talk) -> str:
    """A module's discussion: play pauses there until the facilitator resumes."""
    story = _story_cell(preview.talk_story(talk), preview.clock is not None)
    return f"{format_at(talk.at):>6}  {story}‖ {_cut(discussion_line(talk), 100)}"


def _branches(preview: Preview) -> list[str]:
    sc = preview.scenario
    assert sc is not None
    edges = list(preview.edges)
    lines = [_("Branches (what leads where)")]
    for row in preview.rows:
        outgoing = edges_from(edges, row.inject)
        if not outgoing:
            continue
        lines.append(f"  {row.inject} {row.time_label} {_cut(row.title)}")
        for edge in outgoing:
            where = edge.expectation.partition(".")[2] if edge.expectation else _("delivery")
            target = preview.row(edge.target)
            title = f" {_cut(target.title, 40)}" if target is not None else ""
            extra = " · " + _("with other tests") if edge.compound else ""
            lines.append(
                f"    {where}: {edge.outcome} → {edge.target}{title} · {edge.timing}{extra}"
            )
    if preview.held:
        lines.append("  " + _("Held for the control room (released by a controller)"))
        for inject in preview.held:
            target = preview.row(inject)
            title = f" {_cut(target.title)}" if target is not None else ""
            lines.append(f"    {MARK_GLYPH['contingency']} {inject}{title}")
    if len(lines) == 1:
        lines.append("  " + _("none: every inject fires on time, whatever the answers"))
    return lines


def _load(preview: Preview) -> list[str]:
    sc = preview.scenario
    assert sc is not None
    head = _("Load per 15 minutes ({duration})").format(duration=format_duration(sc.duration))
    chart = load_chart(preview, DEFAULT_PALETTE).plain.split("\n")
    return [head, *chart, "", load_note(preview, DEFAULT_PALETTE).plain]


def _problems(preview: Preview) -> list[str]:
    if not preview.problems:
        return [_("Problems: none, the scenario is valid")]
    lines = [_("Problems ({n})").format(n=grouped(len(preview.problems)))]
    for row in preview.problems:
        where = " " + _("(in {inject})").format(inject=row.inject) if row.inject else ""
        text = source_text(preview, row.problem, DEFAULT_PALETTE).plain
        first, _sep, rest = text.partition("\n")
        lines.append(f"  {first}{where}")
        lines += [f"    {part}" for part in rest.split("\n") if rest]
    return lines
