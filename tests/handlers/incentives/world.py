"""A small incentives world with figures worked out by hand (Asia/Shanghai, November 2026).

张伟 (zhang.wei), at NOW = Fri 27 Nov 2026 10:00:
- 新增有效客户 in November: 12 clients with a contact phone + 1 without (not valid) → 12/15.
- 方案演示 actions (deal 演示单 in 方案演示 since 1 Nov): W46 1/1 on time, W47 1/1 on time (plus a
  late action planned in 商务谈判, which does not count), W48 1 done on time + 1 due Sat 28 Nov
  still open → 1/2 with 1 pending.
- Work orders he decided in November: 1 h, and 3 h as a delegate (working hours) → average
  2.0 h (≤ 2 h: met); a 9 h one in October does not count.
- Payments in November: first year 30万 (5 % = 15,000), renewal year 2 10万 (3 % = 3,000),
  renewal year 4 5万 (7 % = 3,500) → commission 21,500. One certificate → allowance 300.
- Renewal history: 2 clients paid in the year before last (老客户甲, 老客户乙); 老客户甲 paid again in
  the last year (its year-2 renewal) → renewal rate 50 %.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from storage.models import (
    Approval,
    ApprovalStep,
    Client,
    Contact,
    Deal,
    Payment,
    StageHistory,
    Task,
)

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


def local(month: int, day: int, hour: int = 10, year: int = 2026) -> datetime:
    """A Shanghai wall-clock time, in UTC as the app's clock gives it (SQLite compares the text)."""
    return datetime(year, month, day, hour, tzinfo=TZ).astimezone(UTC)


async def client(
    name: str, owner: str, created: datetime, phone: str | None = "13800000000"
) -> Client:
    c = await Client.create(name=name, owner_id=owner, region="east")
    await Client.filter(id=c.id).update(created_at=created)  # auto_now_add ignores a given value
    if phone is not None:
        await Contact.create(client=c, name="联系人", phone=phone, created_by_id=owner)
    return c


async def deal(c: Client, stage: str, since: datetime, status: str = "open") -> Deal:
    d = await Deal.create(
        client=c,
        owner_id=c.owner_id,
        title=f"{c.name}项目",
        stage=stage,
        status=status,
        amount=Decimal(300000),
        stage_entered_at=since,
        created_at=since,
        region="east",
    )
    await StageHistory.create(deal=d, from_stage=None, to_stage=stage, changed_at=since)
    return d


async def task(
    d: Deal, due: datetime, done_at: datetime | None, planned: datetime, who: str = "zhang.wei"
) -> Task:
    t = await Task.create(
        kind="next_action",
        assignee_id=who,
        deal=d,
        client_id=d.client_id,
        title="方案演示",
        due_at=due,
        status="done" if done_at else "open",
        completed_at=done_at,
    )
    await Task.filter(id=t.id).update(created_at=planned)
    return t


async def step(
    approver: str, decided: datetime, elapsed: float, decided_by: str | None = None
) -> None:
    """A deciding step as the approvals feature stores it: elapsed_hours is the working hours
    it waited, computed when it was decided."""
    a = await Approval.create(template="quote", requester_id="li.na", title="报价审批", form={})
    await ApprovalStep.create(
        approval=a,
        seq=1,
        approver_id=approver,
        status="approved",
        decided_by=decided_by or approver,
        decided_at=decided,
        elapsed_hours=elapsed,
    )


async def pay(c: Client, kind: str, year: int, amount: int, at: datetime, ref: str) -> Payment:
    p = await Payment.create(
        client=c,
        owner_id=c.owner_id,
        kind=kind,
        contract_year=year,
        amount=Decimal(amount),
        paid_at=at,
        external_ref=ref,
    )
    await Payment.filter(id=p.id).update(created_at=at)  # recorded when paid
    return p


async def seed_incentives_world() -> dict[str, object]:
    for i in range(12):
        await client(f"新客户{i:02d}", "zhang.wei", local(11, 2 + i))
    await client("无电话客户", "zhang.wei", local(11, 3), phone=None)
    await client("上月客户", "zhang.wei", local(10, 30))  # October: not this month

    demo = await deal(await client("演示客户", "zhang.wei", local(9, 1)), "方案演示", local(11, 1))
    talk = await deal(await client("谈判客户", "zhang.wei", local(9, 1)), "商务谈判", local(11, 1))
    await task(demo, local(11, 12, 18), local(11, 11), local(11, 9))  # W46 on time
    await task(demo, local(11, 19, 18), local(11, 19, 15), local(11, 16))  # W47 on time
    await task(talk, local(11, 20, 18), None, local(11, 16))  # W47, not a demo: not counted
    await task(demo, local(11, 25, 18), local(11, 24), local(11, 23))  # W48 on time
    pending = await task(demo, local(11, 28, 18), None, local(11, 23))  # W48, due tomorrow

    await step("zhang.wei", local(11, 16, 10), 1.0)
    await step("zhao.lei", local(11, 17, 17), 3.0, decided_by="zhang.wei")  # as zhao.lei's delegate
    await step("zhang.wei", local(10, 30, 17), 9.0)  # October: not this month

    new = await client("首年客户", "zhang.wei", local(9, 1))
    old_a = await client("老客户甲", "zhang.wei", local(1, 1, year=2025))
    old_b = await client("老客户乙", "zhang.wei", local(1, 1, year=2025))
    loyal = await client("四年客户", "zhang.wei", local(1, 1, year=2023))
    await pay(new, "first_year", 1, 300_000, local(11, 5), "P-1")
    await pay(old_a, "first_year", 1, 80_000, local(6, 1, year=2025), "P-2")
    await pay(old_b, "first_year", 1, 60_000, local(3, 1, year=2025), "P-3")
    await pay(old_a, "renewal", 2, 100_000, local(11, 10), "P-4")
    await pay(loyal, "renewal", 4, 50_000, local(11, 20), "P-5")
    return {"pending_task": pending, "demo_deal": demo}
