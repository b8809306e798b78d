"""Stats answers over the real platform protocols: the heatmap image through the WeCom
simulator's media/upload + message/send, the Excel file through DingTalk's."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.clock import ManualClock
from bot.devtools.sim.dingtalk import DingtalkSimulator
from bot.devtools.sim.wecom import WecomSimulator
from tests.channels.dingtalk.support import fast_app
from tests.channels.dingtalk.support import start_bot as start_dingtalk
from tests.channels.wecom.support import start_bot as start_wecom
from tests.handlers.stats.world import NOW, seed_stats_world


@pytest.fixture
async def wecom(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, aiohttp_client
) -> AsyncIterator[WecomSimulator]:
    monkeypatch.chdir(tmp_path)  # media_dir is relative: keep stored charts in the test's folder
    sim = WecomSimulator(
        clock=ManualClock(NOW), callback_timeout_s=2.0, callback_retry_interval_s=0.05
    )
    await sim.start()
    await start_wecom(db_url, sim, aiohttp_client, clock=sim.clock)
    await seed_stats_world()
    yield sim
    await sim.stop()


async def test_heatmap_image_through_wecom(wecom: WecomSimulator) -> None:
    await wecom.send_text("WangLi", "/热力图")
    text = await wecom.wait_for("WangLi", lambda i: i.kind == "markdown", within=30)
    # 王丽 manages 华东: 上海 (D1 won, D5, D7), 苏州 (D2), 杭州 (D3).
    assert "- 上海：3 → 1（33%）" in text.text and "广州" not in text.text
    image = await wecom.wait_for("WangLi", lambda i: i.kind == "image", within=30)
    assert image.media_id is not None
    stored = wecom.tenant.get_media(image.media_id)
    assert stored.data.startswith(b"\x89PNG") and stored.content_type == "image/png"


async def test_plain_text_stats_stay_readable_on_wecom(wecom: WecomSimulator) -> None:
    await wecom.send_text("WangLi", "/停滞")
    text = await wecom.wait_for("WangLi", lambda i: i.kind == "markdown", within=30)
    assert "停滞商机 2 个" in text.text and "金桥物流 · 张伟 · 需求确认 第 18 天" in text.text


@pytest.fixture
async def dingtalk(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, aiohttp_client
) -> AsyncIterator[DingtalkSimulator]:
    monkeypatch.chdir(tmp_path)
    async with DingtalkSimulator(clock=ManualClock(NOW)) as sim:
        await start_dingtalk(db_url, sim, aiohttp_client, app=fast_app(sim), clock=sim.clock)
        await seed_stats_world()
        await sim.wait_connected()
        yield sim


async def test_export_file_through_dingtalk(dingtalk: DingtalkSimulator) -> None:
    director = "manager0001"  # 陈志远's DingTalk staffId
    await dingtalk.send_text(director, "/导出 上月")
    item = await dingtalk.wait_for(director, lambda i: i.kind == "file", within=30)
    assert item.title == "销售统计-2026-10.xlsx" and item.media is not None
    wb = load_workbook(io.BytesIO(item.media))
    funnel = [tuple(r) for r in wb["漏斗"].iter_rows(values_only=True)]
    assert funnel[1][:2] == ("首次接触", 1)  # October: D6 only
