"""Approval SLA: the approver is reminded at half time, their supervisor hears at the limit;
cc steps and decided requests are left alone."""

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
    # An 8-working-hour quote submitted Thursday 10:00: half time 14:00, limit Friday 09:00.
    await ApprovalStep.create(
        approval=approval,
        seq=1,
        approver_id="xu.qing",
        kind="cc",
        status="pending",
        remind_at=sh(2026, 12, 3, 14),
        due_at=sh(2026, 12, 4, 9),
    )
    return await ApprovalStep.create(
        approval=approval,
        seq=1,
        approver_id="zhao.lei",
        kind="approve",
        status="pending",
        remind_at=sh(2026, 12, 3, 14),
        due_at=sh(2026, 12, 4, 9),
    )


async def test_remind_at_half_time_then_tell_the_supervisor_at_the_limit(bot: Harness) -> None:
    step = await pending_quote()
    db = bot.runtime.db
    await run_slot(bot, "approval_sla", sh(2026, 12, 3, 13, 55))
    assert await pushes(db) == []
    await run_slot(bot, "approval_sla", sh(2026, 12, 3, 14))
    [remind] = await pushes(db)
    assert (remind["person_id"], remind["kind"]) == ("zhao.lei", "approval_reminder")
    assert "张伟的「华东机械报价审批」已过处理时限的一半" in remind["text"]
    assert (await ApprovalStep.get(id=step.id)).reminded_at is not None
    await run_slot(bot, "approval_sla", sh(2026, 12, 3, 17, 55))  # before the limit: nothing new
    assert len(await pushes(db)) == 1
    await run_slot(bot, "approval_sla", sh(2026, 12, 4, 9))
    rows = await pushes(db)
    assert len(rows) == 2
    assert (rows[1]["person_id"], rows[1]["kind"]) == ("wang.li", "approval_escalation")
    assert "在赵磊处已超过处理时限" in rows[1]["text"]
    assert (await ApprovalStep.get(id=step.id)).escalated_at is not None
    await run_slot(bot, "approval_sla", sh(2026, 12, 4, 10))  # each once
    assert len(await pushes(db)) == 2


async def test_a_decided_request_is_not_chased(bot: Harness) -> None:
    await pending_quote(status="approved")
    await run_slot(bot, "approval_sla", sh(2026, 12, 4, 10))
    assert await pushes(bot.runtime.db) == []


async def test_the_scheduler_lag_is_measured(bot: Harness) -> None:
    await run_slot(bot, "approval_sla", sh(2026, 12, 4, 10), as_of=sh(2026, 12, 4, 10, 2))
    bot.runtime.clock.set(sh(2026, 12, 4, 10, 9))  # type: ignore[attr-defined]
    assert bot.client is not None
    body = await (await bot.client.get("/metrics")).text()
    # Started two minutes after its slot (however long ago, and on whichever replica).
    assert 'salesbot_scheduler_lag_seconds{job="approval_sla"} 120.0' in body.splitlines()
