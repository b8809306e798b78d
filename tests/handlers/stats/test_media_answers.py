"""/热力图, /预测 and /导出 through the app: text that stands alone, then the image or workbook."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.replies import File, Image, Markdown, Text, reply_text
from storage.models import Media
from tests.handlers.stats.test_commands import bot, start  # noqa: F401  (bot: the fixture)
from tests.support.harness import Harness, make_config


async def _media(media_id: int) -> tuple[Media, bytes]:
    m = await Media.get(id=media_id)
    return m, Path(m.path).read_bytes()


async def test_heatmap_text_and_image(bot: Harness) -> None:  # noqa: F811
    await bot.say("chen.zhiyuan", "/热力图")
    text, image = await bot.next_sent(2)
    assert isinstance(text.reply, Markdown) and isinstance(image.reply, Image)
    # November cohort by city: 上海 D1(won) D5 D7; then one deal each, by name.
    assert text.reply.text.splitlines()[1:] == [
        "各城市新建商机 → 赢单：",
        "- 上海：3 → 1（33%）",
        "- 广州：1 → 1（100%）",
        "- 杭州：1 → 0（0%）",
        "- 苏州：1 → 0（0%）",
    ]
    media, data = await _media(image.reply.media_id)
    assert media.content_type == "image/png" and data.startswith(b"\x89PNG") and len(data) > 5000


async def test_a_long_answer_shows_the_top_rows_and_points_to_the_export(
    sqlite_url: str, tmp_path: Path, aiohttp_client
) -> None:
    config = make_config(sqlite_url)
    short = config.metrics.model_copy(update={"summary_rows": 3})
    harness = await start(config.model_copy(update={"metrics": short}), tmp_path, aiohttp_client)
    await harness.say("chen.zhiyuan", "/热力图")
    text, _ = await harness.next_sent(2)
    assert reply_text(text.reply).splitlines()[2:] == [
        "- 上海：3 → 1（33%）",
        "- 广州：1 → 1（100%）",
        "- 杭州：1 → 0（0%）",
        "（仅显示前 3 项，共 4 项；发送 /导出 获取完整数据）",  # 苏州 is in the export
    ]
    await harness.say("chen.zhiyuan", "/导出")
    _, attachment = await harness.next_sent(2)
    assert isinstance(attachment.reply, File)
    _, data = await _media(attachment.reply.media_id)
    sheet = load_workbook(io.BytesIO(data))["热力图"]
    assert sorted({row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}) == sorted(
        ["上海", "广州", "杭州", "苏州"]
    )


async def test_heatmap_for_a_rep_shows_only_their_cities(bot: Harness) -> None:  # noqa: F811
    await bot.say("zhang.wei", "/热力图")
    text, _ = await bot.next_sent(2)
    assert text.reply.text.splitlines()[2:] == ["- 上海：2 → 1（50%）", "- 苏州：1 → 0（0%）"]  # type: ignore[union-attr]


async def test_forecast_answer(bot: Harness) -> None:  # noqa: F811
    await bot.say("wang.li", "/预测")
    text, image = await bot.next_sent(2)
    assert isinstance(text.reply, Markdown) and isinstance(image.reply, Image)
    # wang.li's scope won D1 (30万) and D6 (8万) in November; D2, D5, D7 are open (25万).
    assert "本月已成交 38.0万；在途商机 3 个，金额 25.0万" in text.reply.text
    assert "假设：" in text.reply.text


async def test_export_workbook_has_every_figure(bot: Harness) -> None:  # noqa: F811
    await bot.say("zhao.lei", "/导出 本月")
    note, attachment = await bot.next_sent(2)
    assert isinstance(note.reply, Text) and isinstance(attachment.reply, File)
    assert attachment.reply.filename == "销售统计-2026-11.xlsx"
    _, data = await _media(attachment.reply.media_id)
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == [
        "说明", "漏斗", "转化-渠道", "转化-区域", "转化-产品线", "停留",
        "排行-成单数", "排行-成单金额", "排行-拜访数", "排行-新客户（有效线索）", "停滞", "预测",
        "热力图",
    ]  # fmt: skip
    funnel = [tuple(r) for r in wb["漏斗"].iter_rows(values_only=True)]
    # zhao.lei's team (张伟, 李娜): D1 D2 D3 D7 → reached 4, 3, 2, 1; won 1.
    assert [r[:2] for r in funnel[1:]] == [
        ("首次接触", 4),
        ("需求确认", 3),
        ("方案演示", 2),
        ("报价谈判", 1),
        ("赢单", 1),
    ]
    visits = [tuple(r) for r in wb["排行-拜访数"].iter_rows(values_only=True)]
    assert [r[1:3] for r in visits[1:]] == [("张伟", 3), ("李娜", 1)]  # nobody outside the team
    assert visits[0] == ("名次", "姓名", "拜访数")  # no empty 成单 column beside a visit count
    assert wb["转化-渠道"]["F1"].value == "赢单金额"  # of the deals created, not 成单 (closed)
    stalled = [tuple(r) for r in wb["停滞"].iter_rows(values_only=True)]
    assert stalled[1:] == [("金桥物流", "张伟", "需求确认", 18, 10, 100000)]
    assert wb["漏斗"]["C2"].number_format == "0.0%"
    # The team won D1 (30万) and D6 (8万) this month; D2 (10万) and D7 (no amount) are open.
    forecast = {r[0]: r[1] for r in wb["预测"].iter_rows(min_row=2, values_only=True)}
    assert (forecast["已成交"], forecast["在途商机数"], forecast["在途商机金额"]) == (
        380000,
        2,
        100000,
    )
    assert forecast["P10"] <= forecast["P50"] <= forecast["P90"]
    assert forecast["P10"] >= 380000  # what is already won is the floor


async def test_export_for_a_product_line_says_which_sheets_it_cannot_narrow(bot: Harness) -> None:  # noqa: F811
    await bot.say("wang.li", "/导出 软件")
    _, attachment = await bot.next_sent(2)
    assert isinstance(attachment.reply, File)
    _, data = await _media(attachment.reply.media_id)
    wb = load_workbook(io.BytesIO(data))
    about = {r[0]: r[1] for r in wb["说明"].iter_rows(values_only=True)}
    assert "“排行-拜访数”和“排行-新客户（有效线索）”不分产品线" in about["产品线"]
    funnel = list(wb["漏斗"].iter_rows(values_only=True))
    # 软件 created in wang.li's teams in November: D1 D3 D5 D7.
    assert funnel[1][:2] == ("首次接触", 4)


async def test_without_a_cjk_font_the_text_still_arrives(bot: Harness, monkeypatch) -> None:  # noqa: F811
    from handlers.stats import charts

    charts.cjk_font.cache_clear()
    monkeypatch.setattr(charts.fontManager, "ttflist", [])
    try:
        await bot.say("chen.zhiyuan", "/热力图")
        text, error = await bot.next_sent(2)
    finally:
        charts.cjk_font.cache_clear()
    assert isinstance(text.reply, Markdown) and "- 上海：3 → 1（33%）" in text.reply.text
    assert isinstance(error.reply, Text) and "找不到中文字体" in error.reply.text


# role → person, /预测 line, /热力图 cities, /导出 funnel 首次接触 count (hand-computed from world.py)
MEDIA_SCOPE = {
    "rep": (
        "zhang.wei",
        "本月已成交 30.0万；在途商机 2 个，金额 10.0万",
        ["上海：2 → 1", "苏州：1 → 0"],
        3,
    ),
    "supervisor": (
        "zhao.lei",
        "本月已成交 38.0万；在途商机 2 个，金额 10.0万",
        ["上海：2 → 1", "杭州：1 → 0", "苏州：1 → 0"],
        4,
    ),
    "manager": (
        "wang.li",
        "本月已成交 38.0万；在途商机 3 个，金额 25.0万",
        ["上海：3 → 1", "杭州：1 → 0", "苏州：1 → 0"],
        5,
    ),
    "director": (
        "chen.zhiyuan",
        "本月已成交 88.0万；在途商机 3 个，金额 25.0万",
        ["上海：3 → 1", "广州：1 → 1", "杭州：1 → 0", "苏州：1 → 0"],
        6,
    ),
    "admin": (
        "lin.feng",
        "本月已成交 88.0万；在途商机 3 个，金额 25.0万",
        ["上海：3 → 1", "广州：1 → 1", "杭州：1 → 0", "苏州：1 → 0"],
        6,
    ),
}


@pytest.mark.parametrize("role", sorted(MEDIA_SCOPE))
async def test_forecast_heatmap_and_export_follow_the_scope(bot: Harness, role: str) -> None:  # noqa: F811
    person, forecast_line, cities, first_stage = MEDIA_SCOPE[role]
    await bot.say(person, "/预测")
    text, _ = await bot.next_sent(2)
    assert forecast_line in reply_text(text.reply)
    await bot.say(person, "/热力图")
    text, _ = await bot.next_sent(2)
    lines = reply_text(text.reply).splitlines()[2:]
    assert [line.split("（")[0].lstrip("- ") for line in lines] == cities
    await bot.say(person, "/导出")
    _, attachment = await bot.next_sent(2)
    assert isinstance(attachment.reply, File)
    _, data = await _media(attachment.reply.media_id)
    funnel = list(load_workbook(io.BytesIO(data))["漏斗"].iter_rows(values_only=True))
    assert funnel[1][:2] == ("首次接触", first_stage)
