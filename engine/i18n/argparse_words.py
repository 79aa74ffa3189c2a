"""The standard library's argparse in sitroom's language.

argparse writes its own words ("usage:", "options", "the following arguments are
required") through the module-level ``_`` and ``ngettext`` it imported from
:mod:`gettext`, in the default domain, where no catalog is installed. ``sitroom``
points those two names at :mod:`engine.i18n`, so its ``--help`` and its usage
errors speak one language with the rest of the program. The messages below are
argparse's own (Python 3.11 to 3.13 spell these the same), listed here only so
``make messages`` extracts them into sitroom's catalog; one that a later Python
spells differently simply stays English.
"""

from __future__ import annotations

import argparse

from engine.i18n import N_, gettext, ngettext

# The messages a person running sitroom meets; argparse's programming errors (a bad
# add_argument call) are for developers and stay English.
N_("usage: ")
N_("positional arguments")
N_("options")
N_("show this help message and exit")
N_("%(prog)s: error: %(message)s\n")
N_("argument %(argument_name)s: %(message)s")
N_("the following arguments are required: %s")
N_("unrecognized arguments: %s")
N_("invalid choice: %(value)r (choose from %(choices)s)")
N_("invalid %(type)s value: %(value)r")
N_("expected one argument")
N_("expected at most one argument")
N_("expected at least one argument")
N_("not allowed with argument %s")
N_("one of the arguments %s is required")
N_("ambiguous option: %(option)s could match %(matches)s")
N_("ignored explicit argument %r")
N_("can't open '%(filename)s': %(error)s")


def speak() -> None:
    """Route argparse's own messages through sitroom's catalog (idempotent)."""
    argparse._ = gettext  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
