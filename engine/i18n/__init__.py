"""The program's own words in the player's language (gettext).

Sitroom's own text (the report's headings, the CLI's messages, the consoles'
labels) is written in English in the source and translated through GNU gettext
catalogs shipped inside this package (``engine/i18n/locale/<lang>/LC_MESSAGES/
sitroom.mo``), so a wheel install carries them and the runtime needs only the
standard library. Babel is a development tool only (``make messages``).

The language is process-wide: one console, one CLI command or one report is in
one language at a time. It is chosen once at start (``SITROOM_LANG``, else the
locale's ``LC_ALL``/``LC_MESSAGES``/``LANG``, else English) and may be changed
with ``activate`` (``report --lang``, a player's choice at login). Scenario text
in two languages is a different matter: it is the author's data
(``engine/scenario/``), not a message catalog.

Strings written at import time (a Textual class's ``BINDINGS``, argparse help
built once) are translated in the language active at import; code that lets the
language change afterwards marks them with ``N_`` and translates them when shown.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

__all__ = [
    "DOMAIN",
    "ENV",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "_",
    "activate",
    "current",
    "gettext",
    "language_from_environ",
    "ngettext",
    "pgettext",
    "using",
    "word_for",
]

#: Every language sitroom's own words come in; the first is the source text.
LANGUAGES: tuple[str, ...] = ("en", "fr")

#: The environment variable that picks the language, before the locale.
ENV = "SITROOM_LANG"

#: The gettext domain: catalogs are ``LOCALE_DIR/<lang>/LC_MESSAGES/sitroom.mo``.
DOMAIN = "sitroom"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

# The locale variables in the order gettext itself reads them (LANGUAGE first: a
# list of preferences such as "fr:en").
_LOCALE_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_cache: dict[str, _gettext.NullTranslations] = {}
_active: str = LANGUAGES[0]
_translations: _gettext.NullTranslations = _gettext.NullTranslations()


def _normalise(code: str) -> str:
    """``fr_FR.UTF-8`` and ``fr-CA`` are French; case does not matter."""
    base = code.strip().split(".")[0].split("@")[0]
    return base.replace("-", "_").split("_")[0].lower()


def _catalog(lang: str) -> _gettext.NullTranslations:
    """The compiled catalog for ``lang``: English is the source text, so it has none."""
    if lang not in _cache:
        if lang == LANGUAGES[0]:
            _cache[lang] = _gettext.NullTranslations()
        else:
            # No fallback: a language in LANGUAGES whose catalog is missing is a broken
            # install, and saying so beats silently showing English.
            _cache[lang] = _gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang])
    return _cache[lang]


def activate(lang: str) -> None:
    """Make ``lang`` the language of the program's own words in this process."""
    global _active, _translations
    code = _normalise(lang)
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: sitroom speaks {', '.join(LANGUAGES)}")
    _translations = _catalog(code)
    _active = code


def current() -> str:
    """The active language's code (one of ``LANGUAGES``)."""
    return _active


@contextmanager
def using(lang: str) -> Iterator[None]:
    """Speak ``lang`` inside the block, then whatever was active before."""
    before = current()
    activate(lang)
    try:
        yield
    finally:
        activate(before)


def language_from_environ(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for: ``SITROOM_LANG``, then the locale.

    An explicit ``SITROOM_LANG`` that sitroom does not speak is an error (the
    person asked for it by name); a locale sitroom does not speak (``de_DE``,
    ``C``) falls back to English, as every gettext program does.
    """
    env = os.environ if environ is None else environ
    explicit = env.get(ENV, "").strip()
    if explicit:
        code = _normalise(explicit)
        if code not in LANGUAGES:
            raise ValueError(f"{ENV}={explicit!r}: sitroom speaks {', '.join(LANGUAGES)}")
        return code
    for var in _LOCALE_VARS:
        value = env.get(var, "").strip()
        if not value:
            continue
        for choice in value.split(":"):
            code = _normalise(choice)
            if code in LANGUAGES:
                return code
        if var != "LANGUAGE":
            # The first locale variable that is set decides (LC_ALL=C means C).
            break
    return LANGUAGES[0]


def gettext(message: str) -> str:
    """``message`` (English source text) in the active language.

    The empty string stays empty (gettext would answer it with the catalog's header).
    """
    return _translations.gettext(message) if message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the active language's plural rule."""
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` as meant in ``context``, when one English word has two French ones."""
    return _translations.pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now (see module doc)."""
    return message


def word_for(words: Mapping[str, str], key: str) -> str:
    """A data key (a status, a state) said in the active language through a table of
    ``N_`` words; a key the table lacks is said as it came."""
    word = words.get(key)
    return gettext(word) if word is not None else key


_ = gettext


def _activate_from_environ() -> None:
    """At import, speak what the environment asks; a bad ``SITROOM_LANG`` waits for the CLI."""
    try:
        activate(language_from_environ())
    except (ValueError, OSError):
        activate(LANGUAGES[0])


_activate_from_environ()
