"""Approval SLA: the approver is reminded at half time; at the limit their supervisor hears and
may decide the step; cc steps and decided requests are left alone."""

from __future__ import annotations

from datetime import timedelta

from bot.replies import CardMessage, Markdown, Text
from cards.store import CardStore
from scheduler.jobs.approval_sla import escalate
from storage.models import Approval, ApprovalStep, AuditLog, CardInstance
from tests.support.crm import seed_world
from tests.support.harness import Harness
from tests.support.jobs import pushes, run_slot, sh


async def pending_quote(status: str = "pending", requester: str = "zhang.wei") -> ApprovalStep:
    approval = await Approval.create(
        template="quote",
        requester_id=requester,
        title="华东机械报价审批",
        status=status,
        current_step=1,
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


async def test_the_escalation_passes_over_the_requester(bot: Harness) -> None:
    """王丽 asked, 赵磊 decides: at the limit it goes past 王丽 (赵磊's manager) to 陈志远."""
    step = await pending_quote(requester="wang.li")
    await run_slot(bot, "approval_sla", sh(2026, 12, 4, 9))
    told = {p["kind"]: p["person_id"] for p in await pushes(bot.runtime.db)}
    assert told["approval_escalation"] == "chen.zhiyuan"
    joined = await ApprovalStep.filter(approval_id=step.approval_id, kind="approve")
    assert sorted(s.approver_id for s in joined) == ["chen.zhiyuan", "zhao.lei"]


async def test_someone_deciding_a_later_step_is_only_asked_to_chase(bot: Harness) -> None:
    """王丽 approves step 2 anyway: joining step 1 would have her approve the request twice."""
    step = await pending_quote()
    await ApprovalStep.create(
        approval_id=step.approval_id, seq=2, approver_id="wang.li", kind="approve"
    )
    await run_slot(bot, "approval_sla", sh(2026, 12, 4, 9))
    told = next(p for p in await pushes(bot.runtime.db) if p["kind"] == "approval_escalation")
    assert told["person_id"] == "wang.li" and told["text"].endswith("请督促赵磊尽快处理。")
    assert (
        await ApprovalStep.filter(approval_id=step.approval_id, seq=1, kind="approve").count() == 1
    )
    assert (await ApprovalStep.get(id=step.id)).escalated_at is not None


async def test_a_step_decided_meanwhile_is_not_escalated(bot: Harness) -> None:
    """The job read the step as overdue; 赵磊 decided before the escalation took the lock."""
    step = await pending_quote()
    await Approval.filter(id=step.approval_id).update(current_step=2)
    await ApprovalStep.filter(id=step.id).update(status="approved")
    joined = await escalate(bot.runtime.db, step, "wang.li", sh(2026, 12, 4, 9))
    assert joined is False
    assert not await ApprovalStep.exists(approval_id=step.approval_id, approver_id="wang.li")
    assert (await ApprovalStep.get(id=step.id)).escalated_at is None


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


async def test_at_the_limit_the_supervisor_may_decide_the_step(bot: Harness) -> None:
    """The escalation is not only a note: 王丽 (赵磊's manager) joins the overdue step, finds the
    card under /待审批 redrawn with her on it, and her 同意 decides it; 赵磊's copy is then closed."""
    await seed_world()
    await bot.say("zhang.wei", "/样品 华东机械 传感器模组2套")
    sent = await bot.next_sent(3)  # the receipt, and the card to 张伟 and to 赵磊
    card_id = next(m.reply.card_id for m in sent if isinstance(m.reply, CardMessage))
    approval = await Approval.get(requester_id="zhang.wei")
    step = await ApprovalStep.get(approval_id=approval.id, approver_id="zhao.lei")
    assert step.due_at is not None
    await run_slot(bot, "approval_sla", step.due_at)
    escalation = next(p for p in await pushes(bot.runtime.db) if p["kind"] == "approval_escalation")
    assert escalation["person_id"] == "wang.li" and "现由你一并审批" in escalation["text"]
    joined = await ApprovalStep.filter(approval_id=approval.id, approver_id="wang.li")
    assert [(s.seq, s.kind, s.status, s.ref) for s in joined] == [
        (step.seq, "approve", "pending", "escalated:zhao.lei")
    ]
    told = await bot.next_sent(2)  # the reminder and the escalation, both due by now
    assert {m.recipient for m in told} == {"zhao.lei", "wang.li"}
    await run_slot(bot, "approval_sla", step.due_at + timedelta(hours=1))  # once
    assert await ApprovalStep.filter(approval_id=approval.id, approver_id="wang.li").count() == 1

    await bot.say("wang.li", "/待审批")
    sent = await bot.next_sent(3)  # the list, the card redrawn for its holders, the card to her
    listing = next(m for m in sent if isinstance(m.reply, Markdown))
    assert listing.recipient == "wang.li" and "华东机械" in listing.reply.text
    assert ("wang.li", card_id) in {
        (m.recipient, m.reply.card_id) for m in sent if isinstance(m.reply, CardMessage)
    }
    assert "wang.li" in CardStore.actors_of(await CardInstance.get(id=card_id))

    drawn = CardStore.card_of(await CardInstance.get(id=card_id))
    agree = next(b.payload for b in drawn.buttons if b.text == "同意")
    await bot.tap("wang.li", card_id, "同意")
    await bot.next_sent(2)
    decided = await Approval.get(id=approval.id)
    assert decided.status == "approved"
    steps = {s.approver_id: s for s in await ApprovalStep.filter(approval_id=approval.id)}
    assert (steps["wang.li"].status, steps["wang.li"].decided_by) == ("approved", "wang.li")
    assert steps["zhao.lei"].status == "skipped"
    await bot.tap_payload("zhao.lei", agree)  # his copy, now closed: nothing changes
    (late,) = await bot.next_sent()
    assert isinstance(late.reply, Text) and late.recipient == "zhao.lei"
    assert await AuditLog.filter(action="approval.approve").count() == 1
