"""WecomChannel and its REST client against the simulator: tokens, retries, errors, media."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.channels.base import ChannelDeps, Delivered, MediaError, RetryLater, Undeliverable
from bot.channels.wecom import WecomChannel
from bot.channels.wecom.client import WecomApiError, WecomTransportError
from bot.clock import ManualClock
from bot.devtools.sim.wecom import WecomSimulator
from bot.events import VoiceEvent
from bot.metrics import Metrics
from bot.pipeline.inbox import Inbox
from bot.replies import CardMessage, File, Image, Markdown, Text
from cards.model import Button, Card
from cards.store import CardStore
from storage.db import Database
from storage.models import Media

T0 = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


@pytest.fixture
async def env(sqlite_url: str) -> AsyncIterator[tuple[WecomChannel, WecomSimulator, ManualClock]]:
    clock = ManualClock(T0)
    sim = WecomSimulator(clock=clock)
    sim.add_user("ZhangWei", "张伟")
    sim.callback_url = "http://127.0.0.1:9/unused"
    await sim.start()
    db = Database(sqlite_url)
    await db.open()
    deps = ChannelDeps(Inbox(db, clock), CardStore(clock), clock, Metrics(), "http://bot.example")
    channel = WecomChannel(sim.app_config(), deps)
    channel.client._sleep = _no_sleep  # busy backoff is real time otherwise
    await channel.start()
    yield channel, sim, clock
    await channel.stop()
    await channel.close()
    await db.close()
    await sim.stop()


async def _no_sleep(_: float) -> None:
    return None


def texts(sim: WecomSimulator) -> list[str]:
    return [i.text for i in sim.inbox_of("ZhangWei")]


async def test_token_is_cached_and_renewed_before_expiry(env) -> None:
    channel, sim, clock = env
    for i in range(3):
        assert isinstance(await channel.deliver("ZhangWei", Text(f"{i}")), Delivered)
    assert sim.stats.gettoken == 1
    clock.advance(7200 - 299)  # within five minutes of expiry: renewed ahead of time
    await channel.deliver("ZhangWei", Markdown("标题", "**3**"))
    assert sim.stats.gettoken == 2 and texts(sim) == ["0", "1", "2", "**3**"]


async def test_token_error_refreshes_once_then_gives_up(env) -> None:
    channel, sim, _ = env
    sim.fail_next("message/send", 40014, times=2)
    result = await channel.deliver("ZhangWei", Text("x"))
    assert isinstance(result, RetryLater) and sim.stats.gettoken == 2  # one refresh, not a loop
    assert sim.stats.calls["message/send"] == 2


async def test_busy_is_retried_three_times(env) -> None:
    channel, sim, _ = env
    sim.fail_next("message/send", -1, times=3)
    assert isinstance(await channel.deliver("ZhangWei", Text("第四次成功")), Delivered)
    assert sim.stats.calls["message/send"] == 4
    sim.fail_next("message/send", -1, times=4)
    assert isinstance(await channel.deliver("ZhangWei", Text("放弃")), RetryLater)
    assert texts(sim) == ["第四次成功"]


async def test_rate_limit_and_unknown_users(env) -> None:
    channel, sim, _ = env
    sim.fail_next("message/send", 45009)
    result = await channel.deliver("ZhangWei", Text("x"))
    assert isinstance(result, RetryLater) and result.after_s >= 60
    assert isinstance(await channel.deliver("Ghost", Text("x")), Undeliverable)
    chat = await channel.deliver("chat:wr123", Text("x"))
    assert isinstance(chat, Undeliverable) and "group" in chat.reason


async def test_media_get_error_is_a_media_error_in_chinese(env) -> None:
    channel, _, _ = env
    event = VoiceEvent(
        platform="wecom",
        app="wecom",
        user_id="ZhangWei",
        msg_id="1",
        dedupe_key="1",
        time=T0,
        media_id="no-such-media",
        format="amr",
    )
    with pytest.raises(MediaError) as info:
        await channel.fetch_media(event)
    assert "过期" in info.value.message_zh and "40007" in str(info.value)


async def test_image_and_file_replies_upload_the_stored_file(env, tmp_path: Path) -> None:
    channel, sim, _ = env
    png = b"\x89PNG\r\n\x1a\n" + b"chart" * 10
    path = tmp_path / "chart.png"
    path.write_bytes(png)
    media = await Media.create(
        sha256=hashlib.sha256(png).hexdigest(),
        content_type="image/png",
        size=len(png),
        path=str(path),
    )
    captioned = await channel.deliver("ZhangWei", Image(media.id, "本月漏斗"))
    assert isinstance(captioned, Delivered)
    assert captioned.messages == 2  # the image and its caption both count in the rate window
    assert isinstance(await channel.deliver("ZhangWei", File(media.id, "漏斗.png")), Delivered)
    image, caption, file = sim.inbox_of("ZhangWei")
    assert image.kind == "image" and caption.text == "本月漏斗"
    assert file.kind == "file" and file.filename == "漏斗.png"
    assert sim.tenant.media[image.media_id].data == png  # type: ignore[index]
    assert isinstance(await channel.deliver("ZhangWei", Image(99999)), Undeliverable)


async def test_card_limits_make_a_card_undeliverable(env) -> None:
    channel, sim, _ = env
    buttons = tuple(Button(f"b{i}", f"x:c1:b{i}") for i in range(7))
    card = Card(id="c1", title="太多按钮", buttons=buttons)
    await channel.deps.cards.create(card, kind="probe", owner_id=None, data={})
    result = await channel.deliver("ZhangWei", CardMessage("c1"))
    assert isinstance(result, Undeliverable) and "6" in result.reason
    assert sim.stats.calls["message/send"] == 0


async def test_directory_lookups(env) -> None:
    channel, sim, _ = env
    sim.add_department(2, "华东销售部")
    assert (await channel.client.user("ZhangWei"))["name"] == "张伟"
    assert [d["id"] for d in await channel.client.departments()] == [1, 2]
    with pytest.raises(WecomApiError) as info:
        await channel.client.user("Ghost")
    assert info.value.errcode == 60111


async def test_tokens_never_reach_errors_or_logs(env, caplog: pytest.LogCaptureFixture) -> None:
    channel, sim, _ = env
    await channel.deliver("ZhangWei", Text("x"))
    token = channel.client._token
    assert token
    await sim.stop()  # WeCom unreachable
    caplog.set_level(logging.DEBUG)
    with pytest.raises(WecomTransportError) as info:
        await channel.client.send({"touser": "ZhangWei"})
    result = await channel.deliver("ZhangWei", Text("y"))
    assert isinstance(result, RetryLater)
    everything = str(info.value) + result.reason + caplog.text
    assert token not in everything and sim.secret not in everything
