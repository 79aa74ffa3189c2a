"""Scenario text in several languages: ``title: {en: …, fr: …}``.

Any text an author writes for people to read (titles, inject bodies, options,
questions, briefings…) may be one string, as always, or a mapping from language
code to string. The scenario's ``languages: [en, fr]`` lists the languages it is
written in; the first is its default.

A bilingual scenario is never a model of its own. The one place it is resolved is
validation: :func:`validate` builds the ordinary :class:`~engine.scenario.model.
Scenario`, with plain strings everywhere, *in one language*, by telling each
:data:`Text` field which language to keep (pydantic's validation context). So the
engine, scoring and every console keep reading plain strings, and the file (what the
event log stores and hashes) keeps every language: a report or a player's console
asks the loader for the same text in another language.

The same pass checks the translations: a mapping missing one of ``languages:``, a
mapping in a language ``languages:`` does not list, and a mapping in a scenario with
no ``languages:`` each fail at the field that has them, so ``sitroom validate``
names the inject and the field.

A rubric term's synonyms are not per-language: they already say "any of these", so a
bilingual scenario lists them in both languages (``any: [deepfake, hypertrucage]``) and
an answer in either language scores. Its ``label`` (what the idea is, as players and
evaluators read it) is text like any other. The meaning grader measures how relevant an
answer is against the model answer in every language (:func:`with_other_languages`),
so an answer in French is not marked off-topic for not being in English.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BeforeValidator, StringConstraints, ValidationInfo

from engine.i18n import _

if TYPE_CHECKING:
    from engine.scenario.model import Scenario

LANG_PATTERN = r"^[a-z]{2,3}(-[A-Z]{2})?$"
"""A language code: ``en``, ``fr``, ``fr-CA`` (ISO 639 with an optional region)."""

_LANG = re.compile(LANG_PATTERN)

Lang = Annotated[str, StringConstraints(pattern=LANG_PATTERN)]

CONTEXT_LANG = "lang"
CONTEXT_LANGUAGES = "languages"


def declared(data: Any) -> tuple[str, ...]:
    """The languages a scenario's raw data declares (``languages:``), as written; empty
    when it declares none or writes them wrongly (the schema then says what is wrong)."""
    if not isinstance(data, Mapping):
        return ()
    value = data.get("languages")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return ()
    return tuple(value)


def context_for(data: Any, lang: str | None = None) -> dict[str, Any]:
    """The validation context that resolves ``data`` to ``lang`` (default: its first
    language)."""
    languages = declared(data)
    chosen = lang if lang is not None else (languages[0] if languages else None)
    return {CONTEXT_LANG: chosen, CONTEXT_LANGUAGES: languages}


def validate(data: Any, lang: str | None = None) -> Scenario:
    """The scenario in ``data`` in one language: ``lang``, else its first.

    Raises pydantic's ``ValidationError`` as ``Scenario.model_validate`` does, with a
    missing or unexpected translation reported at its field.

    What it returns is an ordinary single-language scenario, so its ``languages`` is
    empty: which languages the *file* is written in is the loader's to say
    (``LoadResult.languages``), and a scenario written out again (the MSEL sheet)
    does not claim a translation it no longer holds.
    """
    from engine.scenario.model import Scenario

    scenario = Scenario.model_validate(data, context=context_for(data, lang))
    if scenario.languages:
        return scenario.model_copy(update={"languages": []})
    return scenario


@dataclass(frozen=True)
class Translations:
    """A scenario's languages (the first as played) and the scenario in each other one."""

    languages: tuple[str, ...] = ()
    others: dict[str, Scenario] = field(default_factory=dict)


def translations_of(
    text: str, name: str = "<scenario>", languages: Sequence[str] | None = None
) -> Translations:
    """The scenario in ``text`` in each language but its first (empty for a scenario
    in one language): what a server shows a player who reads another language, while
    the exercise itself is played in the first. ``text`` is what the log stores;
    ``languages``, when the caller has loaded it already, saves reading it again."""
    from engine.scenario.load import load_bytes
    from engine.scenario.yamlsrc import read_yaml

    if languages is None:
        read = read_yaml(text, name)
        languages = declared(read.located.data) if read.located is not None else ()
    others = {lang: load_bytes(text, name, lang=lang).require() for lang in languages[1:]}
    return Translations(tuple(languages), others)


