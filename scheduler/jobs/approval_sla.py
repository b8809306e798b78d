"""Approval SLA: remind the current approver when a step's deadline passes, then escalate.

Written against the approval models as they are on main (storage/models/approvals.py), assuming:
- a request waiting for a decision has ``Approval.status == "pending"`` and its current step(s)
  ``ApprovalStep.status == "pending"`` with ``kind == "approve"`` (cc steps are not chased);
- ``Approval.sla_due_at`` is the deadline of the current step (the approvals feature sets it from
  the template's ``sla_hours`` in working hours when a step becomes current);
- ``ApprovalStep.reminded_at`` / ``escalated_at`` record that this job acted (kept for the
  approvals feature to show); the pushes' keys ``approval:<step>:<deadline ms>:remind|escalate``
  are what make each happen once per deadline.
The reminder goes to the approver once the deadline has passed; the escalation goes to the
approver's supervisor once ``schedules.approval_escalate_after_hours`` more working hours passed.
"""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

from bot.config.models import AppConfig
from bot.directory import Directory
from bot.jobs import JobRun, Push
from handlers.shared.workcal import WorkCalendar
from scheduler.jobs import OFFSET_SLACK
from scheduler.jobs.reminders import local_text
from scheduler.pushes import ms
from storage.models import Approval, ApprovalStep


async def chase_approvals(
    run: JobRun, config: AppConfig, directory: Directory, calendar: WorkCalendar
) -> None:
    tz = ZoneInfo(config.timezone)
    after = config.schedules.approval_escalate_after_hours
    approvals = {
        a.id: a
        for a in await Approval.filter(status="pending", sla_due_at__lte=run.now + OFFSET_SLACK)
    }
    if not approvals:
        return
    steps = await ApprovalStep.filter(
        approval_id__in=list(approvals), status="pending", kind="approve"
    )
    for step in steps:
        approval = approvals[step.approval_id]
        due = approval.sla_due_at
        if due is None or due > run.now:
            continue
        approver = directory.get(step.approver_id)
        requester = directory.get(approval.requester_id)
        if approver is None:
            continue
        who = requester.name if requester else approval.requester_id
        base = f"approval:{step.id}:{ms(due)}"
        run.push(
            Push(
                f"{base}:remind",
                approver.id,
                "approval_reminder",
                f"审批提醒：{who}的「{approval.title}」已超过处理时限（{local_text(due, tz)}），"
                "请尽快审批。",
                due_at=due,
            )
        )
        if not run.dry_run and step.reminded_at is None:
            await ApprovalStep.filter(id=step.id).update(reminded_at=run.now.astimezone(UTC))
        overdue = calendar.working_hours_between(due, run.now)
        chain = directory.chain(approver)
        if overdue < after or not chain:
            continue
        run.push(
            Push(
                f"{base}:escalate",
                chain[0].id,
                "approval_escalation",
                f"审批超时升级：{who}的「{approval.title}」在{approver.name}处已超时 "
                f"{overdue:.0f} 个工作小时（时限 {local_text(due, tz)}），请督促或代为处理。",
                due_at=due,
            )
        )
        if not run.dry_run and step.escalated_at is None:
            await ApprovalStep.filter(id=step.id).update(escalated_at=run.now.astimezone(UTC))
