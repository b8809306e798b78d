"""Voice notes: DingTalk's own transcript when present, else download + local ASR."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.channels.base import MediaError
from bot.devtools.sim.dingtalk import DingtalkSimulator
from bot.events import Event, FileEvent, ImageEvent, VoiceEvent
from bot.media import MediaFetcher
from bot.pipeline.context import Context
from bot.pipeline.router import Router
from bot.replies import Text
from nlp.asr.service import AsrService
from nlp.settings_asr import AsrSettings
from tests.channels.dingtalk.support import channel_of, start_bot

AUDIO = Path(__file__).resolve().parents[2] / "data" / "audio"


def voice_router(asr: AsrService | None, heard: list[tuple[str, str]]) -> Router:
    """What the follow-up feature does with a voice note, reduced to the channel's part."""
    router = Router("voice-probe")

    @router.on(VoiceEvent)
    async def voice(ctx: Context, event: VoiceEvent) -> None:
        if event.recognition:
            text, source = event.recognition, "platform"
        else:
            data = await ctx.services.get(MediaFetcher).fetch(event)
            assert asr is not None
            text, source = (await asr.transcribe(data)).text, "local"
        heard.append((source, text))
        ctx.reply(Text(f"识别：{text}"))

    return router


async def test_audio_with_recognition_needs_no_download(sqlite_url: str, aiohttp_client) -> None:
    heard: list[tuple[str, str]] = []
    async with DingtalkSimulator() as sim:
        await start_bot(sqlite_url, sim, aiohttp_client, routers=[voice_router(None, heard)])
        await sim.wait_connected()
        await sim.send_audio(
            "staff2001", recognition="今天拜访了华东机械王经理", duration_ms=32_000
        )
        item = await sim.wait_for("staff2001", lambda i: i.kind == "text")
        assert item.text == "识别：今天拜访了华东机械王经理"
        assert heard == [("platform", "今天拜访了华东机械王经理")]
        assert sim.downloads == []


@pytest.mark.slow
async def test_audio_without_recognition_is_downloaded_and_transcribed(
    sqlite_url: str, aiohttp_client
) -> None:
    heard: list[tuple[str, str]] = []
    amr = (AUDIO / "visit_quote.amr").read_bytes()  # "我们报价九十万元，客户说明天给我们答复。"
    async with (
        AsrService(AsrSettings(executor="thread", workers=1)) as asr,
        DingtalkSimulator() as sim,
    ):
        await start_bot(sqlite_url, sim, aiohttp_client, routers=[voice_router(asr, heard)])
        await sim.wait_connected()
        pushed = await sim.send_audio("staff2001", audio=amr, recognition=None)
        item = await sim.wait_for("staff2001", lambda i: i.kind == "text", within=60)
        assert heard and heard[0][0] == "local"
        assert "九十万" in item.text
        assert sim.downloads == [pushed.body["content"]["downloadCode"]]


async def test_a_download_that_fails_says_so_in_chinese(sqlite_url: str, aiohttp_client) -> None:
    async with DingtalkSimulator() as sim:
        h = await start_bot(sqlite_url, sim, aiohttp_client, routers=[])
        event = VoiceEvent(
            platform="dingtalk",
            app="dingtalk",
            user_id="staff2001",
            msg_id="m1",
            dedupe_key="m1",
            time=sim.clock.now(),
            media_id="dc-expired",
        )
        with pytest.raises(MediaError) as caught:
            await channel_of(h).fetch_media(event)
        assert "重新发送" in caught.value.message_zh


async def test_pictures_and_files_are_fetched_through_the_channel(
    sqlite_url: str, aiohttp_client
) -> None:
    fetched: list[tuple[str, bytes]] = []
    router = Router("media-probe")

    @router.on(ImageEvent, FileEvent)
    async def keep(ctx: Context, event: Event) -> None:
        data = await ctx.services.get(MediaFetcher).fetch(event)
        fetched.append((event.kind, data))
        ctx.reply(Text(f"收到文件 {len(data)} 字节"))

    png, xlsx = b"\x89PNG\r\n\x1a\n-photo", b"PK\x03\x04-sheet"
    async with DingtalkSimulator() as sim:
        await start_bot(sqlite_url, sim, aiohttp_client, routers=[router])
        await sim.wait_connected()
        await sim.push(sim.picture_message("staff2001", png))
        await sim.push(sim.file_message("staff2001", xlsx, "名片.xlsx"))
        await sim.wait_until(lambda: len(fetched) == 2)
        assert fetched == [("image", png), ("file", xlsx)]
        assert len(sim.downloads) == 2
