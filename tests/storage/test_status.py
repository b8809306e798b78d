"""Status values and the transitions each may take, checked in one place."""

from __future__ import annotations

import ast
import warnings
from pathlib import Path

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
    moved,
)

ROOT = Path(__file__).resolve().parents[2]


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


def test_moved_checks_every_old_status_and_gives_the_value_to_store() -> None:
    assert moved(TaskStatus, TaskStatus.open, TaskStatus.done) == "done"
    assert moved(StepStatus, ("pending", "waiting"), "skipped") == "skipped"
    assert moved(ApprovalStatus, "pending", "pending") == "pending"  # approving a middle step
    with pytest.raises(InvalidTransition):
        moved(StepStatus, ("pending", "approved"), "skipped")  # a decided step stays decided
    with pytest.raises(InvalidTransition):
        moved(TaskStatus, "cancelled", "done")


def status_writes() -> list[tuple[str, int, str]]:
    """Every ``.update(status=...)`` of the bot: where, and what it writes."""
    found = []
    for folder in ("bot", "cards", "handlers", "scheduler", "storage"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            with (
                warnings.catch_warnings()
            ):  # a string in a page script may hold an escape ast warns of
                warnings.simplefilter("ignore", DeprecationWarning)
                warnings.simplefilter("ignore", SyntaxWarning)
                tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "update"
                ):
                    for kw in node.keywords:
                        if kw.arg == "status":
                            where = path.relative_to(ROOT).as_posix()
                            found.append((where, node.lineno, ast.unparse(kw.value)))
    return found


def test_every_status_update_goes_through_the_transition_table() -> None:
    """A conditional UPDATE of a status names its old status and writes ``moved(...)``."""
    writes = status_writes()
    assert len(writes) >= 8  # tasks, steps, approvals: the scan sees them
    unchecked = [w for w in writes if not w[2].startswith("moved(")]
    assert unchecked == []
