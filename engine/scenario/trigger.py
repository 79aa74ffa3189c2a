"""An inject's trigger in words, as planners and controllers read it.

The words are a :class:`~engine.i18n.phrase.Phrase`: English where they are data
(the report's JSON, the MSEL's files), said in the reader's language where they
are shown (the control room's MSEL, the report's tables).
"""

from __future__ import annotations

from engine.durations import format_duration
from engine.i18n import N_
from engine.i18n.phrase import Phrase
from engine.scenario.injects import Inject


def describe_trigger(inject: Inject) -> Phrase:
    """When an inject fires, in words (the MSEL, the control room, the report)."""
    if inject.at is not None:
        text = Phrase(N_("at {time}"), time=format_duration(inject.at))
    elif inject.after is not None and inject.after.inject:
        text = Phrase(
            N_("{delay} after {inject}"),
            delay=format_duration(inject.after.delay),
            inject=inject.after.inject,
        )
    elif inject.after is not None:
        text = Phrase(
            N_("{delay} after answer to {expectation}"),
            delay=format_duration(inject.after.delay),
            expectation=inject.after.response,
        )
    elif inject.if_no_response is not None:
        text = Phrase(
            N_("if {expectation} goes unanswered"),
            expectation=inject.if_no_response.expectation,
        )
    else:
        text = Phrase(N_("on release"))
    if inject.jitter:
        text = Phrase(
            N_("{when} (+ up to {jitter})"), when=text, jitter=format_duration(inject.jitter)
        )
    if inject.when is not None:
        text = Phrase(N_("{when}, if its condition holds"), when=text)
    return text
