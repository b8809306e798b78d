"""One request as people see it: loaded once from the database, then drawn as a card, a line in
/待审批 or /我的申请, or a notification — the drawing functions are pure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.config.approvals import ApprovalTemplate, FieldType
from handlers.approvals.states import STATUS_LABELS, Status, StepStatus
from handlers.shared.crm import money
from storage.models import Approval, ApprovalAttachment, ApprovalStep

Names = Callable[[str], str]  # person id → name


@dataclass(frozen=True)
class View:
    approval: Approval
    template: ApprovalTemplate
    steps: tuple[ApprovalStep, ...]  # deciding steps, by seq then id
    cc: tuple[str, ...]
    attachments: tuple[ApprovalAttachment, ...]

    @property
    def status(self) -> Status:
        return Status(self.approval.status)

    @property
    def seqs(self) -> int:
        return len({s.seq for s in self.steps})

    def current(self) -> tuple[ApprovalStep, ...]:
        return tuple(s for s in self.steps if s.status == StepStatus.pending)


async def load(approval: Approval, template: ApprovalTemplate) -> View:
    rows = await ApprovalStep.filter(approval_id=approval.id).order_by("seq", "id")
    files = await ApprovalAttachment.filter(approval_id=approval.id).order_by("id")
    return View(
        approval,
        template,
        tuple(r for r in rows if r.kind == "approve"),
        tuple(r.approver_id for r in rows if r.kind == "cc"),
        tuple(files),
    )


def value_text(template: ApprovalTemplate, key: str, value: object) -> str:
    f = template.field(key)
    if f is None:
        return str(value)
    if f.type is FieldType.amount and isinstance(value, int | float):
        return money(value)
    if f.type is FieldType.percent and isinstance(value, int | float):
        return f"{value:g}%"
    if f.type is FieldType.bool:
        return "是" if value else "否"
    return str(value)


def field_rows(view: View) -> list[tuple[str, str]]:
    form = view.approval.form
    return [
        (f.label, value_text(view.template, f.key, form[f.key]))
        for f in view.template.fields
        if f.type is not FieldType.file and form.get(f.key) not in (None, "")
    ]


def _hm(at: datetime | None, tz: ZoneInfo) -> str:
    if at is None:
        return ""
    local = at.astimezone(tz)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def where(
    view: View, names: Names, tz: ZoneInfo, *, reason: bool = True, short: bool = False
) -> str:
    """Where the request stands, in one line: 待 王丽 审批（第 2/3 级，截止 12月1日 18:00）;
    ``short`` for a card's subtitle (WeCom shows 30 characters): 待 王丽 审批（2/3，12月1日 18:00前）."""
    if view.status is Status.pending:
        current = view.current()
        who = "或".join(names(s.approver_id) for s in current)
        seq = current[0].seq if current else view.approval.current_step
        due = _hm(view.approval.sla_due_at, tz)
        if short:
            return f"待 {who} 审批（{seq}/{view.seqs}{'，' + due + '前' if due else ''}）"
        return f"待 {who} 审批（第 {seq}/{view.seqs} 级{'，截止 ' + due if due else ''}）"
    if view.status is Status.draft:
        return "待补充，尚未提交"
    decided = [s for s in view.steps if s.status in (StepStatus.approved, StepStatus.rejected)]
    last = decided[-1] if decided else None
    if view.status in (Status.approved, Status.rejected) and last is not None:
        by = names(last.decided_by or last.approver_id)
        said = last.comment if reason and view.status is Status.rejected else None
        return f"{STATUS_LABELS[view.status]} · {by} · {_hm(last.decided_at, tz)}" + (
            f"：{said}" if said else ""
        )
    return f"{STATUS_LABELS[view.status]} · {_hm(view.approval.decided_at, tz)}"


def history(view: View, names: Names, tz: ZoneInfo) -> list[tuple[int, str]]:
    """(step, what happened there): 赵磊（代 王丽）已同意 12月1日 14:02 / 王丽 待审批."""
    lines: list[tuple[int, str]] = []
    for seq in sorted({s.seq for s in view.steps}):
        group = [s for s in view.steps if s.seq == seq]
        decided = next((s for s in group if s.decided_at is not None), None)
        if decided is not None:
            by = names(decided.decided_by or decided.approver_id)
            instead = (
                f"（代 {names(decided.approver_id)}）"
                if decided.decided_by and decided.decided_by != decided.approver_id
                else ""
            )
            verdict = "已同意" if decided.status == StepStatus.approved else "已驳回"
            reason = f"：{decided.comment}" if decided.comment else ""
            lines.append((seq, f"{by}{instead} {verdict} {_hm(decided.decided_at, tz)}{reason}"))
            continue
        who = "或".join(names(s.approver_id) for s in group)
        state = {
            StepStatus.pending: "待审批",
            StepStatus.waiting: "未开始",
            StepStatus.skipped: "未审批",
        }.get(StepStatus(group[0].status), "")
        lines.append((seq, f"{who} {state}"))
    return lines


def headline(view: View) -> str:
    client = view.approval.form.get("client")
    return f"{view.template.name} #{view.approval.id}" + (f" · {client}" if client else "")


def summary_line(view: View, names: Names, tz: ZoneInfo) -> str:
    a = view.approval
    amount = f" {money(float(a.amount))}" if a.amount is not None else ""
    return f"#{a.id} {view.template.name} · {a.title}{amount} — {where(view, names, tz)}"
