"""The sandbox page in a real browser at phone width, against the real bot and WeCom simulator.

Every step waits on what the page shows (a receipt, a card's next version, a greyed label),
never on a sleep; the database is queried directly for what was saved.
"""

from __future__ import annotations

import hashlib
import re

import aiohttp
import pytest
from playwright.async_api import Locator, Page, expect

from bot.devtools.demo.samples import load_samples
from storage.models import Client, FollowUp, Media
from tests.browser.conftest import RunningDemo, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

ASR_S = 60_000  # ms: the first voice note may wait for the Whisper model to finish loading
STEP_S = 15_000


async def open_as(page: Page, demo: RunningDemo, persona: str) -> None:
    await page.goto(demo.url)
    await page.get_by_role("button", name=persona).click()
    await expect(page.locator('.persona[aria-pressed="true"]')).to_contain_text(persona)


async def say(page: Page, text: str) -> None:
    await page.get_by_label("输入消息").fill(text)
    await page.get_by_role("button", name="发送", exact=True).click()
    await expect(page.locator(".msg.me").last).to_contain_text(text)


def latest_card(page: Page) -> Locator:
    return page.locator(".card").last


def row(card: Locator, label: str) -> Locator:
    return card.locator(".card-row").filter(has=card.page.locator(f'dt:text-is("{label}")'))


async def next_version(card: Locator, before: str) -> None:
    task = await card.get_attribute("data-task-id")
    newer = card.page.locator(f'.card[data-task-id="{task}"]:not([data-version="{before}"])')
    await expect(newer).to_have_count(1, timeout=STEP_S)


async def answer_missing_fields(page: Page) -> None:
    """Tap the first offered choice until the card offers 保存 (at most four questions)."""
    for _ in range(4):
        card = latest_card(page)
        if await card.get_by_role("button", name="保存", exact=True).count():
            return
        version = str(await card.get_attribute("data-version"))
        if await card.locator("select").count():
            await card.get_by_role("button", name="确定").click()  # the preselected option
        else:
            await card.locator("button.card-btn").filter(has_not_text="丢弃").first.click()
        await next_version(card, version)
    raise AssertionError("the card kept asking")


async def test_rep_sends_a_sample_voice_note_and_saves_it(demo: RunningDemo, page: Page) -> None:
    sample = next(s for s in load_samples() if s.id == "huadong_budget")
    await open_as(page, demo, "张伟 · 销售")
    await page.get_by_role("button", name="更多：示例语音").click()
    await page.get_by_role("button", name=re.compile(re.escape(sample.title))).click()

    mine = page.locator('.msg.me[data-kind="voice"]')
    await expect(mine).to_contain_text(f"示例：{sample.title}")
    await expect(page.get_by_text(re.compile(r"收到 \d+ 秒语音，正在识别…"))).to_be_visible(
        timeout=STEP_S
    )
    card = latest_card(page)
    await expect(card).to_contain_text("拜访记录确认", timeout=ASR_S)
    await expect(row(card, "客户")).to_contain_text(sample.client)
    await expect(row(card, "客户").locator(".hint")).to_have_text("语音")
    await expect(row(card, "金额")).to_contain_text("50万元")

    await answer_missing_fields(page)
    await card.get_by_role("button", name="保存", exact=True).click()
    saved_card = page.locator(".card").first  # an offer to start an approval may follow it
    await expect(saved_card.locator(".greyed")).to_have_text(
        re.compile(r"已保存 · 张伟 · \d\d:\d\d")
    )
    await expect(page.locator(".markdown").last).to_contain_text(f"{sample.client} · 客户简报")
    await screenshot(page, "1-voice-note-saved")

    saved = await FollowUp.filter(rep_id="zhang.wei", card_id__not_isnull=True)
    assert len(saved) == 1
    client = await Client.get(id=saved[0].client_id)
    assert client.name == sample.client
    assert saved[0].fields_final["amount"]["value"] == 500_000
    # The bytes the page picked travelled simulator → media/get → the bot's media store.
    (media_id,) = saved[0].audio
    media = await Media.get(id=media_id)
    assert media.sha256 == hashlib.sha256(sample.file.read_bytes()).hexdigest()


async def test_misheard_client_is_matched_and_corrected_by_reply(
    demo: RunningDemo, page: Page
) -> None:
    await open_as(page, demo, "张伟 · 销售")
    await say(page, "今天拜访了花东机械王经理，报价三十万，下周三之前发合同")
    card = latest_card(page)
    await expect(card).to_contain_text("拜访记录确认", timeout=STEP_S)
    await expect(row(card, "客户")).to_contain_text("华东机械（听到“花东机械”）")
    for label, hint in (("客户", "文字"), ("金额", "文字"), ("产品", "历史")):
        await expect(row(card, label).locator(".hint")).to_have_text(hint)
    await expect(row(card, "金额")).to_contain_text("30万元")
    await answer_missing_fields(page)

    version = str(await card.get_attribute("data-version"))
    await say(page, "金额改成35万")
    await next_version(card, version)
    await expect(page.locator(".card")).to_have_count(1)  # updated in place, not sent anew
    await expect(row(card, "金额")).to_contain_text("35万元")
    await expect(row(card, "金额").locator(".hint")).to_have_text("已确认")

    await card.get_by_role("button", name="保存", exact=True).click()
    saved_card = page.locator(".card").first  # the offer to start an approval comes after it
    await expect(saved_card.locator(".greyed")).to_contain_text("已保存 · 张伟")
    await expect(page.locator(".markdown").last).to_contain_text("华东机械 · 客户简报")
    await expect(page.locator(".card").last).to_contain_text("需要发起审批吗？")
    await screenshot(page, "2-misheard-client-corrected")

    (saved,) = await FollowUp.filter(rep_id="zhang.wei", card_id__not_isnull=True)
    assert (await Client.get(id=saved.client_id)).name == "华东机械"
    assert saved.fields_final["amount"] == {"value": 350_000, "source": "answered"}


async def test_help_lists_the_commands_of_each_role(demo: RunningDemo, page: Page) -> None:
    for persona, person_id in (("张伟 · 销售", "zhang.wei"), ("王丽 · 经理", "wang.li")):
        person = demo.demo.config.person(person_id)
        assert person is not None
        await open_as(page, demo, persona)
        await say(page, "/帮助")
        answer = page.locator(".msg.bot .markdown").last
        name, role = persona.split(" · ")
        await expect(answer).to_contain_text(f"{name}（{role}）可用的命令", timeout=STEP_S)
        for usage in ("/帮助", "/简报"):  # everyone's
            await expect(answer).to_contain_text(usage)
        await expect(answer).not_to_contain_text("/状态")  # admins only
        await screenshot(page, f"3-help-{person_id}")

    # Still looking at 王丽: 张伟's phone (another client of the same tenant) asks something.
    async with aiohttp.ClientSession(demo.demo.base_url) as http:
        body = {"user": "ZhangWei", "text": "/简报 华东机械"}
        async with http.post("/sandbox/api/text", json=body) as r:
            assert r.status == 200
    hint = page.locator("#unread-hint")
    await expect(hint).to_have_text("张伟 有新消息", timeout=STEP_S)
    await expect(page.locator('.persona[data-user="ZhangWei"] .badge')).to_have_text("1")
    await hint.click()
    await expect(page.locator('.persona[aria-pressed="true"]')).to_contain_text("张伟 · 销售")
    await expect(page.locator(".markdown").last).to_contain_text("华东机械 · 客户简报")
    await expect(hint).to_be_hidden()
