"""An inject's trigger in words, as planners and controllers read it."""

from __future__ import annotations

from engine.durations import format_duration
from engine.scenario.injects import Inject


def describe_trigger(inject: Inject) -> str:
    """When an inject fires, in words (the MSEL, the control room, the report)."""
    if inject.at is not None:
        text = f"at {format_duration(inject.at)}"
    elif inject.after is not None:
        anchor = inject.after.inject or f"answer to {inject.after.response}"
        text = f"{format_duration(inject.after.delay)} after {anchor}"
    elif inject.if_no_response is not None:
        text = f"if {inject.if_no_response.expectation} goes unanswered"
    else:
        text = "on release"
    if inject.jitter:
        text += f" (+ up to {format_duration(inject.jitter)})"
    if inject.when is not None:
        text += ", if its condition holds"
    return text
