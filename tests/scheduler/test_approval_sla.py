"""Approval SLA: the approver is reminded at the deadline, their supervisor hears after more
working hours; cc steps and decided requests are left alone."""

from __future__ import annotations

from storage.models import Approval, ApprovalStep
from tests.support.harness import Harness
from tests.support.jobs import pushes, run_slot, sh


async def pending_quote(status: str = "pending") -> ApprovalStep:
    approval = await Approval.create(
        template="quote",
        requester_id="zhang.wei",
        title="华东机械报价审批",
        status=status,
        sla_due_at=sh(2026, 12, 3, 14),
    )
    await ApprovalStep.create(
        approval=approval, seq=1, approver_id="xu.qing", kind="cc", status="pending"
    )
    return await ApprovalStep.create(
        approval=approval, seq=1, approver_id="zhao.lei", kind="approve", status="pending"
    )


async def test_remind_at_the_deadline_then_escalate_after_four_working_hours(bot: Harness) -> None:
    step = await pending_quote()
    db = bot.runtime.db
    await run_slot(bot, "approval_sla", sh(2026, 12, 3, 13, 55))
    assert await pushes(db) == []
    await run_slot(bot, "approval_sla", sh(2026, 12, 3, 14))
    [remind] = await pushes(db)
    assert (remind["person_id"], remind["kind"]) == ("zhao.lei", "approval_reminder")
    assert "张伟的「华东机械报价审批」" in remind["text"]
    assert (await ApprovalStep.get(id=step.id)).reminded_at is not None
    await run_slot(bot, "approval_sla", sh(2026, 12, 3, 17, 55))  # 3.9 working hours
    assert len(await pushes(db)) == 1
    # Thursday 14:00–18:00 and Friday 09:00–09:30: 4.5 working hours.
    await run_slot(bot, "approval_sla", sh(2026, 12, 4, 9, 30))
    rows = await pushes(db)
    assert len(rows) == 2
    assert (rows[1]["person_id"], rows[1]["kind"]) == ("wang.li", "approval_escalation")
    assert "在赵磊处已超时" in rows[1]["text"]
    assert (await ApprovalStep.get(id=step.id)).escalated_at is not None
    await run_slot(bot, "approval_sla", sh(2026, 12, 4, 10))
    assert len(await pushes(db)) == 2


async def test_a_decided_request_is_not_chased(bot: Harness) -> None:
    await pending_quote(status="approved")
    await run_slot(bot, "approval_sla", sh(2026, 12, 4, 10))
    assert await pushes(bot.runtime.db) == []
