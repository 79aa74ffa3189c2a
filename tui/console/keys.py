"""Key descriptions in the player's language, for the footer and the key panels.

A Textual class's ``BINDINGS`` are built when its module is imported, before a
player may have chosen a language at login. They are therefore written as English
source text marked with ``N_`` and translated where they are shown: a screen's
``active_bindings`` (what the footer and the command palette's key panel read)
passes through :func:`translated`, so a language chosen later shows at once.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from textual.binding import ActiveBinding, Binding

from engine.i18n import _, current


@lru_cache(maxsize=1024)
def _binding(binding: Binding, lang: str) -> Binding:
    """``binding`` with its description, tooltip and group in ``lang`` (cached: the
    footer asks on every refresh)."""
    del lang  # part of the cache key only: the active language translates
    group = binding.group
    if group is not None:
        group = Binding.Group(_(group.description), compact=group.compact)
    return replace(
        binding, description=_(binding.description), tooltip=_(binding.tooltip), group=group
    )


def translated(active: dict[str, ActiveBinding]) -> dict[str, ActiveBinding]:
    """A screen's active bindings with their words in the active language."""
    lang = current()
    return {
        key: found._replace(binding=_binding(found.binding, lang), tooltip=_(found.tooltip))
        for key, found in active.items()
    }
