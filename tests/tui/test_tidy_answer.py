"""The answer form under an inject: its border says its expectation's status (one rule,
from its first frame through every tick), and an answer given is written out once."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult

from tests.tui.flows import widget_text
from tui.model.team import ExpectationItem, GivenAnswer
from tui.team.answer import AnswerForm, DraftStore

M = 60_000
CLASSES = ("-answered", "-overdue")


class Host(App[None]):
    def __init__(self, form: AnswerForm) -> None:
        super().__init__()
        self.form = form

    def compose(self) -> ComposeResult:
        yield self.form


def decision(**given: Any) -> ExpectationItem:
    return ExpectationItem(
        ref="I1.d",
        id="d",
        kind="decision",
        prompt="Which way?",
        due_at=10 * M,
        options=[("left", "Go left"), ("right", "Go right")],
        **given,
    )


def shown(form: AnswerForm) -> set[str]:
    return {name for name in CLASSES if form.has_class(name)}


ANSWER = GivenAnswer(choice="left")


@pytest.mark.parametrize(
    ("given", "now", "classes"),
    [
        ({}, 5 * M, set()),
        ({}, 11 * M, {"-overdue"}),
        ({"expired": True}, 11 * M, {"-overdue"}),
        ({"answer": ANSWER, "answered_at": 8 * M}, 9 * M, {"-answered"}),
        ({"answer": ANSWER, "answered_at": 12 * M}, 13 * M, {"-answered"}),
    ],
    ids=["open", "overdue", "expired", "answered", "late"],
)
async def test_the_border_says_the_status_from_the_first_frame(
    given: dict[str, Any], now: int, classes: set[str]
) -> None:
    form = AnswerForm(decision(**given), DraftStore(), now=now)
    assert shown(form) == classes  # before mounting: the first frame has it
    async with Host(form).run_test() as pilot:
        await pilot.pause()
        assert shown(form) == classes


async def test_the_border_follows_the_status_as_time_passes_and_the_answer_comes() -> None:
    item = decision()
    form = AnswerForm(item, DraftStore(), now=5 * M)
    async with Host(form).run_test() as pilot:
        await pilot.pause()
        assert shown(form) == set()
        form.now = 11 * M
        await pilot.pause()
        assert shown(form) == {"-overdue"}
        item.answer, item.answered_at, item.answered_by = ANSWER, 12 * M, "bo"
        await form.update_item(12 * M)
        await pilot.pause()
        assert shown(form) == {"-answered"}


async def test_an_answer_given_is_written_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    described: list[str] = []
    describe = ExpectationItem.describe_answer

    def spy(self: ExpectationItem, given: GivenAnswer | None = None) -> str:
        described.append(self.ref)
        return describe(self, given)

    monkeypatch.setattr(ExpectationItem, "describe_answer", spy)
    item = decision(answer=ANSWER, answered_at=8 * M, answered_by="bo")
    form = AnswerForm(item, DraftStore(), now=9 * M)
    async with Host(form).run_test() as pilot:
        await pilot.pause()
        assert "Your answer by bo: Go left" in widget_text(pilot.app)
        assert described == ["I1.d"]
