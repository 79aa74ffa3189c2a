"""The French catalog against the source: complete, compiled, and saying the same things.

Messages are extracted afresh from the sources here (Babel, as ``make messages`` does),
so a string wrapped in ``_()`` without a French translation fails this test even if
nobody ran ``make messages``; the committed ``.pot`` and ``.mo`` must match too.
"""

from __future__ import annotations

import ast
import functools
import gettext
import io
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from engine import i18n

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("engine", "scoring", "tui")
LOCALE = Path(i18n.LOCALE_DIR)
PO = LOCALE / "fr" / "LC_MESSAGES" / "sitroom.po"
MO = LOCALE / "fr" / "LC_MESSAGES" / "sitroom.mo"
POT = LOCALE / "sitroom.pot"
TRANSLATORS = ("gettext", "ngettext", "pgettext", "_", "N_")


def _key(msgid: str | Sequence[str]) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def _forms(text: str | Sequence[str] | None) -> list[str]:
    """A message's id or translation as its forms: one, or one per plural form (none for
    a translation not there at all)."""
    if text is None:
        return []
    return [text] if isinstance(text, str) else list(text)


@functools.cache
def extracted() -> dict[str, str | tuple[str, ...]]:
    """Every message the sources mark, by its (singular) English text."""
    found: dict[str, str | tuple[str, ...]] = {}
    for package in PACKAGES:
        for _file, _line, msgid, _comments, _context in extract_from_dir(
            ROOT / package, method_map=[("**.py", "python")], keywords=DEFAULT_KEYWORDS
        ):
            found[_key(msgid)] = msgid
    return found


def french() -> Catalog:
    with PO.open("rb") as handle:
        return read_po(handle)


def messages(catalog: Catalog) -> Iterator[Message]:
    return (m for m in catalog if m.id)


def test_every_message_in_the_sources_has_a_french_translation() -> None:
    catalog = french()
    by_id = {_key(m.id): m for m in messages(catalog)}
    missing, empty, fuzzy = [], [], []
    for key, msgid in extracted().items():
        entry = by_id.get(key)
        if entry is None or entry.id != msgid:
            missing.append(key)
        elif not (strings := _forms(entry.string)) or not all(strings):
            empty.append(key)
        elif entry.fuzzy:
            fuzzy.append(key)
    assert not missing, f"not in the French catalog (run make messages): {missing[:10]}"
    assert not empty, f"no French translation yet: {empty[:10]}"
    assert not fuzzy, f"fuzzy (check, then clear the flag): {fuzzy[:10]}"


def test_the_template_is_up_to_date_with_the_sources() -> None:
    with POT.open("rb") as handle:
        template = {_key(m.id) for m in messages(read_po(handle))}
    assert template == set(extracted()), "run make messages"


def test_the_committed_mo_is_the_compiled_po() -> None:
    """Compiling the .po again gives the same messages as the committed .mo."""
    fresh = io.BytesIO()
    write_mo(fresh, french())
    fresh.seek(0)
    with MO.open("rb") as handle:
        committed = gettext.GNUTranslations(handle)
    compiled = gettext.GNUTranslations(fresh)
    assert committed._catalog == compiled._catalog, "run make messages"  # type: ignore[attr-defined]


_BRACES = re.compile(r"(?<!\{)\{([a-z_]*)[^{}]*\}(?!\})")
_PERCENT = re.compile(r"%(\([a-z_]+\))?[sdrf]")


def _fields(text: str) -> list[str]:
    return sorted(_BRACES.findall(text)) + sorted(_PERCENT.findall(text))


def test_translations_keep_every_placeholder() -> None:
    """``{name}`` and ``%(name)s`` survive translation: one the English lacks would raise
    at runtime, one left out would drop a figure, both only in French. The singular of a
    plural may leave the count out ("l'autre équipe")."""
    wrong = []
    for entry in messages(french()):
        ids = _forms(entry.id)
        strings = _forms(entry.string)
        english = set(_fields(ids[-1])) | set(_fields(ids[0]))
        for n, text in enumerate(strings):
            fields = set(_fields(text))
            singular = len(ids) > 1 and n == 0
            if fields - english or (not singular and fields != english):
                wrong.append((ids[0], text))
    assert not wrong, wrong[:5]


def _calls_with_literals(node: ast.AST) -> Iterator[ast.Call]:
    for inner in ast.walk(node):
        if (
            isinstance(inner, ast.Call)
            and isinstance(inner.func, ast.Name)
            and inner.func.id in TRANSLATORS
            and inner.args
            and isinstance(inner.args[0], ast.Constant)
        ):
            yield inner


