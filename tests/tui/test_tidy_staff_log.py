"""The control room's log says why an inject was delivered in the console's language,
the language active when the line is written (a console may switch after import)."""

from __future__ import annotations

from engine import i18n
from engine.events import Delivered, Event
from tui.model.staff import StaffModel


def logged(cause: str, seq: int, staff: StaffModel) -> str:
    staff.apply(Event(Delivered(inject="A1", teams=["a"], cause=cause), seq * 1000, seq))
    return staff.log[-1].text


def test_the_delivery_cause_is_said_in_the_language_active_when_the_line_is_written() -> None:
    staff = StaffModel()
    with i18n.using("en"):
        assert logged("at", 1, staff) == "A1 delivered to a (at)"
    with i18n.using("fr"):
        assert logged("at", 2, staff).endswith("(heure fixe)")
        assert logged("escalation", 3, staff).endswith("(relance)")
        assert logged("release", 4, staff).endswith("(libération)")
        assert logged("after", 5, staff).endswith("(enchaînement)")
    with i18n.using("en"):
        assert logged("escalation", 6, staff) == "A1 delivered to a (escalation)"
