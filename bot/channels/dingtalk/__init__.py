"""DingTalk enterprise-internal robot: Stream and HTTP mode, audio, interactive cards."""

from bot.channels.dingtalk.channel import ChannelConfigError, DingtalkChannel

__all__ = ["ChannelConfigError", "DingtalkChannel"]
