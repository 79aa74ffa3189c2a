"""The preview's timeline shows each module's discussion (issue 15): a ``‖`` row at its
moment, among the injects, whose details list the questions; the text preview (what
``sitroom preview`` prints when redirected) has the same rows."""

from __future__ import annotations

from pathlib import Path

from engine.scenario import load_file
from engine.scenario.preview import build_preview
from tests.planner.test_preview import detail, loaded, timeline
from tui.preview.app import make_preview_app
from tui.preview.text import preview_text

ELECTION = Path(__file__).resolve().parents[2] / "scenarios" / "election-disinfo.yaml"


async def test_the_timeline_has_a_row_for_each_discussion_with_its_questions() -> None:
    app = make_preview_app(ELECTION, poll=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        table = timeline(app)
        keys = [row.key.value for row in table.ordered_rows]
        talks = [k for k in keys if k is not None and k.startswith("talk:")]
        assert talks == ["talk:detect", "talk:spread", "talk:counter"]
        # Between the last inject before it (ED-16 at 0:40) and the next (ED-17 at 0:45).
        at = keys.index("talk:detect")
        assert keys[at - 1 : at + 2] == ["ED-16", "talk:detect", "ED-17"]
        table.move_cursor(row=at)
        await pilot.pause()
        assert table.current_key == "talk:detect"
        text = detail(app)
        assert text.startswith(
            "Module 1 discussion: Friday afternoon\nPlay pauses for every team at 0:43"
        )
        assert "\n1. Who told voters first that the robocalls were fake" in text


def test_the_text_preview_lists_the_discussions_in_time_order() -> None:
    preview = build_preview(load_file(ELECTION))
    lines = [line for line in preview_text(preview).splitlines() if "‖" in line]
    # Time, the story's time then (the scenario has a start), and the discussion.
    assert lines == [
        "  0:43   Fri 15:43  ‖ Module 1 discussion: Friday afternoon (3 questions, 10 min "
        "suggested)",
        "  1:33   Fri 16:33  ‖ Module 2 discussion: Friday evening (2 questions, 10 min suggested)",
        "  2:13   Fri 17:13  ‖ Module 3 discussion: Before midnight (2 questions, 10 min "
        "suggested)",
    ]
