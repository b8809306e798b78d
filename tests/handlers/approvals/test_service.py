"""Starting requests from chat: drafts that wait for what is missing, files that complete them,
a rung nobody fills refused without saving; on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import ManualClock
from bot.config import load_config
from bot.config.org import Person, Role
from bot.orgsync import sync_org
from handlers.approvals.service import ApprovalService
from storage.db import Database
from storage.models import Approval, ApprovalStep
from tests.handlers.approvals.calendar import WeekdayCalendar

ROOT = Path(__file__).resolve().parents[3]
CONFIG = load_config(ROOT / "config.yaml", env={})
MON_10 = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


def person(pid: str) -> Person:
    found = CONFIG.person(pid)
    assert found is not None
    return found


@pytest.fixture
async def service(db_url: str) -> AsyncIterator[ApprovalService]:
    db = Database(db_url)
    await db.open()
    await sync_org(CONFIG, db)
    try:
        yield ApprovalService(CONFIG, db, ManualClock(MON_10), WeekdayCalendar())
    finally:
        await db.close()


async def test_quote_waits_for_its_attachments_then_submits_itself(
    service: ApprovalService,
) -> None:
    rep = person("zhang.wei")
    raw = {"client": "华东机械", "amount": "30万", "discount": "5%"}
    first = await service.start(rep, "quote", raw, platform="wecom")
    assert not first.submitted and first.approval_id is not None
    assert first.problems == [
        "缺少附件「产品配置表」：请把文件或图片直接发给我",
        "缺少附件「技术参数说明」：请把文件或图片直接发给我",
    ]
    assert first.text.startswith("报价审批还不能提交，请补充以下 2 项：")
    got = await service.attach_file(rep, filename="IMG_0412.jpg", media_id=1, platform="wecom")
    assert got is not None
    name, still = got
    assert name == "产品配置表" and not still.submitted
    assert still.problems == ["缺少附件「技术参数说明」：请把文件或图片直接发给我"]
    got = await service.attach_file(rep, filename="参数.pdf", media_id=2, platform="wecom")
    assert got is not None
    name, done = got
    assert name == "技术参数说明" and done.submitted and done.approval_id == first.approval_id
    approval = await Approval.get(id=first.approval_id)
    assert approval.status == "pending"
    assert approval.form == {"client": "华东机械", "amount": 300_000.0, "discount": 5.0}
    assert float(approval.amount or 0) == 300_000 and approval.title == "华东机械 报价审批"
    steps = await ApprovalStep.filter(approval_id=approval.id, kind="approve").order_by("seq")
    assert [(s.seq, s.approver_id) for s in steps] == [(1, "zhao.lei"), (2, "wang.li")]
    # Nothing is open any more: a further file is not taken.
    assert await service.attach_file(rep, filename="x.pdf", media_id=3, platform="wecom") is None


async def test_values_sent_again_fill_the_open_draft(service: ApprovalService) -> None:
    rep = person("zhang.wei")
    first = await service.start(rep, "sample", {"client": "华东机械"}, platform="dingtalk")
    assert first.problems == ["缺少「样品清单」：请发送例如 传感器模组2套"]
    second = await service.start(rep, "sample", {"items": "传感器2套"}, platform="dingtalk")
    assert second.submitted and second.approval_id == first.approval_id
    approval = await Approval.get(id=first.approval_id)
    assert approval.form == {"client": "华东机械", "items": "传感器2套"}
    assert approval.platform == "dingtalk"


async def test_invalid_values_are_all_reported_and_nothing_is_submitted(
    service: ApprovalService,
) -> None:
    got = await service.start(
        person("zhang.wei"), "quote", {"amount": "-3万", "discount": "40%"}, platform="wecom"
    )
    assert not got.submitted
    assert got.problems[:3] == [
        "缺少「客户」：请发送客户名称，例如 华东机械",
        "「报价金额」必须大于 0元（现在是 -3万元）",
        "「折扣」不能超过 30%（现在是 40%）",
    ]
    assert await Approval.filter(status="pending").count() == 0


async def test_nobody_to_decide_is_refused_and_nothing_is_saved(db_url: str) -> None:
    loner = Person(id="new.rep", name="新人", role=Role.rep, team="east-1")
    config = CONFIG.model_copy(update={"people": (*CONFIG.people, loner)})
    db = Database(db_url)
    await db.open()
    try:
        await sync_org(config, db)
        service = ApprovalService(config, db, ManualClock(MON_10), WeekdayCalendar())
        got = await service.start(
            loner, "sample", {"client": "华东机械", "items": "样机"}, platform="wecom"
        )
        assert got.missing is not None and not got.submitted and got.approval_id is None
        assert "第 1 级「直属上级」找不到审批人" in got.text
        assert await Approval.all().count() == 0
    finally:
        await db.close()
