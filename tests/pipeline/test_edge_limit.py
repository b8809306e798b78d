"""The per-user cap at the edge: a flood from one sender is acknowledged but not stored, and the
others' messages still get in and are handled."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.clock import ManualClock
from bot.pipeline.edge import UserRateLimit
from storage.models import InboxMessage
from tests.support.harness import build_harness, make_config

T0 = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


def test_bucket_allows_a_burst_then_the_rate() -> None:
    limit = UserRateLimit(per_minute=60, burst=10)
    assert sum(limit.allow("a", 0) for _ in range(15)) == 10
    assert limit.allow("b", 0)  # another sender is not affected
    assert not limit.allow("a", 500)
    assert limit.allow("a", 1000)  # one a second refills
    assert sum(limit.allow("a", 61_000) for _ in range(20)) == 10  # never beyond the burst


async def test_a_flooding_user_does_not_crowd_out_the_others(db_url: str, aiohttp_client) -> None:  # type: ignore[no-untyped-def]
    from bot.app import create_app

    config = make_config(db_url)
    config = config.model_copy(
        update={"server": config.server.model_copy(update={"max_events_per_user_minute": 30})}
    )
    clock = ManualClock(T0)
    h = build_harness(config, clock=clock)
    h.client = await aiohttp_client(create_app(config, runtime=h.runtime))
    stored = [await h.say("zhang.wei", f"刷屏 {i}") for i in range(100)]
    assert sum(stored) == 60  # the burst (twice the per-minute figure), then nothing
    assert await h.say("li.na", "正常的一条")
    metric = h.runtime.metrics.rejected.labels("test", "rate_limited")._value.get()
    assert metric == 40
    assert await InboxMessage.filter(user_key__contains="li.na").count() == 1
    clock.advance(60)
    assert await h.say("zhang.wei", "一分钟后")  # the bucket refills
