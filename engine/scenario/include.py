"""``include:``: actors, objectives and injects merged in from other YAML files.

A planner keeps a library of actors or injects in a file of its own and lists it
in a scenario's ``include:``, as a path relative to the including file. Each file
may hold ``objectives``, ``actors``, ``injects`` and ``include`` (files may include
files), nothing else: teams, phases, timing and settings make one exercise what it
is, and a second file supplying them would leave a reader asking which one wins.

What the merge keeps, and why:

* The scenario's own items come first, then each included file's in the order
  listed (depth first). An index in the main file (``injects[3]``) therefore means
  the same before and after the merge, and its problems keep their places.
* Every merged item remembers the file and place it was written
  (:class:`~engine.scenario.yamlsrc.Part`), so a problem inside it is reported in
  that file, at its line and column.
* A file is read once: listed again (two libraries sharing a third), or under
  another name (a symlink), it adds nothing more; files are told apart by their
  real path. A file that includes itself, directly or not, is an error that
  names the chain.
* Only files under the main scenario's folder may be included. A scenario is
  shared as a folder, and a server that loads one must not be led to read (and
  copy into its log) any file its user can read, such as ``../../.ssh/id_ed25519``.
  Only regular files are read (a FIFO would block the loader), and all of them
  together stay within the loader's byte limit.

The resolved scenario is written back as one text (:func:`resolved_text`, JSON
after the scenario's leading comments, which YAML reads): that is what the event
log stores and hashes, so a replay needs no other file and
a change in an included file changes the hash.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path as FsPath
from typing import Any

import yaml

from engine.i18n import N_, _
from engine.i18n.forms import grouped
from engine.problems import Problem
from engine.scenario.yamlsrc import MAX_BYTES, Located, Part, Path, format_path, read_yaml

KEY = "include"
SECTIONS = ("objectives", "actors", "injects")
"""The lists an included file may add to, in the order they are merged."""
MAX_FILES = 200
EMPTY_LIBRARY = N_("file is empty: an included file holds objectives, actors, injects or include")
LIBRARY_FIELDS = N_(
    "the top level must be a mapping of sections (objectives: …, actors: …, injects: …, "
    "include: …), not {found}"
)
"""Most files one scenario may include, all levels together."""


@dataclass(frozen=True)
class Included:
    """One included file (its path relative to the scenario's folder, ``/``-separated)
    and the ids of what it brought, per section."""

    file: str
    ids: dict[str, tuple[str, ...]]


@dataclass
class Resolution:
    """The merged document (None when an include failed), the problems, what came from where."""

    located: Located | None
    problems: list[Problem] = field(default_factory=list)
    included: list[Included] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    """Each included file's text, by its name in problems."""
    files: list[FsPath] = field(default_factory=list)
    """Every file an include named, read or not (a watcher reloads when one changes)."""


def has_includes(located: Located) -> bool:
    return isinstance(located.data, dict) and KEY in located.data


def resolve(located: Located, name: str, path: FsPath | None, *, size: int = 0) -> Resolution:
    """Merge the files ``located`` (the scenario read from ``path``, shown as ``name``,
    ``size`` bytes long) includes. Problems are located in the file that holds them."""
    if path is None:
        line, col = located.pos((KEY,), key=True)
        text = _("include: needs the scenario read from a file (its paths are relative to it)")
        return Resolution(None, [Problem(name, line, col, KEY, text)])
    main = FsPath(os.path.abspath(path))
    merger = _Merger(main.parent, MAX_BYTES - size)
    data = dict(located.data)
    merged = Located(
        {k: (list(v) if k in SECTIONS and isinstance(v, list) else v) for k, v in data.items()},
        located.value_pos,
        located.key_pos,
        located.alias_of,
        located.raw,
        located.fill,
    )
    merger.walk(located, name, main, os.path.realpath(main), merged, ())
    merged.data.pop(KEY, None)
    if merger.problems:
        merger.problems.sort(key=lambda p: (p.file != name, p.file, p.line, p.column))
        return Resolution(None, merger.problems, merger.included, merger.sources, merger.files)
    return Resolution(merged, [], merger.included, merger.sources, merger.files)


"""C0, DEL and C1 controls: no file name a planner types holds one, and the OS
refuses NUL outright (``ValueError: embedded null byte``)."""

Link = tuple[str, FsPath]
"""A file on the include chain: its real path (symlinks followed, what identifies
it) and the path as written (what messages show)."""


class _Merger:
    def __init__(self, root: FsPath, budget: int) -> None:
        self.root = root
        self.real_root = os.path.realpath(root)
        self.left = budget
        """Bytes the included files may still add (the loader's limit holds for them all)."""
        self.full = False
        self.seen: set[str] = set()
        """Real paths: a symlink alias of a file already merged adds nothing."""
        self.problems: list[Problem] = []
        self.included: list[Included] = []
        self.sources: dict[str, str] = {}
        self.files: list[FsPath] = []

    def walk(
        self,
        located: Located,
        name: str,
        path: FsPath,
        real: str,
        into: Located,
        chain: tuple[Link, ...],
    ) -> None:
        """Merge every file ``located`` (read from ``path``) lists in ``include:``."""
        chain = (*chain, (real, path))
        self.seen.add(real)
        entries = located.data.get(KEY)
        if entries is None:
            return
        if isinstance(entries, str):
            entries = [entries]
            where: list[Path] = [(KEY,)]
        elif isinstance(entries, list):
            where = [(KEY, i) for i in range(len(entries))]
        else:
            self._problem(located, name, (KEY,), _("include: must be a list of file paths"))
            return
        for entry, at in zip(entries, where, strict=True):
            if self.full:
                return
            found = self._target(located, name, path, entry, at, chain)
            if found is None or found[1] in self.seen:
                continue
            target, target_real = found
            if len(self.seen) >= MAX_FILES:
                text = _("more than {count} included files").format(count=MAX_FILES)
                self._problem(located, name, at, text)
                return
            self.seen.add(target_real)
            self.files.append(target)
            shown = os.path.normpath(os.path.join(os.path.dirname(name), str(entry)))
            inner = self._read(located, name, at, target, shown)
            if inner is None:
                continue
            self._merge(inner, shown, target, into)
            self.walk(inner, shown, target, target_real, into, chain)

    def _target(
        self,
        located: Located,
        name: str,
        path: FsPath,
        entry: Any,
        at: Path,
        chain: tuple[Link, ...],
    ) -> tuple[FsPath, str] | None:
        """The file an entry names (as written, and its real path), or None after
        reporting why it cannot be used."""
        if not isinstance(entry, str) or not entry.strip():
            self._problem(located, name, at, _("an include is a file path, in quotes if need be"))
            return None
        if CONTROL.search(entry):
            text = _("an include path holds no control characters ({path!r})").format(path=entry)
            self._problem(located, name, at, text)
            return None
        if os.path.isabs(entry) or entry.startswith("~"):
            text = _("{path!r}: write a path relative to this file").format(path=entry)
            self._problem(located, name, at, text)
            return None
        try:
            target = FsPath(os.path.normpath(path.parent / entry))
            real = os.path.realpath(target)
        except (ValueError, OSError) as exc:
            text = _("cannot resolve {path!r}: {reason}").format(path=entry, reason=exc)
            self._problem(located, name, at, text)
            return None
        if os.path.commonpath([real, self.real_root]) != self.real_root:
            self._problem(
                located,
                name,
                at,
                _(
                    "{path!r} is outside the scenario's folder ({folder}/): only files in it "
                    "or below may be included"
                ).format(path=entry, folder=self.root.name),
            )
            return None
        reals = [r for r, _ in chain]
        if real in reals:
            start = reals.index(real)
            names = [self._rel(p) for _, p in chain[start:]] + [self._rel(target)]
            text = _("include cycle: {chain}").format(chain=" → ".join(names))
            self._problem(located, name, at, text)
            return None
        return target, real

    def _read(
        self, located: Located, name: str, at: Path, target: FsPath, shown: str
    ) -> Located | None:
        raw = self._bytes(located, name, at, target, shown)
        if raw is None:
            return None
        read = read_yaml(raw, shown, empty=EMPTY_LIBRARY, fields=LIBRARY_FIELDS)
        self.sources[shown] = read.text
        self.problems.extend(read.problems)
        if read.located is None:
            return None
        inner = read.located
        for key in inner.data:
            if key == KEY:
                continue
            if key not in SECTIONS:
                allowed = ", ".join((*SECTIONS, KEY))
                self._problem(
                    inner,
                    shown,
                    (key,),
                    _(
                        "an included file holds only {allowed}; {key!r} belongs in the scenario"
                    ).format(allowed=allowed, key=key),
                    key=True,
                )
            elif not isinstance(inner.data[key], list):
                self._problem(inner, shown, (key,), _("{key} must be a list").format(key=key))
        if any(p.file == shown for p in self.problems):
            return None
        return inner

    def _bytes(
        self, located: Located, name: str, at: Path, target: FsPath, shown: str
    ) -> bytes | None:
        """The file's bytes, read only when it is a regular file that fits in what is
        left of the byte limit (a FIFO would block the loader for ever, a device or an
        endless file would fill its memory)."""

        try:
            raw = read_regular(target, self.left)
        except NotRegular:
            text = _("cannot include {file}: not a regular file").format(file=shown)
            self._problem(located, name, at, text)
            return None
        except (OSError, ValueError) as exc:
            reason = os_reason(exc)
            text = _("cannot read included file {file}: {reason}").format(file=shown, reason=reason)
            self._problem(located, name, at, text)
            return None
        if raw is None:
            self.full = True
            text = _(
                "cannot include {file}: with the files before it the scenario would pass "
                "the limit of {limit} bytes"
            ).format(file=shown, limit=grouped(MAX_BYTES))
            self._problem(located, name, at, text)
            return None
        self.left -= len(raw)
        return raw

    def _merge(self, inner: Located, shown: str, target: FsPath, into: Located) -> None:
        brought: dict[str, tuple[str, ...]] = {}
        for section in SECTIONS:
            items = inner.data.get(section) or []
            if not items:
                continue
            into_list = into.data.setdefault(section, [])
            if not isinstance(into_list, list):
                return  # the scenario's own section is not a list: the schema says so
            for i, item in enumerate(items):
                into.parts[(section, len(into_list))] = Part(shown, inner, (section, i))
                into_list.append(item)
            brought[section] = tuple(
                str(item.get("id", "")) if isinstance(item, dict) else "" for item in items
            )
        self.included.append(Included(self._rel(target), brought))

    def _rel(self, path: FsPath) -> str:
        return path.relative_to(self.root).as_posix()

    def _problem(
        self, located: Located, name: str, path: Path, text: str, *, key: bool = False
    ) -> None:
        line, col = located.pos(path, key=key) if key else located.where(path)
        self.problems.append(Problem(name, line, col, format_path(path), text))


def os_reason(exc: BaseException) -> str:
    """Why a file could not be read, in the planner's language for the usual reasons
    (the system's own words, ``strerror``, are English whatever the locale)."""
    if isinstance(exc, FileNotFoundError):
        return _("No such file or directory")
    if isinstance(exc, PermissionError):
        return _("Permission denied")
    if isinstance(exc, IsADirectoryError):
        return _("Is a directory")
    return getattr(exc, "strerror", None) or str(exc)


class NotRegular(OSError):
    """A path that names a folder, a FIFO, a device or a socket, not a file."""


def read_regular(target: FsPath, limit: int) -> bytes | None:
    """The bytes of the regular file ``target``, or None when it holds more than
    ``limit`` bytes; :class:`NotRegular` for anything else (a FIFO would block the
    loader for ever, a device or an endless file would fill its memory)."""
    if not stat.S_ISREG(os.stat(target).st_mode):
        raise NotRegular(f"{target}: not a regular file")
    # O_NONBLOCK: a file swapped for a FIFO since the stat above opens at once
    fd = os.open(target, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise NotRegular(f"{target}: not a regular file")
        if st.st_size > limit:
            return None
        raw = f.read(limit + 1)
    return raw if len(raw) <= limit else None


CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
"""Characters a path written in a scenario never holds."""


def resolved_text(text: str, data: dict[str, Any]) -> str:
    """The merged scenario as one text: the scenario file's leading comments (the
    control-room brief the MSEL export carries), then the data as JSON, which YAML
    reads as it is.

    JSON because the log hashes this text: :func:`json.dumps` writes the same bytes
    on every Python (``yaml.safe_dump`` may change with PyYAML), and it is about
    thirty times faster. Dates are written in ISO form (what the model parses them
    from); characters YAML refuses or reads as line breaks when written raw are
    escaped. Data JSON cannot carry exactly (a key that is not text, an infinite
    float, a float YAML would read back as text) is written as YAML instead."""
    lines = text.lstrip("\ufeff").splitlines()
    head: list[str] = []
    for line in lines:
        if not line.startswith("#"):
            break
        head.append(line)
    if _json_exact(data):
        body = json.dumps(data, ensure_ascii=False, indent=1, default=_iso) + "\n"
        body = _YAML_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", body)
    else:
        body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return "\n".join(head) + ("\n" if head else "") + body


_YAML_RAW = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
"""Characters a YAML reader refuses raw (DEL, C1, surrogates, non-characters) or
reads as a line break (NEL, U+2028, U+2029), even inside a quoted string."""

_YAML_FLOAT = re.compile(r"-?[0-9]+\.[0-9]*(?:e[-+][0-9]+)?")
"""A float as :func:`repr` writes it that YAML 1.1 also reads as a float
(``1e+16``, without a dot, is text to PyYAML)."""


def _iso(value: object) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _json_exact(data: Any) -> bool:
    """Whether JSON, read back as YAML, gives ``data`` again (dates as ISO text)."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if not all(type(k) is str for k in node):
                return False
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, float):
            if not math.isfinite(node) or not _YAML_FLOAT.fullmatch(repr(node)):
                return False
        elif node is not None and not isinstance(node, (str, int, date)):
            return False
    return True
