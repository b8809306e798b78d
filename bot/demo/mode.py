"""Demo mode wiring: the test channel (and, as they land, the simulator and sandbox page)."""

from __future__ import annotations

from bot.app import Runtime, build_runtime
from bot.channels.base import ChannelDeps
from bot.channels.testing import TestChannel
from bot.config.models import AppConfig


def build_demo_runtime(config: AppConfig, *, port: int) -> Runtime:
    def extra(deps: ChannelDeps) -> list[TestChannel]:
        return [TestChannel(deps.inbox, deps.cards, deps.clock)]

    return build_runtime(config, extra_channels=extra)
