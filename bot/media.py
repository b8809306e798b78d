"""Fetch a platform file (voice note, image) through the channel it arrived on."""

from __future__ import annotations

from collections.abc import Iterable

from bot.channels.base import Channel, MediaError
from bot.events import Event


class MediaFetcher:
    def __init__(self, channels: Iterable[Channel]) -> None:
        self._channels = {(c.platform, c.name): c for c in channels}

    async def fetch(self, event: Event) -> bytes:
        channel = self._channels.get((event.platform, event.app))
        if channel is None:
            raise MediaError("no channel for the event", "无法获取文件：渠道未配置。")
        return await channel.fetch_media(event)
