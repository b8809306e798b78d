"""A deterministic demo history: clients with aliases, contacts, deals in every stage, follow-ups,
and next-action tasks — some due today, a few overdue — so the reminders and digest show something.

``generate`` is pure (same seed and clock → same data) and scales by ``clients``, so later
benchmarks can ask it for a million records; ``write`` stores a dataset in bulk.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.config.crm import StageKind
from bot.config.models import AppConfig
from bot.config.org import Role
from storage.db import Database
from storage.models import Client, Contact, Deal, FollowUp, StageHistory, Task

CURATED: tuple[tuple[str, tuple[str, ...], str, str], ...] = (
    # name, aliases, city, industry
    ("华东机械", ("华东机械厂", "华东重机"), "上海", "装备制造"),
    ("恒达科技", ("恒达",), "杭州", "电子"),
    ("金桥物流", ("金桥",), "苏州", "物流"),
    ("远航制造", ("远航",), "宁波", "装备制造"),
    ("新锐医药", ("新锐",), "南京", "医药"),
    ("博远电子", ("博远",), "无锡", "电子"),
    ("汇通供应链", ("汇通",), "合肥", "物流"),
    ("瑞丰食品", ("瑞丰",), "广州", "食品"),
    ("鼎盛建材", ("鼎盛",), "佛山", "建材"),
    ("天成汽配", ("天成",), "东莞", "汽车零部件"),
    ("明光照明", ("明光",), "中山", "照明"),
    ("海川化工", ("海川",), "深圳", "化工"),
    ("中科精密", ("中科",), "厦门", "精密加工"),
    ("南方纺织", ("南纺",), "珠海", "纺织"),
)
PREFIXES = [
    "华信",
    "长江",
    "东海",
    "北辰",
    "启明",
    "万达",
    "国泰",
    "星河",
    "宏图",
    "嘉禾",
    "永盛",
    "同创",
    "众诚",
    "九州",
    "百川",
    "云帆",
]
SUFFIXES = [
    "机械",
    "科技",
    "物流",
    "制造",
    "电子",
    "医药",
    "食品",
    "建材",
    "化工",
    "汽配",
    "精密",
    "纺织",
]
SURNAMES = tuple("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗")
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "霞",
    "平",
    "刚",
    "桂英",
]
TITLES = ("经理", "总", "工", "主任", "总监")
NOTES = (
    "拜访了{client}{contact}，{action}。",
    "和{client}的{contact}电话沟通，{action}。",
    "去{client}现场，{contact}带我们看了产线，{action}。",
)
ACTIONS = {
    "首次接触": "初步了解了需求，留了联系方式",
    "需求确认": "确认了需求，客户说预算在{amount}左右",
    "方案演示": "给客户演示了{product}，反馈不错",
    "报价谈判": "报价{amount}，客户希望再降一点",
    "赢单": "合同已签，金额{amount}",
    "输单": "客户选了竞品，暂停合作",
}


@dataclass
class DemoClient:
    name: str
    aliases: tuple[str, ...]
    owner: str
    region: str
    city: str
    industry: str
    source: str
    contacts: list[tuple[str, str]]  # (display name like 王经理, full name)


@dataclass
class DemoDeal:
    client: int  # index into clients
    owner: str
    stage: str
    status: str
    amount: int
    products: list[str]
    created_at: datetime
    stage_entered_at: datetime
    history: list[tuple[str | None, str, datetime]]
    notes: list[tuple[datetime, str]] = field(default_factory=list)


@dataclass
class DemoTask:
    deal: int  # index into deals
    title: str
    due_at: datetime


@dataclass
class Dataset:
    clients: list[DemoClient]
    deals: list[DemoDeal]
    tasks: list[DemoTask] = field(default_factory=list)


TASK_TITLES = (
    "给{contact}发送方案和报价",
    "约{contact}确认演示时间",
    "跟进合同审批进度",
    "回访{contact}了解试用反馈",
    "整理需求文档发给客户",
)
TODAY_AT = (time(10), time(11, 30), time(14), time(15, 30), time(16, 30), time(17))


def next_actions(dataset: Dataset, config: AppConfig, now: datetime) -> list[DemoTask]:
    """One open task per open deal: the first six due today, two overdue, the rest this week."""
    tz = ZoneInfo(config.timezone)
    today = now.astimezone(tz).date()
    out: list[DemoTask] = []
    open_deals = [i for i, d in enumerate(dataset.deals) if d.status == "open"]
    for n, i in enumerate(open_deals):
        contact = dataset.clients[dataset.deals[i].client].contacts[0][0]
        title = TASK_TITLES[n % len(TASK_TITLES)].format(contact=contact)
        if n < len(TODAY_AT):
            due = datetime.combine(today, TODAY_AT[n], tzinfo=tz)
        elif n < len(TODAY_AT) + 2:
            due = datetime.combine(today - timedelta(days=n - len(TODAY_AT) + 1), time(18), tz)
        else:
            due = datetime.combine(today + timedelta(days=1 + n % 4), time(10), tzinfo=tz)
        out.append(DemoTask(i, title, due.astimezone(UTC)))
    return out


def _client_names(n: int, rng: random.Random) -> list[tuple[str, tuple[str, ...], str, str]]:
    out = list(CURATED[:n])
    seen = {c[0] for c in out}
    while len(out) < n:
        name = rng.choice(PREFIXES) + rng.choice(SUFFIXES)
        if len(out) >= len(PREFIXES) * len(SUFFIXES) // 2:
            name += str(len(out))  # large volumes: keep names unique
        if name in seen:
            continue
        seen.add(name)
        out.append((name, (name[:2],), rng.choice(("上海", "杭州", "广州", "深圳")), "制造"))
    return out


def generate(config: AppConfig, *, clients: int, days: int, seed: int, now: datetime) -> Dataset:
    rng = random.Random(seed)
    reps = [p for p in config.people if p.role is Role.rep]
    team_region = {t.id: t.region for t in config.teams}
    stages = [s for s in config.funnel.stages]
    open_stages = [s.name for s in stages if s.kind is StageKind.open]
    won = next(s.name for s in stages if s.kind is StageKind.won)
    lost = next(s.name for s in stages if s.kind is StageKind.lost)
    products = [p.name for p in config.products] or ["标准版"]
    sources = list(config.lead_sources) or ["官网"]

    out_clients: list[DemoClient] = []
    for i, (name, aliases, city, industry) in enumerate(_client_names(clients, rng)):
        owner = reps[i % len(reps)]
        contacts = []
        for _ in range(rng.randint(1, 3)):
            surname, title = rng.choice(SURNAMES), rng.choice(TITLES)
            contacts.append((surname + title, surname + rng.choice(GIVEN)))
        # One display name per client: "王经理" must identify one person at that client.
        unique = list({display: (display, full) for display, full in contacts}.values())
        out_clients.append(
            DemoClient(
                name,
                aliases,
                owner.id,
                team_region.get(owner.team or "", ""),
                city,
                industry,
                rng.choice(sources),
                unique,
            )
        )

    deals: list[DemoDeal] = []
    targets = [*open_stages, won, lost]
    for i, client in enumerate(out_clients):
        # The first clients walk through every stage in turn so each stage has open deals.
        target = targets[i % len(targets)] if i < 2 * len(targets) else rng.choice(targets)
        created = now - timedelta(days=rng.uniform(3, days), hours=rng.uniform(0, 8))
        path = (
            open_stages[: open_stages.index(target) + 1]
            if target in open_stages
            else [*open_stages[: rng.randint(1, len(open_stages))], target]
        )
        span = (now - created) / (len(path) + 1)
        history: list[tuple[str | None, str, datetime]] = []
        at = created
        previous: str | None = None
        notes: list[tuple[datetime, str]] = []
        amount = rng.randrange(50, 3000) * 1000
        product = rng.choice(products)
        for stage in path:
            history.append((previous, stage, at))
            contact = rng.choice(client.contacts)[0]
            wan = f"{amount // 10000}万"
            action = ACTIONS.get(stage, "跟进了进展").format(amount=wan, product=product)
            notes.append(
                (at, rng.choice(NOTES).format(client=client.name, contact=contact, action=action))
            )
            previous = stage
            at = at + span * rng.uniform(0.6, 1.0)
        status = "won" if target == won else "lost" if target == lost else "open"
        deals.append(
            DemoDeal(
                i,
                client.owner,
                target,
                status,
                amount,
                [product],
                created,
                history[-1][2],
                history,
                notes,
            )
        )
    dataset = Dataset(out_clients, deals)
    dataset.tasks = next_actions(dataset, config, now)
    return dataset


async def write(dataset: Dataset) -> None:
    rows = [
        Client(
            name=c.name,
            aliases=list(c.aliases),
            owner_id=c.owner,
            region=c.region,
            city=c.city,
            industry=c.industry,
            source=c.source,
        )
        for c in dataset.clients
    ]
    await Client.bulk_create(rows, batch_size=500)
    by_name = {c.name: c.id for c in await Client.all().only("id", "name")}
    await Contact.bulk_create(
        [
            Contact(
                client_id=by_name[c.name], name=display, title=display[1:], created_by_id=c.owner
            )
            for c in dataset.clients
            for display, _ in c.contacts
        ],
        batch_size=500,
    )
    deal_ids: list[int] = []
    for d in dataset.deals:
        client = dataset.clients[d.client]
        deal = await Deal.create(
            client_id=by_name[client.name],
            owner_id=d.owner,
            title=f"{client.name}项目",
            stage=d.stage,
            status=d.status,
            amount=Decimal(d.amount),
            source=client.source,
            region=client.region,
            products=d.products,
            stage_entered_at=d.stage_entered_at,
            created_at=d.created_at,
            contact_name=client.contacts[0][0],
            closed_at=d.stage_entered_at if d.status != "open" else None,
        )
        deal_ids.append(deal.id)
        await StageHistory.bulk_create(
            [
                StageHistory(
                    deal_id=deal.id, from_stage=a, to_stage=b, changed_at=t, changed_by_id=d.owner
                )
                for a, b, t in d.history
            ]
        )
        await FollowUp.bulk_create(
            [
                FollowUp(
                    rep_id=d.owner,
                    client_id=deal.client_id,
                    deal_id=deal.id,
                    raw_text=text,
                    occurred_at=t,
                    fields_final={"stage": b},
                )
                for (t, text), (_, b, _) in zip(d.notes, d.history, strict=True)
            ]
        )
    await Task.bulk_create(
        [
            Task(
                kind="next_action",
                assignee_id=dataset.deals[t.deal].owner,
                deal_id=deal_ids[t.deal],
                client_id=by_name[dataset.clients[dataset.deals[t.deal].client].name],
                title=t.title,
                due_at=t.due_at,
                source_id=f"demo:{deal_ids[t.deal]}",
            )
            for t in dataset.tasks
        ],
        batch_size=500,
    )


async def seed_demo(config: AppConfig, db: Database, *, days: int, seed: int, now: datetime) -> int:
    """Write the demo history unless clients already exist; returns the clients written."""
    if await Client.exists():
        return 0
    dataset = generate(config, clients=len(CURATED), days=days, seed=seed, now=now)
    async with db.transaction():  # all or nothing: a half-seeded database would be skipped later
        await write(dataset)
    return len(dataset.clients)


def seed_demo_cli(config: AppConfig, *, days: int, seed: int) -> int:
    from bot.orgsync import sync_org

    async def run() -> int:
        db = Database(config.database.url)
        await db.open()
        try:
            await sync_org(config, db)
            return await seed_demo(config, db, days=days, seed=seed, now=datetime.now(UTC))
        finally:
            await db.close()

    written = asyncio.run(run())
    print(f"演示数据：写入 {written} 个客户" if written else "演示数据已存在，跳过")
    return 0