def test_no_message_is_marked_inside_an_f_string() -> None:
    """Babel does not look inside f-strings' braces: ``f"{_('Note')}"`` would never reach
    the catalog, and would stay English. Such a call must be made outside the f-string."""
    hidden = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.FormattedValue):
                    hidden += [
                        f"{path.relative_to(ROOT)}:{c.lineno}" for c in _calls_with_literals(node)
                    ]
    assert not hidden, hidden


def test_a_language_sitroom_does_not_speak_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="en, fr"):
        i18n.activate("de")
    assert i18n.current() == "en"


@pytest.mark.parametrize(
    ("environ", "lang"),
    [
        ({}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANGUAGE": "de:fr", "LANG": "en_GB.UTF-8"}, "fr"),
        ({"SITROOM_LANG": "en", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"SITROOM_LANG": "fr-CA"}, "fr"),
    ],
)
def test_the_language_comes_from_sitroom_lang_then_the_locale(
    environ: dict[str, str], lang: str
) -> None:
    assert i18n.language_from_environ(environ) == lang


def test_french_is_french_and_english_is_the_source() -> None:
    with i18n.using("fr"):
        assert i18n._("Timeline") == "Chronologie"
        assert i18n.ngettext("{n} team", "{n} teams", 1) == "{n} équipe"
        assert i18n.ngettext("{n} team", "{n} teams", 2) == "{n} équipes"
        assert i18n._("") == ""
    assert i18n._("Timeline") == "Timeline"


# French typography, one rule: a space before the two-part marks : ; ? ! where they end
# a clause, and « » quotes with a space inside. The space is a plain one, as every test
# and every translation so far writes it (a narrow no-break space is typographically
# finer, but terminals draw it unevenly and it would need every French test rewritten).
# Not punctuation, so left as the English has them: placeholders ({at:>8}), `code`, and
# any token the English msgid holds with the same mark (YAML keys such as "to: all",
# "languages:"; a literal "': '"). A colon followed by no space (10:30, http://) is not
# the end of a clause and is never looked at.
_CODE = re.compile(r"\{[^{}]*\}|`[^`]*`")
_CLAUSE_MARK = re.compile(r"\S+[:;?!](?=\s|$)")
_TIGHT_GUILLEMET = re.compile(r"«(?! )|(?<! )»")


def typography_faults(english: str, french: str) -> list[str]:
    """Where ``french`` breaks the rule above (``english``: its msgid, for the exceptions)."""
    # Placeholders and `code` hidden (same length, so positions hold): a mark inside one
    # is not punctuation; a mark right after a placeholder is ("{path} :").
    text = _CODE.sub(lambda m: "X" * len(m.group()), french)
    faults = []
    for hit in _CLAUSE_MARK.finditer(text):
        token = french[hit.start() : hit.end()]
        copied = token in english and not token[:-1].endswith("}")
        if not copied:
            faults.append(f"no space before {token[-1]!r}: …{token}")
    faults += [f"{q!r} quote" for q in "“”" if q in text]
    if text.count('"') > english.count('"'):
        faults.append("'\"' quotes: French quotes with « »")
    faults += [f"{g!r} with no space inside" for g in _TIGHT_GUILLEMET.findall(text)]
    if "\u00a0" in text or "\u202f" in text:
        faults.append("a no-break space: the rule is a plain one")
    return faults


def test_french_typography_has_its_spaces_and_quotes() -> None:
    wrong = []
    for entry in messages(french()):
        ids, strings = _forms(entry.id), _forms(entry.string)
        for text in strings:
            for fault in typography_faults(" ".join(ids), text):
                if entry.context == "thousands separator" and "no-break" in fault:
                    continue  # the one no-break space: a count never splits across lines
                wrong.append((ids[0][:60], fault))
    assert not wrong, wrong[:10]


@pytest.mark.parametrize(
    ("english", "french_text", "faulty"),
    [
        ("{path}: no such log", "{path} : journal introuvable", False),
        ("{path}: no such log", "{path}: journal introuvable", True),
        ("really?", "vraiment?", True),
        ("done; next", "fait ; suite", False),
        ("done; next", "fait; suite", True),
        ("at {at:>8}: {what}", "à {at:>8} : {what}", False),
        ("to: all means every team", "to: all désigne toutes les équipes", False),
        ("open http://host:8470 at 10:30", "ouvrez http://host:8470 à 10:30", False),
        ("the “Good” choice", "le choix « Good »", False),
        ("the “Good” choice", "le choix “Good”", True),
        ("the “Good” choice", "le choix «Good»", True),
        ("`key: value`", "`key: value` : voilà", False),
        ("wait!", "attendez\u202f!", True),
    ],
)
def test_the_typography_rule_itself(english: str, french_text: str, faulty: bool) -> None:
    assert bool(typography_faults(english, french_text)) is faulty
