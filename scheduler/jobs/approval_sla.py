"""Approval SLA on the scheduler's clock: the approver is reminded at half time; at the limit the
approver's supervisor is told and may decide the step too.

The approvals feature sets each current step's ``remind_at`` (half the template's ``sla_hours``,
in working hours) and ``due_at`` (the limit) when the step becomes current. The pushes' keys
``approval:<step>:remind|escalate`` make each happen once however often the job runs; the step's
``reminded_at`` / ``escalated_at`` record it for the approvals views.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.config.models import AppConfig
from bot.directory import Directory
from bot.jobs import JobRun, Push
from scheduler.jobs import OFFSET_SLACK
from scheduler.jobs.reminders import local_text
from storage.db import Database
from storage.models import Approval, ApprovalStep
from storage.status import ApprovalStatus, StepStatus


async def chase_approvals(
    run: JobRun, config: AppConfig, directory: Directory, db: Database
) -> None:
    tz = ZoneInfo(config.timezone)
    steps = await ApprovalStep.filter(
        status=StepStatus.pending.value,
        kind="approve",
        approval__status=ApprovalStatus.pending.value,
        remind_at__lte=run.now + OFFSET_SLACK,
    ).order_by("approval_id", "id")
    approvals = {
        a.id: a for a in await Approval.filter(id__in=sorted({s.approval_id for s in steps}))
    }
    for step in steps:
        approval = approvals[step.approval_id]
        approver = directory.get(step.approver_id)
        if approver is None or step.remind_at is None or step.remind_at > run.now:
            continue
        requester = directory.get(approval.requester_id)
        who = requester.name if requester else approval.requester_id
        limit = f"（时限 {local_text(step.due_at, tz)}）" if step.due_at else ""
        run.push(
            Push(
                f"approval:{step.id}:remind",
                approver.id,
                "approval_reminder",
                f"审批提醒：{who}的「{approval.title}」已过处理时限的一半{limit}，请尽快审批"
                "（/待审批 查看）。",
                due_at=step.due_at,
            )
        )
        if not run.dry_run and step.reminded_at is None:
            await ApprovalStep.filter(id=step.id).update(reminded_at=run.now.astimezone(UTC))
        # Up the approver's chain, past the requester (who never decides their own request).
        boss = next((p for p in directory.chain(approver) if p.id != approval.requester_id), None)
        if step.due_at is None or step.due_at > run.now or boss is None:
            continue
        run.push(
            Push(
                f"approval:{step.id}:escalate",
                boss.id,
                "approval_escalation",
                f"审批超时升级：{who}的「{approval.title}」在{approver.name}处已超过处理时限"
                f"（{local_text(step.due_at, tz)}），现由你一并审批（{approver.name}仍可处理）："
                "发送 /待审批 查看并处理。",
                due_at=step.due_at,
            )
        )
        if not run.dry_run:
            await escalate(db, step, boss.id, run.now)


async def escalate(db: Database, step: ApprovalStep, boss_id: str, now: datetime) -> bool:
    """The approver's supervisor joins the overdue step as an any-of approver, once: whoever of
    the two taps first decides (the decision step skips the other). Returns whether it joined."""
    async with db.transaction():  # the mark and the new approver stand or fall together
        return await _join(step, boss_id, now.astimezone(UTC))


async def _join(step: ApprovalStep, boss_id: str, at: datetime) -> bool:
    marked = await ApprovalStep.filter(id=step.id, escalated_at=None).update(escalated_at=at)
    if marked != 1:  # an earlier run escalated it
        return False
    if await ApprovalStep.exists(
        approval_id=step.approval_id, seq=step.seq, kind="approve", approver_id=boss_id
    ):
        return False  # already deciding this step
    await ApprovalStep.create(
        approval_id=step.approval_id,
        seq=step.seq,
        approver_id=boss_id,
        ref=f"escalated:{step.approver_id}",
        kind="approve",
        status=StepStatus.pending.value,
        started_at=at,
    )
    return True
