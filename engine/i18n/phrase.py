"""Words that are data in English and read in the reader's language.

Some of sitroom's sentences are both: a result's reasons, an inject's trigger in
words and dry-run's warnings land in the report's JSON and CSV, in dry-run's
``--format json`` and in tests, where they are English data; the same sentences
are shown to people on a console or in the Markdown and HTML report, in the
language the reader chose, which may be chosen after the sentence was made (a
player's choice at login, ``report --lang``).

A :class:`Phrase` is both at once. It *is* a ``str`` (its value the English text,
so JSON, CSV, equality and every existing caller see English, unchanged) and it
keeps its message and values, so the place that shows it says it in the active
language with :func:`said`. Text that is not a Phrase (author or participant
text, an id) goes through :func:`said` unchanged: it is never looked up in the
catalog, where it could match a message by chance.

Its messages are marked for extraction where the phrase is made:
``Phrase(N_("… {name} …"), name=…)``, and ``Phrase.ngettext("…", "…", n, …)``
for a count (Babel reads ``ngettext`` as the plural keyword it is).
"""

from __future__ import annotations

from typing import NamedTuple, Self

from engine.i18n import gettext, ngettext
from engine.i18n.forms import Count, grouped

__all__ = ["Phrase", "Sent", "said"]


class Sent(NamedTuple):
    """A phrase as another program can say it again: its English message (the catalog
    key), its values as text, and which values are catalog messages themselves."""

    template: str
    values: dict[str, str]
    said: list[str]


class Phrase(str):
    """English text that can also be said in the active language (see module doc)."""

    _message: str
    _values: dict[str, object]
    _plural: str | None = None
    _n: int = 0

    def __new__(cls, message: str, /, **values: object) -> Self:
        """``message`` (English source text, marked with ``N_``) filled with ``values``;
        a value that is itself a Phrase is said in the reader's language too."""
        # Made for every reason of every result a report lists: kept to two attributes.
        self = super().__new__(cls, message.format(**values) if values else message)
        self._message, self._values = message, values
        return self

    @classmethod
    def ngettext(cls, singular: str, plural: str, n: int, /, **values: object) -> Self:
        """The form of ``singular``/``plural`` that ``n`` calls for, in each language's
        own plural rule (French says "0 équipe", English "0 teams"); ``n`` is a value."""
        self = cls(singular if n == 1 else plural, n=Count(n), **values)
        self._message, self._plural, self._n = singular, plural, n
        return self

    def said(self) -> str:
        """The phrase in the active language (English when none is active)."""
        if self._plural is None:
            template = gettext(self._message)
        else:
            template = ngettext(self._message, self._plural, self._n)
        if not self._values:
            return template
        return template.format(**{k: _said(v) for k, v in self._values.items()})

    def sent(self) -> Sent | None:
        """This phrase as words another program says in its reader's language (a
        server's reason, said by a client), or None when it cannot be: a plural, whose
        form depends on the language, or a value that is a phrase with values of its own.
        Values are sent as text: data (ids, names, times), never translated."""
        if self._plural is not None:
            return None
        values: dict[str, str] = {}
        said_names: list[str] = []
        for name, value in self._values.items():
            if isinstance(value, Phrase):
                if value._values or value._plural is not None:
                    return None
                said_names.append(name)
                values[name] = value._message
            else:
                values[name] = str(value)
        return Sent(self._message, values, said_names)

    @classmethod
    def received(cls, sent: Sent) -> Phrase:
        """The phrase another program :meth:`sent` (raises ``KeyError``, ``IndexError``
        or ``ValueError`` when its template and values do not fit)."""
        values: dict[str, object] = dict(sent.values)
        for name in sent.said:
            if name in values:
                values[name] = cls(str(values[name]))
        return cls(sent.template, **values)


def said(text: str) -> str:
    """A Phrase in the active language; any other text as it is (data, author text)."""
    return text.said() if isinstance(text, Phrase) else text


def _said(value: object) -> object:
    """A value as the reader's language writes it: a Phrase said, a :class:`Count`
    grouped (``31 598`` in French, where the English data has ``31,598``)."""
    if isinstance(value, Phrase):
        return value.said()
    if isinstance(value, Count):
        return grouped(value)
    return value