def _names(languages: Sequence[str]) -> str:
    return ", ".join(languages)


def _pick(value: Any, info: ValidationInfo) -> Any:
    """A :data:`Text` field's value in the language being validated."""
    if not isinstance(value, Mapping):
        return value
    context = info.context if isinstance(info.context, Mapping) else {}
    languages: tuple[str, ...] = tuple(context.get(CONTEXT_LANGUAGES, ()))
    keys = [str(k) for k in value]
    if not languages:
        example = "[" + ", ".join(keys[:2] or ["en", "fr"]) + "]"
        raise ValueError(
            _(
                "text per language needs the scenario's languages: add languages: {example} "
                "at the top of the file (the first is the default)"
            ).format(example=example)
        )
    unknown = [k for k in keys if k not in languages]
    if unknown:
        raise ValueError(
            _(
                'text in "{lang}", which languages: does not list ({languages}): add it there '
                "or remove it here"
            ).format(lang=unknown[0], languages=_names(languages))
        )
    missing = [lang for lang in languages if lang not in value]
    if missing:
        # A language code in quotes, as the reader's language quotes (French: « fr »).
        listed = _(" or ").join(_('"{code}"').format(code=m) for m in missing)
        raise ValueError(
            _("no {listed} text (languages: {languages})").format(
                listed=listed, languages=_names(languages)
            )
        )
    lang = context.get(CONTEXT_LANG)
    # Not text (a number, a list) goes on to the string check, which names it.
    return value[lang if lang in languages else languages[0]]


PICK = BeforeValidator(_pick, json_schema_input_type=str | dict[Lang, str])
"""The validator that makes a string field take text per language (after any
``StringConstraints``, so a length applies to the text in every language)."""

Text = Annotated[str, PICK]
"""Text for people to read: a string, or ``{en: …, fr: …}`` in the scenario's languages."""

TextRequired = Annotated[str, StringConstraints(min_length=1), PICK]
""":data:`Text` that cannot be empty (a title, a label)."""


def with_other_languages(data: Any, name: str, info: ValidationInfo) -> Any:
    """Raw ``data`` with ``{name}_also``: the field's text in the languages other than the
    one being validated (empty for a plain string).

    For what a grader reads beside the text a person reads: a French answer is compared
    with the model answer in French too, though the exercise is played (and its verdicts
    named) in its first language. An author never writes the ``_also`` field: sitroom
    fills it from the mapping."""
    if not isinstance(data, Mapping):
        return data
    key = f"{name}_also"
    if key in data:
        raise ValueError(
            _("{key} is not written in a scenario: give {name} per language instead").format(
                key=key, name=name
            )
        )
    value = data.get(name)
    if not isinstance(value, Mapping):
        return data
    context = info.context if isinstance(info.context, Mapping) else {}
    languages: tuple[str, ...] = tuple(context.get(CONTEXT_LANGUAGES, ()))
    lang = context.get(CONTEXT_LANG)
    picked = lang if lang in languages else (languages[0] if languages else None)
    others = [v for k, v in value.items() if k != picked and isinstance(v, str) and v.strip()]
    return {**data, key: others}


def one_language(scenario: Scenario) -> Scenario:
    """``scenario`` as a copy in its one language holds it (an MSEL sheet, a scenario
    written out again): without the other languages' text it keeps for the grader
    (:func:`with_other_languages`), which no dump carries."""
    from engine.scenario.model import Scenario

    return Scenario.model_validate(scenario.model_dump(by_alias=True))


def check_languages(languages: list[str]) -> list[str]:
    """``languages:`` as a scenario may list them: valid codes, each once."""
    for code in languages:
        if not _LANG.match(code):
            raise ValueError(
                _("{code!r} is not a language code: write en, fr, fr-CA…").format(code=code)
            )
    seen: set[str] = set()
    for code in languages:
        if code in seen:
            raise ValueError(_("{code} is listed twice").format(code=code))
        seen.add(code)
    return languages


__all__ = [
    "LANG_PATTERN",
    "PICK",
    "Lang",
    "Text",
    "TextRequired",
    "Translations",
    "check_languages",
    "context_for",
    "declared",
    "one_language",
    "translations_of",
    "validate",
    "with_other_languages",
]
