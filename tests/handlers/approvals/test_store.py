"""The data layer on real SQLite and PostgreSQL: submit, decide exactly once, refuse, withdraw,
drafts with attachments, delegation, and the two lists people ask for."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import load_config
from bot.config.approvals import Delegation
from bot.orgsync import sync_org
from handlers.approvals.decide import Decision, Outcome, decide
from handlers.approvals.queries import Turnaround, requests_of, turnaround, waiting_for
from handlers.approvals.routing import RoutePlan, Step, route
from handlers.approvals.store import (
    NewRequest,
    add_delegation,
    ask_reason,
    attach,
    attachment_names,
    delegations,
    open_draft,
    reason_owed_by,
    save_draft,
    submit,
    withdraw,
)
from storage.db import Database
from storage.models import Approval, ApprovalStep, AuditLog
from tests.handlers.approvals.calendar import WeekdayCalendar

ROOT = Path(__file__).resolve().parents[3]
CONFIG = load_config(ROOT / "config.yaml", env={})
CAL = WeekdayCalendar()
MON_10 = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
TODAY = MON_10.date()


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    database = Database(db_url)
    await database.open()
    await sync_org(CONFIG, database)
    try:
        yield database
    finally:
        await database.close()


def quote(amount: float, **form: object) -> NewRequest:
    return NewRequest(
        template="quote",
        requester_id="zhang.wei",
        title=f"华东机械 报价 {amount:g}",
        form={"client": "华东机械", "amount": amount, **form},
        platform="wecom",
        amount=amount,
    )


def plan_for(request: NewRequest) -> RoutePlan:
    rep = CONFIG.person(request.requester_id)
    assert rep is not None
    plan = route(CONFIG.approvals[request.template], request.form, rep, CONFIG.people)
    assert isinstance(plan, RoutePlan)
    return plan


async def submitted(db: Database, request: NewRequest, plan: RoutePlan | None = None) -> int:
    return await submit(db, request, plan or plan_for(request), now=MON_10, cal=CAL, sla_hours=8)


async def tap(
    db: Database,
    approval_id: int,
    seq: int,
    who: str,
    *,
    approve: bool = True,
    at: datetime = MON_10 + timedelta(hours=2),
    comment: str | None = None,
    away: tuple[Delegation, ...] = (),
    platform: str = "wecom",
) -> Decision:
    return await decide(
        db,
        approval_id,
        seq=seq,
        person_id=who,
        approve=approve,
        comment=comment,
        platform=platform,
        now=at,
        today=at.date(),
        delegations=away,
        cal=CAL,
        sla_hours=8,
    )


async def steps(approval_id: int) -> list[tuple[int, str, str]]:
    rows = await ApprovalStep.filter(approval_id=approval_id).order_by("seq", "id")
    return [(s.seq, s.approver_id, s.status) for s in rows]


async def actions(approval_id: int) -> list[tuple[str, str]]:
    rows = await AuditLog.filter(subject_type="approval", subject_id=str(approval_id)).order_by(
        "id"
    )
    return [(r.actor, r.action) for r in rows]


async def test_submit_writes_request_steps_deadlines_and_audit(db: Database) -> None:
    aid = await submitted(db, quote(600_000, special_terms="质保三年"))
    approval = await Approval.get(id=aid)
    assert (approval.status, approval.current_step, approval.route_rule) == ("pending", 1, 2)
    assert approval.sla_remind_at == datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
    assert approval.sla_due_at == datetime(2026, 11, 30, 18, 0, tzinfo=UTC)  # 9 h days
    assert await steps(aid) == [
        (0, "xu.qing", "cc"),
        (0, "ma.jun", "cc"),
        (1, "zhao.lei", "pending"),
        (2, "wang.li", "waiting"),
        (3, "chen.zhiyuan", "waiting"),
    ]
    first = await ApprovalStep.get(approval_id=aid, seq=1)
    assert first.started_at == MON_10 and first.due_at == approval.sla_due_at
    assert await actions(aid) == [("zhang.wei", "approval.submit")]


async def test_whole_chain_moves_step_by_step_and_keeps_elapsed_hours(db: Database) -> None:
    aid = await submitted(db, quote(600_000))
    first = await tap(db, aid, 1, "zhao.lei", at=MON_10 + timedelta(hours=1))
    assert (first.outcome, first.next_approvers, first.status) == (
        Outcome.advanced,
        ("wang.li",),
        "pending",
    )
    # Friday 17:00 → Monday 10:30 is 2.5 working hours for the director's step below.
    second = await tap(db, aid, 2, "wang.li", at=datetime(2026, 12, 4, 17, 0, tzinfo=UTC))
    assert second.outcome is Outcome.advanced
    approval = await Approval.get(id=aid)
    assert approval.sla_due_at == datetime(2026, 12, 7, 16, 0, tzinfo=UTC)
    last = await tap(db, aid, 3, "chen.zhiyuan", at=datetime(2026, 12, 7, 10, 30, tzinfo=UTC))
    assert (last.outcome, last.status) == (Outcome.approved, "approved")
    approval = await Approval.get(id=aid)
    assert approval.status == "approved" and approval.decided_at is not None
    assert approval.sla_due_at is None
    rows = await ApprovalStep.filter(approval_id=aid, kind="approve").order_by("seq")
    assert [(r.status, r.decided_by, r.platform, r.elapsed_hours) for r in rows] == [
        ("approved", "zhao.lei", "wecom", 1.0),
        ("approved", "wang.li", "wecom", 7 + 3 * 9 + 8.0),  # Mon 11:00 → Fri 17:00
        ("approved", "chen.zhiyuan", "wecom", 2.5),
    ]
    assert await actions(aid) == [
        ("zhang.wei", "approval.submit"),
        ("zhao.lei", "approval.approve"),
        ("wang.li", "approval.approve"),
        ("chen.zhiyuan", "approval.approve"),
    ]


async def test_reject_with_reason_closes_the_chain(db: Database) -> None:
    aid = await submitted(db, quote(600_000))
    got = await tap(db, aid, 1, "zhao.lei", approve=False, comment="折扣超出权限")
    assert (got.outcome, got.status) == (Outcome.rejected, "rejected")
    assert await steps(aid) == [
        (0, "ma.jun", "cc"),
        (1, "zhao.lei", "rejected"),
        (2, "wang.li", "skipped"),
        (3, "chen.zhiyuan", "skipped"),
    ]
    step = await ApprovalStep.get(approval_id=aid, seq=1)
    assert step.comment == "折扣超出权限"
    log = await AuditLog.filter(action="approval.reject").first()
    assert log is not None and log.details["comment"] == "折扣超出权限"
    assert (await tap(db, aid, 2, "wang.li")).outcome is Outcome.stale


async def test_anyone_else_is_refused_audited_and_changes_nothing(db: Database) -> None:
    aid = await submitted(db, quote(200_000))
    before = await Approval.get(id=aid)
    for intruder in ("li.na", "zhang.wei", "wang.li"):  # a peer, the requester, the next step
        got = await tap(db, aid, 1, intruder)
        assert got.outcome is Outcome.refused and not got.won
    after = await Approval.get(id=aid)
    assert (after.status, after.current_step, after.version) == ("pending", 1, before.version)
    assert await steps(aid) == [(1, "zhao.lei", "pending"), (2, "wang.li", "waiting")]
    refused = await AuditLog.filter(action="approval.refused").order_by("id")
    assert [(r.actor, r.details["platform"]) for r in refused] == [
        ("li.na", "wecom"),
        ("zhang.wei", "wecom"),
        ("wang.li", "wecom"),
    ]


async def test_double_tap_and_old_card_give_one_decision(db: Database) -> None:
    aid = await submitted(db, quote(200_000))
    assert (await tap(db, aid, 1, "zhao.lei")).outcome is Outcome.advanced
    assert (await tap(db, aid, 1, "zhao.lei")).outcome is Outcome.stale  # second tap
    assert (await tap(db, aid, 1, "zhao.lei", approve=False)).outcome is Outcome.stale
    assert (await tap(db, aid, 2, "wang.li")).outcome is Outcome.approved
    assert (await tap(db, aid, 2, "wang.li", approve=False)).outcome is Outcome.stale
    decided = await AuditLog.filter(action__in=["approval.approve", "approval.reject"]).count()
    assert decided == 2
    assert (await Approval.get(id=aid)).status == "approved"


async def test_concurrent_taps_of_an_any_of_group_give_exactly_one_decision(
    db: Database,
) -> None:
    plan = RoutePlan(0, (Step(1, ("xu.qing", "ma.jun"), "legal|finance"),), ())
    aid = await submitted(db, quote(50_000), plan)
    taps = [
        tap(db, aid, 1, who, approve=approve)
        for who, approve in [("xu.qing", True), ("ma.jun", False)] * 4
    ]
    results = await asyncio.gather(*taps)
    winners = [r for r in results if r.won]
    assert len(winners) == 1
    assert all(r.outcome is Outcome.stale for r in results if not r.won)
    approval = await Approval.get(id=aid)
    assert approval.status == winners[0].status.value
    assert approval.version == 2  # submitted once, decided once
    rows = await ApprovalStep.filter(approval_id=aid).order_by("id")
    decided = [r for r in rows if r.status in ("approved", "rejected")]
    assert len(decided) == 1 and [r.status for r in rows].count("skipped") == 1
    assert await AuditLog.filter(action__in=["approval.approve", "approval.reject"]).count() == 1


async def test_delegate_decides_within_the_dates_only(db: Database) -> None:
    away = (Delegation.of("zhao.lei", "sun.mei", date(2026, 12, 1), date(2026, 11, 30)),)
    aid = await submitted(db, quote(50_000))
    late = await tap(db, aid, 1, "sun.mei", away=away, at=datetime(2026, 12, 2, 9, tzinfo=UTC))
    assert late.outcome is Outcome.refused
    got = await tap(db, aid, 1, "sun.mei", away=away, at=datetime(2026, 12, 1, 9, tzinfo=UTC))
    assert (got.outcome, got.acting_for) == (Outcome.approved, "zhao.lei")
    step = await ApprovalStep.get(approval_id=aid, seq=1)
    assert (step.approver_id, step.decided_by, step.status) == ("zhao.lei", "sun.mei", "approved")


async def test_chat_delegations_join_the_configured_ones(db: Database) -> None:
    configured = (Delegation.of("he.jing", "huang.tao", date(2026, 12, 31)),)
    await add_delegation(
        db, Delegation.of("zhao.lei", "sun.mei", date(2026, 12, 5)), by="zhao.lei", now=MON_10
    )
    await add_delegation(
        db, Delegation.of("wang.li", "chen.zhiyuan", date(2026, 11, 1)), by="wang.li", now=MON_10
    )
    got = await delegations(configured, TODAY)
    assert [(d.from_, d.to) for d in got] == [("he.jing", "huang.tao"), ("zhao.lei", "sun.mei")]
    log = await AuditLog.filter(action="approval.delegate").order_by("id")
    assert [(r.actor, r.details["to"]) for r in log] == [
        ("zhao.lei", "sun.mei"),
        ("wang.li", "chen.zhiyuan"),
    ]


async def test_withdraw_by_the_requester_only_and_only_while_open(db: Database) -> None:
    aid = await submitted(db, quote(200_000))
    assert not await withdraw(db, aid, person_id="zhao.lei", platform="wecom", now=MON_10)
    assert await withdraw(db, aid, person_id="zhang.wei", platform="dingtalk", now=MON_10)
    assert await steps(aid) == [(1, "zhao.lei", "skipped"), (2, "wang.li", "skipped")]
    assert (await tap(db, aid, 1, "zhao.lei")).outcome is Outcome.stale
    assert not await withdraw(db, aid, person_id="zhang.wei", platform="wecom", now=MON_10)
    assert await actions(aid) == [
        ("zhang.wei", "approval.submit"),
        ("zhao.lei", "approval.withdraw_refused"),
        ("zhang.wei", "approval.withdraw"),
        ("zhao.lei", "approval.stale"),
    ]
    done = await submitted(db, quote(50_000))
    await tap(db, done, 1, "zhao.lei")
    assert not await withdraw(db, done, person_id="zhang.wei", platform="wecom", now=MON_10)


async def test_draft_collects_attachments_then_is_submitted_in_place(db: Database) -> None:
    request = quote(50_000)
    draft = await save_draft(db, request, now=MON_10)
    found = await open_draft("zhang.wei")
    assert found is not None and found.id == draft and found.status == "draft"
    for name in ("产品配置表", "技术参数说明"):
        ok = await attach(
            db, draft, name=name, filename=f"{name}.pdf", media_id=7, by="zhang.wei", now=MON_10
        )
        assert ok
    assert await attachment_names(draft) == ["产品配置表", "技术参数说明"]
    aid = await submit(
        db, request, plan_for(request), now=MON_10, cal=CAL, sla_hours=8, draft_id=draft
    )
    assert aid == draft and await open_draft("zhang.wei") is None
    assert (await Approval.get(id=aid)).status == "pending"
    await withdraw(db, aid, person_id="zhang.wei", platform="wecom", now=MON_10)
    closed = await attach(
        db, aid, name="x", filename="x.pdf", media_id=8, by="zhang.wei", now=MON_10
    )
    assert not closed and await attachment_names(aid) == ["产品配置表", "技术参数说明"]


async def test_what_waits_for_me_and_where_mine_stand(db: Database) -> None:
    small = await submitted(db, quote(50_000))
    big = await submitted(db, quote(200_000))
    await tap(db, big, 1, "zhao.lei")
    away = (Delegation.of("wang.li", "sun.mei", date(2026, 12, 31)),)
    assert [a.id for a in await waiting_for("zhao.lei", (), TODAY)] == [small]
    assert [a.id for a in await waiting_for("wang.li", (), TODAY)] == [big]
    assert [a.id for a in await waiting_for("sun.mei", away, TODAY)] == [big]
    assert await waiting_for("sun.mei", (), TODAY) == []
    mine = await requests_of("zhang.wei")
    assert [(s.approval.id, s.waiting_on, s.steps) for s in mine] == [
        (big, ("wang.li",), 2),
        (small, ("zhao.lei",), 1),
    ]


async def test_a_reason_asked_for_is_owed_until_the_step_is_decided(db: Database) -> None:
    aid = await submitted(db, quote(200_000))
    assert not await ask_reason(aid, "zhao.lei", 2)  # not the current step
    assert await ask_reason(aid, "zhao.lei", 1)
    owed = await reason_owed_by("zhao.lei")
    assert owed is not None and owed.id == aid
    assert await reason_owed_by("wang.li") is None
    await tap(db, aid, 1, "zhao.lei", approve=False, comment="资料不全")
    assert await reason_owed_by("zhao.lei") is None


async def test_turnaround_averages_working_hours_per_decider(db: Database) -> None:
    first = await submitted(db, quote(50_000))
    second = await submitted(db, quote(60_000))
    await tap(db, first, 1, "zhao.lei", at=MON_10 + timedelta(hours=1))
    await tap(db, second, 1, "zhao.lei", at=MON_10 + timedelta(hours=3), approve=False)
    got = await turnaround(MON_10, MON_10 + timedelta(days=1))
    assert got == [Turnaround("zhao.lei", 2, 2.0)]
    assert await turnaround(MON_10 + timedelta(days=1), MON_10 + timedelta(days=2)) == []
