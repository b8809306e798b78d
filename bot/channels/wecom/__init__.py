"""WeCom self-built app channel: encrypted callbacks in, REST API out."""

from bot.channels.wecom.channel import WecomChannel

__all__ = ["WecomChannel"]
