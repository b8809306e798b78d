"""Status values and the transitions each may take, checked in one place."""

from __future__ import annotations

import pytest

from storage.status import (
    ApprovalStatus,
    CardStatus,
    InvalidTransition,
    StepStatus,
    TaskStatus,
    allowed,
    check,
    is_final,
)


@pytest.mark.parametrize(
    ("kind", "old", "new", "ok"),
    [
        (CardStatus, "draft", "saved", True),
        (CardStatus, "draft", "discarded", True),
        (CardStatus, "saved", "draft", False),
        (CardStatus, "discarded", "saved", False),
        (CardStatus, "open", "closed", True),
        (CardStatus, "closed", "open", False),
        (TaskStatus, "open", "done", True),
        (TaskStatus, "done", "open", True),
        (TaskStatus, "cancelled", "open", False),
        (ApprovalStatus, "draft", "pending", True),
        (ApprovalStatus, "pending", "approved", True),
        (ApprovalStatus, "pending", "withdrawn", True),
        (ApprovalStatus, "approved", "rejected", False),
        (ApprovalStatus, "rejected", "pending", False),
        (StepStatus, "waiting", "pending", True),
        (StepStatus, "waiting", "approved", False),
        (StepStatus, "pending", "rejected", True),
        (StepStatus, "approved", "pending", False),
    ],
)
def test_transitions(kind: type, old: str, new: str, ok: bool) -> None:
    assert allowed(kind, old, new) is ok
    if ok:
        check(kind, old, new)
    else:
        with pytest.raises(InvalidTransition):
            check(kind, old, new)


def test_final_states_and_unknown_values() -> None:
    assert is_final(CardStatus, "saved") and not is_final(CardStatus, "draft")
    assert is_final(ApprovalStatus, "withdrawn") and not is_final(ApprovalStatus, "pending")
    with pytest.raises(ValueError):
        check(CardStatus, "draft", "archived")


async def test_the_card_store_refuses_a_forbidden_transition(db_url: str) -> None:
    from bot.app import build_runtime
    from cards.model import Card
    from tests.support.harness import make_config

    rt = build_runtime(make_config(db_url))
    await rt.db.open()
    try:
        card = Card("st-1", "测试")
        instance = await rt.cards.create(card, kind="t", owner_id=None, data={}, status="draft")
        await rt.cards.save(instance, card, {}, status="saved")
        with pytest.raises(InvalidTransition):
            await rt.cards.save(instance, card, {}, status="draft")
    finally:
        await rt.db.close()
