"""The weekly data-calibration note: missing or inconsistent fields, to each rep's manager."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.config.crm import Funnel
from scheduler.jobs.calibration import DealFields, problems
from storage.models import Client, Deal
from tests.support.harness import Harness
from tests.support.jobs import pushes, run_slot, sh

TODAY = date(2026, 12, 4)


def fields(**changes: object) -> DealFields:
    base: dict[str, object] = {
        "stage": "方案演示",
        "status": "open",
        "amount": Decimal(1000),
        "contact_name": "王经理",
        "expected_close": date(2026, 12, 31),
        "closed_at": None,
        "region": "east",
    }
    return DealFields(**{**base, **changes})  # type: ignore[arg-type]


def test_a_complete_deal_has_no_problems() -> None:
    assert problems(fields(), Funnel(), TODAY) == []


def test_each_problem_is_named() -> None:
    f = Funnel()
    assert problems(fields(amount=None), f, TODAY) == ["缺少金额"]
    assert problems(fields(stage="首次接触", amount=None), f, TODAY) == []  # too early for one
    assert problems(fields(contact_name=""), f, TODAY) == ["缺少联系人"]
    assert problems(fields(expected_close=date(2026, 12, 1)), f, TODAY) == ["预计成交日期已过"]
    assert problems(fields(stage="谈判中"), f, TODAY) == ["阶段「谈判中」不在漏斗配置中"]
    assert problems(fields(stage="赢单"), f, TODAY) == ["状态为进行中，阶段却是「赢单」"]
    assert problems(fields(stage="赢单", status="won", amount=None), f, TODAY) == [
        "已结束但缺少结束日期",
        "赢单缺少金额",
    ]
    assert problems(fields(region=None), f, TODAY) == ["缺少区域"]


async def test_the_note_goes_to_the_first_manager_up_each_chain(bot: Harness) -> None:
    for name, owner, amount, contact in [
        ("华东机械", "zhang.wei", None, "王经理"),  # east: manager 王丽
        ("恒达科技", "li.na", Decimal(5), None),
        ("金桥物流", "li.na", Decimal(5), "李总"),  # complete: not listed
        ("南方纺织", "zhou.jie", None, "陈总"),  # south: no manager, the director
    ]:
        client = await Client.create(name=name, owner_id=owner, region="east")
        await Deal.create(
            client=client,
            owner_id=owner,
            title=f"{name}项目",
            stage="方案演示",
            amount=amount,
            contact_name=contact,
            stage_entered_at=sh(2026, 11, 20),
            created_at=sh(2026, 11, 1),
            region="east",
        )
    await run_slot(bot, "calibration", sh(2026, 12, 4, 17))
    rows = {r["person_id"]: str(r["text"]) for r in await pushes(bot.runtime.db)}
    assert set(rows) == {"wang.li", "chen.zhiyuan"}
    east = rows["wang.li"]
    assert east.startswith("本周数据校准：2 条")
    assert "华东机械「华东机械项目」（张伟）：缺少金额" in east
    assert "恒达科技「恒达科技项目」（李娜）：缺少联系人" in east and "金桥物流" not in east
    assert "南方纺织「南方纺织项目」（周杰）：缺少金额" in rows["chen.zhiyuan"]
