"""A small hand-computed CRM world for the stats tests. Every expected figure in the tests is
worked out by hand from the rows below (see the comments), not by the code under test.

All times are 10:00 in Shanghai (02:00 UTC), so day differences are whole days.
NOW is Friday 2026-11-27 10:00; 本月 is November 2026, 上月 October.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from storage.models import Client, Contact, Deal, FollowUp, StageHistory

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


def day(month: int, d: int) -> datetime:
    return datetime(2026, month, d, 2, 0, tzinfo=UTC)


# name, owner, region, city, source, created (month, day)
CLIENTS = [
    ("华东机械", "zhang.wei", "east", "上海", "展会", (11, 3)),  # C1: contact with phone → valid
    ("金桥物流", "zhang.wei", "east", "苏州", "官网", (11, 5)),  # C2: contact, no phone → not valid
    ("恒达科技", "li.na", "east", "杭州", "展会", (10, 10)),  # C3: created in October
    ("南方纺织", "zhou.jie", "south", "广州", "转介绍", (11, 10)),  # C4: a follow-up → valid
    ("远航制造", "liu.yang", "east", "上海", "官网", (11, 12)),  # C5: nothing → not valid
]
# key, client, owner, amount, line, status, history [(stage, (month, day))]
DEALS = [
    (
        "D1",
        "华东机械",
        "zhang.wei",
        300_000,
        "软件",
        "won",
        [
            ("首次接触", (11, 3)),
            ("需求确认", (11, 6)),
            ("方案演示", (11, 10)),
            ("报价谈判", (11, 15)),
            ("赢单", (11, 20)),
        ],
    ),
    (
        "D2",
        "金桥物流",
        "zhang.wei",
        100_000,
        "平台",
        "open",
        [("首次接触", (11, 5)), ("需求确认", (11, 9))],
    ),  # stalled: 18 days > 10
    (
        "D3",
        "恒达科技",
        "li.na",
        200_000,
        "软件",
        "lost",
        [("首次接触", (11, 2)), ("需求确认", (11, 4)), ("方案演示", (11, 8)), ("输单", (11, 18))],
    ),
    (
        "D4",
        "南方纺织",
        "zhou.jie",
        500_000,
        "服务",
        "won",
        [
            ("首次接触", (11, 10)),
            ("需求确认", (11, 12)),
            ("方案演示", (11, 14)),
            ("报价谈判", (11, 16)),
            ("赢单", (11, 24)),
        ],
    ),
    (
        "D5",
        "远航制造",
        "liu.yang",
        150_000,
        "软件",
        "open",
        [("首次接触", (11, 12)), ("方案演示", (11, 20))],
    ),  # skipped 需求确认; stalled: 7 days > 5
    (
        "D6",
        "恒达科技",
        "li.na",
        80_000,
        "服务",
        "won",
        [("首次接触", (10, 5)), ("需求确认", (10, 20)), ("赢单", (11, 8))],
    ),  # created in October
    (
        "D7",
        "华东机械",
        "zhang.wei",
        None,
        "软件",
        "open",
        [("首次接触", (11, 25))],
    ),  # 2 days in stage: not stalled
]
# rep, client, (month, day)
FOLLOWUPS = [
    ("zhang.wei", "华东机械", (11, 3)),
    ("zhang.wei", "华东机械", (11, 10)),
    ("zhang.wei", "华东机械", (11, 20)),
    ("zhou.jie", "南方纺织", (11, 12)),
    ("zhou.jie", "南方纺织", (11, 16)),
    ("li.na", "恒达科技", (11, 4)),
    ("li.na", "恒达科技", (10, 20)),
]


async def seed_stats_world() -> dict[str, int]:
    """Writes the world; returns deal ids by key."""
    clients: dict[str, Client] = {}
    for name, owner, region, city, source, (m, d) in CLIENTS:
        c = await Client.create(name=name, owner_id=owner, region=region, city=city, source=source)
        await Client.filter(id=c.id).update(created_at=day(m, d))
        clients[name] = c
    await Contact.create(client=clients["华东机械"], name="王经理", phone="13800000000")
    await Contact.create(client=clients["金桥物流"], name="李总")
    ids: dict[str, int] = {}
    for key, client, owner, amount, line, status, history in DEALS:
        c = clients[client]
        stage, entered = history[-1][0], day(*history[-1][1])
        deal = await Deal.create(
            client=c,
            owner_id=owner,
            stage=stage,
            status=status,
            amount=Decimal(amount) if amount is not None else None,
            source=c.source,
            region=c.region,
            product_line=line,
            stage_entered_at=entered,
            created_at=day(*history[0][1]),
            closed_at=entered if status != "open" else None,
        )
        previous = None
        for s, (m, d) in history:
            await StageHistory.create(
                deal=deal, from_stage=previous, to_stage=s, changed_at=day(m, d)
            )
            previous = s
        ids[key] = deal.id
    for rep, client, (m, d) in FOLLOWUPS:
        await FollowUp.create(
            rep_id=rep, client=clients[client], raw_text="跟进", occurred_at=day(m, d)
        )
    return ids
