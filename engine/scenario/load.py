"""Load a scenario file: read YAML, validate the schema, lint the meaning.

The single entry point for every tool that reads scenarios (validate, dry-run,
serve, preview, the event log's header). It never raises on bad input: it returns
what it could build and every problem found, located in the file.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path as FsPath

from pydantic import ValidationError

from engine.i18n import _
from engine.problems import Problem, errors
from engine.scenario.attachfiles import resolve_files
from engine.scenario.include import Included, has_includes, os_reason, resolve, resolved_text
from engine.scenario.lang import declared, validate
from engine.scenario.lint_options import check_options
from engine.scenario.lint_refs import (
    Finding,
    check_catalog,
    check_ids,
    check_points,
    check_references,
)
from engine.scenario.lint_story import check_story
from engine.scenario.lint_timing import check_timing
from engine.scenario.locate import locate_errors, subject_of
from engine.scenario.model import Scenario
from engine.scenario.modules import check_modules
from engine.scenario.reach import Graph, analyse
from engine.scenario.repair import repair
from engine.scenario.yamlsrc import MAX_BYTES, Located, format_path, gc_paused, read_yaml


@dataclass
class LoadResult:
    """A scenario (when its file has no errors), its text and what was found.

    ``text`` is the file's text, or, when the file includes others, the resolved
    scenario written as one text (JSON after the file's leading comments): what the
    event log stores and hashes, so a replay reads no other file and a change in an
    included file changes the hash.
    """

    name: str
    text: str
    scenario: Scenario | None
    problems: list[Problem] = field(default_factory=list)
    included: list[Included] = field(default_factory=list)
    """The files ``include:`` merged in, and what each brought (empty without includes)."""
    sources: dict[str, str] = field(default_factory=dict)
    """Each file's own text by the name its problems carry, when the scenario includes
    others (``text`` is then the resolved scenario, whose lines are no file's)."""
    files: list[FsPath] = field(default_factory=list)
    """Every file ``include:`` or an attachment's ``file:`` named, read or not: what a
    watcher (``sitroom preview``) watches besides the scenario's own file."""
    folder: FsPath | None = None
    """The scenario file's folder, where its attachment files are (None: text given
    without a file, such as a log's)."""
    languages: tuple[str, ...] = ()
    """The languages the text is written in, the default first (``languages:``; empty
    for a scenario in one language that does not list it)."""
    lang: str | None = None
    """The language ``scenario`` is in, when the text lists its languages."""

    @property
    def ok(self) -> bool:
        return self.scenario is not None and not errors(self.problems)

    def source_of(self, file: str) -> str:
        """The text of ``file`` (this scenario's or an included one), to quote a
        problem's line from; empty when it was not read."""
        if file in self.sources:
            return self.sources[file]
        return self.text if file == self.name and not self.sources else ""

    @property
    def sha256(self) -> str:
        return scenario_hash(self.text)

    def require(self) -> Scenario:
        """The scenario, or :class:`ScenarioError` listing every error."""
        if self.scenario is None or errors(self.problems):
            raise ScenarioError(self.problems)
        return self.scenario


class ScenarioError(Exception):
    """A scenario with errors, raised by :meth:`LoadResult.require`."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(p.format() for p in errors(problems)))


def scenario_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_file(
    path: str | FsPath, display_name: str | None = None, *, lang: str | None = None
) -> LoadResult:
    """Load and check a scenario file (in ``lang``: see :func:`load_bytes`)."""
    name = display_name or str(path)
    try:
        raw = FsPath(path).read_bytes()
    except OSError as exc:
        reason = os_reason(exc)
        text = _("cannot read: {reason}").format(reason=reason)
        return LoadResult(name, "", None, [Problem(name, 0, 0, "", text)])
    return load_bytes(raw, name, path=FsPath(path), lang=lang)


def load_bytes(
    raw: bytes | str,
    name: str = "<scenario>",
    *,
    path: FsPath | None = None,
    lang: str | None = None,
) -> LoadResult:
    """Load and check scenario text (a file's bytes, or the text stored in an event log).

    ``path`` is the file the text was read from: its ``include:`` paths are relative
    to it (text without a file cannot include). ``lang`` is the language the scenario
    is built in when its text is written in several (:mod:`engine.scenario.lang`):
    by default its first; one it is not written in is an error. The text (what a log
    stores and hashes) is the same whatever the language."""
    with gc_paused():
        result = _load(raw, name, path, lang)
    result.folder = path.parent if path is not None else None
    return result


def _in_language(result: LoadResult, languages: tuple[str, ...], lang: str | None) -> LoadResult:
    result.languages = languages
    result.lang = lang if lang is not None else (languages[0] if languages else None)
    return result


def _load(raw: bytes | str, name: str, path: FsPath | None, lang: str | None) -> LoadResult:
    read = read_yaml(raw, name)
    if read.located is None:
        return LoadResult(name, read.text, None, read.problems)
    located, text = read.located, read.text
    languages = declared(located.data)
    if lang is not None and languages and lang not in languages:
        written = ", ".join(languages)
        text = _('no "{lang}" text: the scenario is in {written}').format(
            lang=lang, written=written
        )
        problem = Problem(name, 0, 0, "", text)
        return LoadResult(name, text, None, [problem])
    included: list[Included] = []
    sources: dict[str, str] = {}
    files: list[FsPath] = []
    merged = has_includes(located)
    if merged:
        resolution = resolve(located, name, path, size=len(text.encode("utf-8")))
        files = resolution.files
        sources = {name: text, **resolution.sources}
        if resolution.located is None:
            problems = resolution.problems
            return LoadResult(name, text, None, problems, resolution.included, sources, files)
        located, included = resolution.located, resolution.included
    attached, read_files = resolve_files(located, name, path, files)
    if attached:
        return LoadResult(name, text, None, attached, included, sources, files)
    if merged or read_files:
        text = resolved_text(text, located.data)
        if len(text.encode("utf-8")) > MAX_BYTES:  # the log stores it; a replay reads it
            mib = MAX_BYTES // 1024 // 1024
            big = _(
                "with its included and text files the scenario is larger than {mib} MiB"
            ).format(mib=mib)
            problems = [Problem(name, 0, 0, "", big)]
            return LoadResult(name, "", None, problems, included, sources, files)
    try:
        scenario = validate(located.data, lang)
    except ValidationError as exc:
        problems = locate_errors(exc, located, name, Scenario)
        problems.extend(lint_despite(exc, located, name, problems))
        problems.sort(key=lambda p: (p.file != name, p.file, p.line, p.column))
        return LoadResult(name, text, None, problems, included, sources, files)
    problems = lint(scenario, located, name)
    result = LoadResult(name, text, scenario, problems, included, sources, files)
    return _in_language(result, languages, lang)


def _meaning(scenario: Scenario) -> list[Finding]:
    return [
        *check_ids(scenario),
        *check_references(scenario),
        *check_catalog(scenario),
        *check_points(scenario),
        *check_modules(scenario),
    ]


def lint(scenario: Scenario, located: Located, name: str) -> list[Problem]:
    """Every semantic problem of a schema-valid scenario, errors and warnings, in file order."""
    findings = _meaning(scenario)
    if not errors_in(findings):
        graph = Graph(scenario)
        reach = analyse(scenario, graph)
        findings.extend(check_timing(scenario, graph, reach))
        findings.extend(check_story(scenario, reach))
        findings.extend(check_options(scenario))
    return _located(findings, located, name)


def lint_despite(
    exc: ValidationError, located: Located, name: str, found: list[Problem]
) -> list[Problem]:
    """The errors in meaning of a document whose schema errors are ``found``: see
    :mod:`engine.scenario.repair` (timing waits until the schema is right)."""
    repaired = repair(located.data, exc)
    if repaired is None:
        return []
    findings = [
        Finding(
            repaired.original(f.path),
            f.message,
            f.severity,
            None if f.first is None else repaired.original(f.first),
        )
        for f in _meaning(repaired.scenario)
        if f.severity == "error" and repaired.trusts(f)
    ]
    shown = {(p.path, p.message) for p in found}
    return [p for p in _located(findings, located, name) if (p.path, p.message) not in shown]


def _located(findings: list[Finding], located: Located, name: str) -> list[Problem]:
    problems = []
    seen: set[tuple[str, str]] = set()
    for f in findings:
        key = (format_path(f.path), f.message)
        if key in seen:
            continue
        seen.add(key)
        line, col = located.where(f.path)
        file, path = located.origin(f.path, name)
        text = f.message
        if f.first is not None:
            first = located.where(f.first)[0]
            first_file = located.origin(f.first, name)[0]
            if first_file == file:
                text += _(" (first at line {line})").format(line=first)
            else:
                text += _(" (first at line {line} of {file})").format(line=first, file=first_file)
        subject = subject_of(located.data, f.path)
        problems.append(Problem(file, line, col, format_path(path), text, f.severity, subject))
    problems.sort(key=lambda p: p.sort_key)
    return problems


def first_at(message: str) -> re.Match[str] | None:
    """Where ``message`` ends with `` (first at line N)``, the line of the earlier of two
    equal ids or keys, in the active language (group ``line``): an MSEL import says
    the sheet's row there instead."""
    pattern = re.escape(_(" (first at line {line})")).replace(r"\{line\}", r"(?P<line>\d+)")
    return re.search(pattern + "$", message)


def errors_in(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)
