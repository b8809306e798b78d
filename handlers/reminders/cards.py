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


def task_buttons(card_id: str, n: int, task_id: int, *, single: bool) -> list[Button]:
    suffix = "" if single else f" 第{n}条"
    return [
        Button(f"完成{suffix}", ReminderTap(card_id, 0, Op.done, task_id).pack(), "primary"),
        Button(f"推迟{suffix}", ReminderTap(card_id, 0, Op.later, task_id).pack()),
    ]


def waiting_hint(waiting: Sequence[tuple[int, int]]) -> str:
    """How to act on the tasks that have no buttons yet (WeCom shows at most six)."""
    return (
        f"第{waiting[0][0]}条起还有 {len(waiting)} 条待办暂无按钮：处理完上面的一条，按钮会轮到下一条；"
        "也可以发送 /待办 查看序号，再用 /推迟 序号 明天 顺延。"
    )


def reminder_card(card_id: str, texts: Sequence[str], tasks: Sequence[tuple[int, int]]) -> Card:
    """``tasks``: (line number, task id) of the lines that are tasks.

    The first ``BUTTONS_FOR`` tasks get 完成 / 推迟; the others wait in ``extra["waiting"]`` and
    take over the buttons of a task once it is done or postponed (``after_tap``).
    """
    single = len(texts) == 1
    buttons = [
        b
        for n, task_id in tasks[:BUTTONS_FOR]
        for b in task_buttons(card_id, n, task_id, single=single)
    ]
    waiting = list(tasks[BUTTONS_FOR:])
    note = merged_text(texts) + (f"\n{waiting_hint(waiting)}" if waiting else "")
    title = "待办提醒" if single else f"待办提醒（{len(texts)} 条）"
    extra = {"waiting": [list(t) for t in waiting]} if waiting else {}
    return Card(id=card_id, title=title, note=note, buttons=tuple(buttons), extra=extra)


def after_tap(card: Card, task_id: int, outcome: str) -> Card:
    """The card with the tapped task's buttons gone (the next waiting task's in their place)
    and what happened noted."""
    kept = tuple(
        b for b in card.buttons if (a := ReminderTap.unpack(b.payload)) is None or a.task != task_id
    )
    extra = card.extra
    note = card.note
    waiting = [(int(n), int(t)) for n, t in card.extra.get("waiting", [])]
    if waiting and len(kept) < len(card.buttons):
        (n, next_task), *rest = waiting
        kept += tuple(task_buttons(card.id, n, next_task, single=False))
        extra = {**card.extra, "waiting": [list(t) for t in rest]}
        # The hint counts what still waits: say it again for the rest, or drop it.
        hint = f"\n{waiting_hint(waiting)}"
        note = note.replace(hint, f"\n{waiting_hint(rest)}" if rest else "")
    note = f"{note}\n{outcome}"
    closed = outcome if not kept else None
    return Card(id=card.id, title=card.title, note=note, buttons=kept, closed=closed, extra=extra)
