"""The reminder card: one person's pushes due together in one message, 完成 / 推迟 per task."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from cards.actions import CardAction
from cards.model import Button, Card

SHOWN = 30  # lines in one message; the rest is counted (WeCom drops the 31st message a minute)
BUTTONS_FOR = 3  # tasks with their own buttons on one card (two each)


class Op(StrEnum):
    done = "done"
    later = "later"


class ReminderTap(CardAction, prefix="rm"):
    op: Op
    task: int


def merged_text(texts: Sequence[str]) -> str:
    """One push as it is; several as a numbered list."""
    if len(texts) == 1:
        return texts[0]
    lines = [f"你有 {len(texts)} 条提醒："]
    lines += [f"{i}. {t}" for i, t in enumerate(texts[:SHOWN], 1)]
    if len(texts) > SHOWN:
        lines.append(f"……还有 {len(texts) - SHOWN} 条，发送 /待办 查看全部")
    return "\n".join(lines)


def reminder_card(card_id: str, texts: Sequence[str], tasks: Sequence[tuple[int, int]]) -> Card:
    """``tasks``: (line number, task id) of the lines that are tasks."""
    with_buttons = list(tasks[:BUTTONS_FOR])
    buttons: list[Button] = []
    for n, task_id in with_buttons:
        suffix = "" if len(texts) == 1 else f" 第{n}条"
        buttons.append(
            Button(f"完成{suffix}", ReminderTap(card_id, 0, Op.done, task_id).pack(), "primary")
        )
        buttons.append(Button(f"推迟{suffix}", ReminderTap(card_id, 0, Op.later, task_id).pack()))
    title = "待办提醒" if len(texts) == 1 else f"待办提醒（{len(texts)} 条）"
    return Card(id=card_id, title=title, note=merged_text(texts), buttons=tuple(buttons))


def after_tap(card: Card, task_id: int, outcome: str) -> Card:
    """The card with the tapped task's buttons gone and what happened noted."""
    kept = tuple(
        b for b in card.buttons if (a := ReminderTap.unpack(b.payload)) is None or a.task != task_id
    )
    note = f"{card.note}\n{outcome}"
    closed = outcome if not kept else None
    return Card(
        id=card.id, title=card.title, note=note, buttons=kept, closed=closed, extra=card.extra
    )
