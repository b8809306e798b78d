"""The approval card: summary, key fields, attachments, history; 同意 / 驳回 while it waits.

One stored card per request, shown to the requester, the approvers reached so far and the people
copied; every change redraws it for all of them. Only the current approvers (and their
delegates) are its actors, so anyone else's tap is refused by the shared tap step.
"""

from __future__ import annotations

from enum import StrEnum
from zoneinfo import ZoneInfo

from cards.actions import CardAction
from cards.model import Button, Card, Row
from handlers.approvals.states import Status
from handlers.approvals.view import Names, View, field_rows, headline, history, where

KIND = "approval"
REASONS = ("价格或折扣超出权限", "资料不全，请补充后重新提交", "条款需要修改", "客户信息有误")


class Op(StrEnum):
    approve = "approve"
    reject = "reject"


class ApprovalTap(CardAction, prefix="ap"):
    op: Op
    seq: int  # the step the card was drawn for: a tap on an older drawing is stale


def reason_prompt() -> str:
    lines = ["请回复驳回理由（直接发文字），或回复数字选择常用理由："]
    lines += [f"{n}. {r}" for n, r in enumerate(REASONS, 1)]
    return "\n".join(lines)


def reason_from(text: str) -> str:
    """A reply to the reason prompt: a number picks a common reason, anything else is the reason."""
    raw = text.strip()
    if raw.isdecimal() and 1 <= int(raw) <= len(REASONS):
        return REASONS[int(raw) - 1]
    return raw


def approval_card(card_id: str, view: View, names: Names, tz: ZoneInfo) -> Card:
    rows = [Row("申请人", names(view.approval.requester_id))]
    rows += [Row(label, value) for label, value in field_rows(view)]
    rows += [Row(f"第{seq}级", text) for seq, text in history(view, names, tz)]
    if view.attachments:
        rows.append(Row("附件", "、".join(a.name or a.filename for a in view.attachments)))
    if view.cc:
        rows.append(Row("抄送", "、".join(names(p) for p in view.cc)))
    buttons: tuple[Button, ...] = ()
    closed: str | None = None
    if view.status is Status.pending:
        seq = view.approval.current_step
        buttons = (
            Button("同意", ApprovalTap(card_id, 0, Op.approve, seq).pack(), "primary"),
            Button("驳回", ApprovalTap(card_id, 0, Op.reject, seq).pack(), "danger"),
        )
    else:
        closed = where(view, names, tz, reason=False)  # the grey label: short
    return Card(
        id=card_id,
        title=headline(view),
        subtitle=where(view, names, tz, short=True),
        rows=tuple(rows),
        buttons=buttons,
        closed=closed,
    )
