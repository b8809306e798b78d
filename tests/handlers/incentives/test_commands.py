"""/我的激励, /激励 团队, /回款 and "我这个月激励多少" through the real app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest

from bot.app import create_app
from bot.clock import ManualClock
from bot.replies import Image, Markdown, Reply, Text, reply_text
from storage.models import Payment
from tests.handlers.incentives.world import NOW, seed_incentives_world
from tests.support.crm import seed_world
from tests.support.harness import Harness, build_harness, make_config


@pytest.fixture
async def bot(db_url: str, tmp_path: Path, aiohttp_client) -> AsyncIterator[Harness]:  # type: ignore[no-untyped-def]
    config = make_config(db_url)
    media = config.database.model_copy(update={"media_dir": str(tmp_path / "media")})
    harness = build_harness(config.model_copy(update={"database": media}), clock=ManualClock(NOW))
    harness.client = await aiohttp_client(
        create_app(harness.runtime.config, runtime=harness.runtime)
    )
    await seed_incentives_world()
    yield harness


async def ask(bot: Harness, user: str, text: str, count: int = 1) -> list[Reply]:
    await bot.say(user, text)
    return [s.reply for s in await bot.next_sent(count)]


MY_STANDING = """**奖项进度**
- 月度拓客奖（本月）▓▓▓▓░ 12/15
  还差：还差 3 个（当前 12/15）
- 流程规范奖（本周）▓▓░░░ 1/2 按时
  还差：本周计划 2 个方案演示，按时完成 1 个，还有 1 个待按时完成；之前已连续 2 周达标，本周达标即可获奖
- 协作之星奖（本月）▓▓▓▓▓ 2.0h/≤2h ✅ 已达标，奖金 1,500元
**本月收入（截至现在）**
- 回款：首年第1年 30万元，续费第2年 10万元，续费第4年 5万元
- 提成（含续费/增购 LTV 分红）：21,500元
- 证书津贴：300元
- 已达标奖金：1,500元
- 合计约 23,300元（月度结算后入账）
- 已结算累计：0元，积分 0
**未来 3 年 LTV 分红预测**（历史续费率 50%）
- 第1年：续费额约 22.5万元，分红约 8,750元"""


async def test_my_incentives_shows_progress_pay_and_projection(bot: Harness) -> None:
    text, image = await ask(bot, "zhang.wei", "/我的激励", 2)
    assert isinstance(text, Markdown)
    assert text.title == "张伟的激励 · 2026年11月"
    # year 1 by hand: 30万 y1→y2 × 50 % × 3 % + 10万 y2→y3 × 50 % × 5 % + 5万 y4→y5 × 50 % × 7 %
    assert text.text.splitlines()[: len(MY_STANDING.splitlines())] == MY_STANDING.splitlines()
    assert isinstance(image, Image) and image.caption == "LTV 分红预测"


async def test_plain_language_reaches_it(bot: Harness) -> None:
    [reply] = await ask(bot, "zhang.wei", "我这个月激励多少")
    assert isinstance(reply, Markdown)
    assert reply.text.startswith(MY_STANDING)


async def test_english_alias_and_a_rep_without_anything(bot: Harness) -> None:
    [text] = await ask(bot, "liu.yang", "/bonus")  # nothing recorded: no chart either
    assert isinstance(text, Markdown)
    assert "- 月度拓客奖（本月）░░░░░ 0/15" in text.text
    assert "- 近一年没有回款记录，暂无可预测的续费。" in text.text


async def test_team_view_covers_only_their_people(bot: Harness) -> None:
    [sup] = await ask(bot, "zhao.lei", "/激励 团队")  # supervisor of 张伟 and 李娜
    assert isinstance(sup, Markdown)
    assert sup.text.splitlines() == [
        "- 张伟：本月约 23,300元（提成 21,500元），已达标：协作之星奖",
        "- 李娜：本月约 600元（提成 0元），暂无达标奖项",
    ]
    [other] = await ask(bot, "huang.tao", "/激励 团队")  # supervisor of 周杰 only
    assert isinstance(other, Markdown)
    assert [line.split("：")[0] for line in other.text.splitlines()] == ["- 周杰"]
    [refused] = await ask(bot, "zhang.wei", "/激励 团队")
    assert (
        reply_text(refused) == "你的角色（销售）不能使用 /激励。发送 /帮助 查看你可以使用的命令。"
    )


async def test_finance_records_a_payment_once(bot: Harness) -> None:
    await seed_world()  # 华东机械, owned by 张伟
    [done] = await ask(bot, "ma.jun", "/回款 华东机械 30万 续费 第2年 单号 HK-9")
    assert reply_text(done) == (
        "已登记回款：华东机械 30万元，续费第2年，归属 张伟（编号 HK-9）。月度结算时计入提成。"
    )
    [again] = await ask(bot, "ma.jun", "/回款 华东机械 30万 续费 第2年 单号 HK-9")
    assert "编号 HK-9" in reply_text(again)
    rows = await Payment.filter(external_ref="HK-9").values_list(
        "owner_id", "kind", "contract_year", "amount"
    )
    assert rows == [("zhang.wei", "renewal", 2, Decimal("300000.00"))]
    [upsell] = await ask(bot, "ma.jun", "/回款 华东机械 5000 增购")
    assert "增购第2年" in reply_text(upsell)  # upsell joins the current contract year


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("/回款 华东机械", "请写上回款金额，如 30万 或 300000\n用法："),
        ("/回款 30万", "请写上客户名\n用法："),
        ("/回款 不存在的公司 30万", "没有找到客户“不存在的公司”"),
        ("/回款 华东机械 30万 首年 第3年", "首年回款只能是第1年"),
    ],
)
async def test_payment_mistakes_are_explained(bot: Harness, text: str, answer: str) -> None:
    await seed_world()
    [reply] = await ask(bot, "ma.jun", text)
    assert isinstance(reply, Text)
    assert reply.text.startswith(answer)


async def test_only_finance_and_admin_record_payments(bot: Harness) -> None:
    [refused] = await ask(bot, "zhang.wei", "/回款 华东机械 30万")
    assert (
        reply_text(refused) == "你的角色（销售）不能使用 /回款。发送 /帮助 查看你可以使用的命令。"
    )
    [legal] = await ask(bot, "xu.qing", "/我的激励")
    assert reply_text(legal).startswith("你的角色（法务）不能使用 /我的激励。")
