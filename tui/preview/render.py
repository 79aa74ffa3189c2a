"""Rich text for the preview's panes, built from the model by pure functions.

Colours come in as a :data:`Palette` (the theme's ``error``, ``warning``…), so
the same functions serve the light and dark themes and unit tests need no app.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text

from engine.durations import format_at, format_duration
from engine.i18n import N_, _, ngettext, pgettext
from engine.i18n.forms import grouped
from engine.problems import Problem
from engine.scenario.branches import Edge, describe_condition, edges_from
from engine.scenario.expectations import (
    ChecklistExpectation,
    DecisionExpectation,
    TextExpectation,
)
from engine.scenario.modules import Talk
from engine.scenario.preview import (
    MARK_GLYPH,
    MARK_WORD,
    Mark,
    Preview,
    TimelineRow,
    excerpt,
    sparkline,
)
from tui.console.safe import visible

Palette = Mapping[str, str]
DEFAULT_PALETTE: Palette = {
    "error": "red",
    "warning": "yellow",
    "success": "green",
    "accent": "blue",
    "muted": "grey50",
}

MARK_COLOUR: dict[Mark, str] = {
    "fixed": "",
    "answer": "accent",
    "conditional": "accent",
    "escalation": "warning",
    "contingency": "success",
    "never": "error",
}


def colour(palette: Palette, name: str) -> str:
    return palette.get(name, DEFAULT_PALETTE.get(name, "")) if name else ""


# Translated when shown: the language may change after this module is imported.
_LEGEND: tuple[tuple[Mark, str], ...] = (
    ("fixed", N_("fixed")),
    ("answer", N_("after an answer")),
    ("conditional", N_("if")),
    ("escalation", N_("no answer")),
    ("contingency", N_("held")),
)


def legend(palette: Palette) -> Text:
    """The marks used in lanes and the tree, one word each."""
    text = Text()
    for mark, word in _LEGEND:
        text.append(MARK_GLYPH[mark], style=colour(palette, MARK_COLOUR[mark]))
        text.append(f" {_(word)}  ")
    text.rstrip()
    return text


def mark_glyph(mark: Mark, palette: Palette) -> Text:
    return Text(MARK_GLYPH[mark], style=colour(palette, MARK_COLOUR[mark]))


def flags_text(row: TimelineRow, palette: Palette) -> Text:
    text = Text()
    for flag in row.flags:
        if flag != "fixed":
            text.append_text(mark_glyph(flag, palette))
    return text


def problem_badge(errors: int, warnings: int, palette: Palette) -> Text:
    """``✗2`` for errors, ``!1`` for warnings, nothing when clean."""
    text = Text()
    if errors:
        text.append(f"✗{errors}", style=f"bold {colour(palette, 'error')}")
    if warnings:
        text.append(f"!{warnings}", style=colour(palette, "warning"))
    return text


def severity_glyph(problem: Problem, palette: Palette) -> Text:
    if problem.severity == "error":
        return Text("✗ " + _("error"), style=f"bold {colour(palette, 'error')}")
    return Text("! " + _("warning"), style=colour(palette, "warning"))


def status_text(preview: Preview, reloads: int, palette: Palette) -> Text:
    """The top line: file, scenario, size, and whether it is clean."""
    text = Text(visible(preview.name, one_line=True), style="bold")
    sc = preview.scenario
    if sc is not None:
        text.append(f" · {visible(sc.title, one_line=True)} · {format_duration(sc.duration)}")
        # English has always said "1 roles" (its plural for every count); French agrees.
        roles = ngettext("{n} roles", "{n} roles", len(sc.teams)).format(n=grouped(len(sc.teams)))
        injects = ngettext("{n} injects", "{n} injects", len(sc.injects))
        branches = ngettext("{n} branches", "{n} branches", len(preview.edges))
        text.append(f" · {roles} · {injects.format(n=grouped(len(sc.injects)))}")
        text.append(" · " + branches.format(n=grouped(len(preview.edges))))
    text.append(" · ")
    if preview.errors:
        errors = ngettext("{n} error", "{n} errors", preview.errors).format(
            n=grouped(preview.errors)
        )
        text.append("✗ " + errors, style=f"bold {colour(palette, 'error')}")
    if preview.warnings:
        if preview.errors:
            text.append(", ")
        warnings = ngettext("{n} warning", "{n} warnings", preview.warnings)
        text.append(
            "! " + warnings.format(n=grouped(preview.warnings)), style=colour(palette, "warning")
        )
    if not preview.errors and not preview.warnings:
        text.append("✓ " + _("valid"), style=colour(palette, "success"))
    if preview.stale:
        text.append(" · " + _("showing the last version that loaded"), style="italic")
    elif preview.scenario is None:
        text.append(" · " + _("nothing to show until the file loads"), style="italic")
    if reloads:
        reloaded = _("reloaded ×{n}").format(n=grouped(reloads))
        text.append(" · " + reloaded, style=colour(palette, "muted"))
    return text


def _role_names(preview: Preview, row: TimelineRow) -> str:
    names = [r.id for r, lane in zip(preview.roles, row.lanes, strict=True) if lane]
    lost = [r for r in row.addressed if r not in names]
    out = ", ".join(names) or _("nobody")
    if row.names_teams:
        out = _("{to} · teams of {roles} may be among them (the roster decides)").format(
            to=row.to_label, roles=out
        )
    if lost:
        never = _("(addressed but never reached: {roles})").format(roles=", ".join(lost))
        out += " " + never
    return out


def _edge_line(edge: Edge, preview: Preview, palette: Palette, *, incoming: bool) -> Text:
    text = Text("  ")
    if incoming:
        where = edge.expectation or _("{inject} delivered").format(inject=edge.source)
        text.append(f"{where}: {edge.outcome}")
    else:
        label = edge.expectation.partition(".")[2] if edge.expectation else _("delivery")
        text.append(f"{label}: {edge.outcome} → ")
        text.append(edge.target, style="bold")
        row = preview.row(edge.target)
        if row is not None:
            text.append(f" {visible(row.title, one_line=True)}")
    if edge.compound:
        text.append(" " + _("(with other tests)"), style=colour(palette, "muted"))
    return text


def talk_text(talk: Talk, story: str = "") -> Text:
    """A module's discussion: when play pauses (and the story's time then, if the
    scenario has a story clock), for how long, and the questions."""
    text = Text()
    text.append(_("{module} discussion: ").format(module=talk.label), style="bold")
    text.append(visible(talk.title), style="bold")
    when = format_at(talk.at)
    if story:
        when += ", " + _("story {time}").format(time=story)
    pauses = _(
        "Play pauses for every team at {when} (about {minutes} min); the facilitator resumes it."
    )
    text.append("\n" + pauses.format(when=when, minutes=talk.minutes))
    for n, question in enumerate(talk.questions, 1):
        text.append(f"\n{n}. ", style="bold")
        text.append(visible(question))
    return text


def detail_text(preview: Preview, inject_id: str | None, palette: Palette) -> Text:
    """Everything about one inject a planner checks: when, for whom, on what
    condition, what it expects, where it leads, and the problems found in it."""
    sc = preview.scenario
    talk = preview.talk(inject_id)
    if talk is not None:
        return talk_text(talk, preview.talk_story(talk))
    row = preview.row(inject_id) if inject_id else None
    if sc is None or row is None or inject_id not in sc.inject_by_id:
        return Text(_("Select an inject to see its details."), style=colour(palette, "muted"))
    inject = sc.inject_by_id[inject_id]
    text = Text()
    text.append(f"{inject.id} ", style="bold")
    text.append(visible(inject.title), style="bold")
    sent = _("{channel} from {sender}").format(channel=inject.channel, sender=inject.from_)
    text.append("\n" + sent)
    if inject.priority != "normal":
        text.append(" · " + _("priority {priority}").format(priority=inject.priority))
    if inject.phase:
        text.append(" · " + _("phase {phase}").format(phase=inject.phase))
    for problem in preview.by_inject.get(inject.id, ()):
        text.append("\n")
        text.append_text(problem_line(problem, palette))
    text.append("\n" + _field(N_("When")), style="bold")
    text.append(row.time_label)
    if row.story:
        story = _("story {time}").format(time=row.story)
        text.append(f" ({story})", style=colour(palette, "muted"))
    if row.timing != _("at {time}").format(time=row.time_label):
        text.append(f" · {row.timing}")
    if inject.jitter:
        later = _("up to {delay} later per team").format(delay=format_duration(inject.jitter))
        text.append(" · " + later)
    text.append("\n      ")
    text.append(", ".join(_(MARK_WORD[f]) for f in row.flags), style=colour(palette, "muted"))
    text.append("\n" + _field(N_("To")), style="bold")
    text.append(_role_names(preview, row))
    if inject.when is not None:
        text.append("\n" + _field(N_("If")), style="bold")
        text.append(describe_condition(inject.when))
    incoming = [e for e in preview.edges if e.target == inject.id]
    if incoming:
        text.append("\n" + _("From"), style="bold")
        for edge in incoming:
            text.append("\n")
            text.append_text(_edge_line(edge, preview, palette, incoming=True))
    for exp in inject.expects:
        text.append("\n" + _("Expects") + " ", style="bold")
        text.append(f"{exp.id} ({kind_word(exp.kind)}")
        if exp.due is not None:
            text.append(", " + _("due {delay}").format(delay=format_duration(exp.due)))
        text.append(")")
        if isinstance(exp, DecisionExpectation):
            options = ", ".join(f"{o.id} {o.points:g}" for o in exp.options)
            text.append(f": {options}", style=colour(palette, "muted"))
        elif isinstance(exp, ChecklistExpectation):
            items = ", ".join(i.id for i in exp.items)
            text.append(f": {items}", style=colour(palette, "muted"))
        elif isinstance(exp, TextExpectation):
            points = _("{points} points").format(points=f"{exp.points:g}")
            text.append(f": {points}", style=colour(palette, "muted"))
    outgoing = edges_from(list(preview.edges), inject.id)
    if outgoing:
        text.append("\n" + _("Leads to"), style="bold")
        for edge in outgoing:
            text.append("\n")
            text.append_text(_edge_line(edge, preview, palette, incoming=False))
    return text


def kind_word(kind: str) -> str:
    """An expectation's kind is data (the YAML's); its word is said in the reader's
    language (in context: "text" alone means something else elsewhere)."""
    words = {
        "decision": pgettext("expectation kind", "decision"),
        "checklist": pgettext("expectation kind", "checklist"),
        "text": pgettext("expectation kind", "text"),
        "manual": pgettext("expectation kind", "manual"),
    }
    return words.get(kind, kind)


def _field(label: str) -> str:
    """A detail field's label, translated, padded to the column English uses (6)."""
    return f"{_(label):<6}"


