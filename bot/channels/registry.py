"""Build the configured channels. Platform modules are imported only when an app is enabled."""

from __future__ import annotations

from bot.channels.base import Channel, ChannelDeps
from bot.config.models import AppConfig


def build_channels(config: AppConfig, deps: ChannelDeps) -> list[Channel]:
    channels: list[Channel] = []
    if config.channels.enabled_wecom:
        from bot.channels.wecom import WecomChannel

        channels += [WecomChannel(app, deps) for app in config.channels.enabled_wecom]
    if config.channels.enabled_dingtalk:
        from bot.channels.dingtalk import DingtalkChannel

        channels += [DingtalkChannel(app, deps) for app in config.channels.enabled_dingtalk]
    return channels
