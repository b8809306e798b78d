"""Voice by recording: MediaRecorder in the page → WebM/Opus upload → the simulator's media →
the bot's media/get; and a refused microphone pointing the user to the sample voice notes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from bot.devtools.demo.samples import load_samples
from bot.devtools.sandbox.playback import playable
from storage.models import Media
from tests.browser.conftest import RunningDemo, launch, phone_page, screenshot
from tests.browser.test_sandbox import STEP_S, open_as

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]


async def hold_to_talk(page: Page, seconds: int) -> None:
    """Press 按住 说话 and let go once the recording clock shows ``seconds``."""
    hold = page.get_by_role("button", name="按住 说话")
    box = await hold.bounding_box()
    assert box is not None
    await page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    await page.mouse.down()
    await expect(page.locator("#recording-time")).to_have_text(f"0:0{seconds}", timeout=STEP_S)
    await page.mouse.up()


async def test_recorded_voice_note_reaches_the_bot_as_webm(
    demo: RunningDemo, playwright, tmp_path: Path
) -> None:
    # Chromium's fake microphone plays a file: one of the samples, as 8 kHz WAV.
    sample = load_samples()[0]
    wav = tmp_path / "microphone.wav"
    wav.write_bytes(playable(sample.file.read_bytes(), "audio/amr")[0])
    chromium = await launch(
        playwright,
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={wav}",
    )
    try:
        async with phone_page(chromium, permissions=["microphone"]) as page:
            await open_as(page, demo, "张伟 · 销售")
            await page.get_by_role("button", name="切换到语音输入").click()
            await hold_to_talk(page, 3)
            mine = page.locator('.msg.me[data-kind="voice"]')
            await expect(mine).to_have_count(1)
            await expect(mine.locator(".status")).to_have_count(0, timeout=STEP_S)  # delivered
            receipt = page.get_by_text(re.compile(r"收到 [2-4] 秒语音，正在识别…"))
            await expect(receipt).to_be_visible(timeout=STEP_S)
            # Whatever base makes of three seconds, the bot answers once more after the receipt.
            await expect(page.locator(".msg.bot")).to_have_count(2, timeout=60_000)
            await screenshot(page, "4-recorded-voice-note")
    finally:
        await chromium.close()
    (stored,) = await Media.filter(content_type="audio/webm")
    assert stored.size > 1000


async def test_refused_microphone_offers_the_sample_voice_notes(
    demo: RunningDemo, playwright
) -> None:
    # A microphone exists, but the permission is not granted (headless answers "denied").
    chromium = await launch(playwright, "--use-fake-device-for-media-stream")
    try:
        async with phone_page(chromium) as page:
            await open_as(page, demo, "张伟 · 销售")
            await page.get_by_role("button", name="切换到语音输入").click()
            banner = page.locator("#banner")
            await expect(banner).to_contain_text("浏览器没有允许使用麦克风")
            await expect(banner).to_contain_text("可以改用示例语音")
            panel = page.get_by_role("region", name="示例语音")
            await expect(panel).to_be_visible()
            await expect(panel.locator("button.sample")).to_have_count(len(load_samples()))
            await expect(page.get_by_label("输入消息")).to_be_visible()  # back to typing
            await screenshot(page, "5-microphone-refused")
    finally:
        await chromium.close()