def problem_line(problem: Problem, palette: Palette) -> Text:
    style = colour(palette, "error" if problem.severity == "error" else "warning")
    text = Text("✗ " if problem.severity == "error" else "! ", style=f"bold {style}")
    text.append(f"{problem.line}:{problem.column} ", style=colour(palette, "muted"))
    if problem.path:
        text.append(f"{visible(problem.path, one_line=True)}: ")
    text.append(visible(problem.message))
    return text


def source_text(preview: Preview, problem: Problem | None, palette: Palette) -> Text:
    """A problem in full, then the lines of the file around it with a caret at its column."""
    if problem is None:
        if preview.result.problems:
            muted = colour(palette, "muted")
            return Text(_("Select a problem to see it in the file."), style=muted)
        return Text(_("No problems: the scenario is valid."), style=colour(palette, "success"))
    text = problem_line(problem, palette)
    if problem.file != preview.result.name:  # in a file the scenario includes
        where = _("in {file}").format(file=visible(problem.file, one_line=True))
        text.append("\n" + where, style=colour(palette, "muted"))
    lines = excerpt(preview.result.source_of(problem.file), problem.line)
    if not lines:
        return text
    width = len(str(lines[-1][0]))
    for number, line in lines:
        here = number == problem.line
        text.append(f"\n{number:>{width}} │ ", style=colour(palette, "muted"))
        text.append(visible(line, one_line=True), style="bold" if here else "")
        if here and problem.column > 0:
            style = colour(palette, "error" if problem.severity == "error" else "warning")
            before = len(visible(line[: problem.column - 1], one_line=True))
            text.append(f"\n{'':>{width}} │ {' ' * before}^", style=f"bold {style}")
    return text


