"""A small, explicit CRM world for feature tests (clients, contacts, open deals)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from storage.models import Client, Contact, Deal, FollowUp, StageHistory

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # Friday 10:00 in Shanghai


async def seed_world(now: datetime = NOW) -> dict[str, Client]:
    clients = {}
    for name, aliases, owner, region in [
        ("华东机械", ["华东机械厂"], "zhang.wei", "east"),
        ("金桥物流", ["金桥"], "zhang.wei", "east"),
        ("恒达科技", ["恒达"], "li.na", "east"),
        ("南方纺织", [], "zhou.jie", "south"),
    ]:
        clients[name] = await Client.create(
            name=name, aliases=aliases, owner_id=owner, region=region
        )
    await Contact.create(client=clients["华东机械"], name="王经理", created_by_id="zhang.wei")
    await Contact.create(client=clients["华东机械"], name="李总", created_by_id="zhang.wei")
    deal = await Deal.create(
        client=clients["华东机械"],
        owner_id="zhang.wei",
        title="华东机械仓储项目",
        stage="方案演示",
        amount=Decimal(300000),
        products=["智能仓储系统"],
        contact_name="王经理",
        stage_entered_at=now - timedelta(days=9),
        created_at=now - timedelta(days=20),
        region="east",
    )
    await StageHistory.create(
        deal=deal, from_stage=None, to_stage="方案演示", changed_at=now - timedelta(days=9)
    )
    await FollowUp.create(
        rep_id="zhang.wei",
        client=clients["华东机械"],
        deal=deal,
        raw_text="给王经理演示了仓储系统，反馈不错",
        occurred_at=now - timedelta(days=9),
        extracted={"competitors": ["金蝶"]},
    )
    return clients
