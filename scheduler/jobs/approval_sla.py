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
    # Who already decides some step of each request: they are not added to an earlier one
    # (they would approve the same request twice), only asked to chase it.
    deciders = set(
        await ApprovalStep.filter(approval_id__in=sorted(approvals), kind="approve").values_list(
            "approval_id", "approver_id"
        )
    )
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
        joins = (approval.id, boss.id) not in deciders
        then = (
            f"现由你一并审批（{approver.name}仍可处理）：发送 /待审批 查看并处理。"
            if joins
            else f"请督促{approver.name}尽快处理。"
        )
        run.push(
            Push(
                f"approval:{step.id}:escalate",
                boss.id,
                "approval_escalation",
                f"审批超时升级：{who}的「{approval.title}」在{approver.name}处已超过处理时限"
                f"（{local_text(step.due_at, tz)}），{then}",
                due_at=step.due_at,
            )
        )
        if not run.dry_run:
            await escalate(db, step, boss.id if joins else None, run.now)


async def escalate(db: Database, step: ApprovalStep, boss_id: str | None, now: datetime) -> bool:
    """Mark the overdue step escalated, once; with ``boss_id``, the approver's supervisor joins it
    as an any-of approver: whoever of the two taps first decides (the decision step skips the
    other). Returns whether someone joined."""
    async with db.transaction():  # the mark and the new approver stand or fall together
        # The request's row lock (PostgreSQL; SQLite's transaction holds the write lock) orders
        # this after or before a decision on the step, never between its reads and writes.
        query = Approval.filter(id=step.approval_id)
        if db.dialect == "postgres":
            query = query.select_for_update()
        approval = await query.first()
        if approval is None or approval.status != ApprovalStatus.pending.value:
            return False
        if approval.current_step != step.seq:  # decided meanwhile: nothing to escalate
            return False
        marked = await ApprovalStep.filter(
            id=step.id, escalated_at=None, status=StepStatus.pending.value
        ).update(escalated_at=now.astimezone(UTC))
        if marked != 1 or boss_id is None:  # an earlier run escalated it, or nobody joins
            return False
        await ApprovalStep.create(
            approval_id=step.approval_id,
            seq=step.seq,
            approver_id=boss_id,
            ref=f"escalated:{step.approver_id}",
            kind="approve",
            status=StepStatus.pending.value,
            started_at=now.astimezone(UTC),
        )
        return True