BUCKET_WIDTH = 3
"""Cells per quarter hour in the load chart: two of bar, one of gap."""


def load_chart(preview: Preview, palette: Palette) -> Text:
    """Per role, a bar per quarter hour: the sparkline of its inject load."""
    load = preview.load
    if load is None:
        return Text(_("Nothing to chart until the file loads."), style=colour(palette, "muted"))
    n = len(load.starts)
    label = max([5, *(len(r.id) for r in preview.roles)])
    axis = "".join(f"{format_at(start):<{4 * BUCKET_WIDTH}}" for start in load.starts[::4])
    text = Text(f"{'':<{label}} ", style=colour(palette, "muted"))
    text.append(axis.rstrip(), style=colour(palette, "muted"))
    peak = load.peak
    for role in preview.roles:
        counts = [load.total(role.id, k) for k in range(n)]
        bars = "".join(c * (BUCKET_WIDTH - 1) + " " for c in sparkline(counts, peak))
        text.append(f"\n{role.id:<{label}} ")
        text.append(bars, style=colour(palette, "accent"))
        text.append(f"{sum(load.fixed[role.id])}", style="bold")
        branch = sum(load.branch[role.id])
        if branch:
            text.append(f"+{branch}", style=colour(palette, "muted"))
    return text


def load_note(preview: Preview, palette: Palette) -> Text:
    """How to read the chart and the table."""
    load = preview.load
    if load is None:
        return Text()
    note = _(
        "Injects per 15 minutes, peak {peak} for one role. In the table, n+m: n injects "
        "every team of the role gets, m only on some branches (counted at their earliest time)."
    )
    text = Text(note.format(peak=load.peak), style=colour(palette, "muted"))
    if load.held:
        held = _("{n} held for the control room, not counted.").format(n=grouped(load.held))
        text.append(" " + held)
    return text


def cell_count(fixed: int, branch: int) -> str:
    if not fixed and not branch:
        return "·"
    return f"{fixed}+{branch}" if branch else str(fixed)
