"""Replies survive long platform outages: both simulators, both failure shapes, an injected clock.

The outbox sender runs against the real channel adapters and the platform simulators; the
simulator fails every API call while its outage lasts. Nothing sleeps: the ManualClock is moved
on and the sender takes what fell due.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import pytest

from bot.channels.base import Channel, ChannelDeps
from bot.channels.dingtalk import DingtalkChannel
from bot.channels.wecom import WecomChannel
from bot.clock import ManualClock
from bot.devtools.sim.dingtalk import DingtalkSimulator
from bot.devtools.sim.outage import Outage
from bot.devtools.sim.wecom import WecomSimulator
from bot.metrics import Metrics
from bot.pipeline.delivery import RetryPolicy
from bot.pipeline.giveup import GiveUpNotices
from bot.pipeline.inbox import Inbox
from bot.pipeline.outbox import DEAD, SENT, Address, Outbox, OutgoingMessage
from bot.pipeline.sender import MERGE_SEPARATOR, OutboxSender
from bot.replies import Text
from cards.store import CardStore
from storage.db import Database
from storage.models import OutboxMessage

T0 = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
OUTAGE_S = 600
Platform = Literal["wecom", "dingtalk"]


@dataclass
class Rig:
    platform: Platform
    clock: ManualClock
    outbox: Outbox
    sender: OutboxSender
    channel: Channel
    outage: Outage
    users: list[str]
    received: Callable[[str], list[tuple[datetime, str]]]  # user → (when, text) as delivered
    metrics: Metrics
    admin: str
    stranger: str  # not a member of the app: the platform refuses it for good
    admit: Callable[[str], None]  # make the stranger a member (the cause fixed)

    def address(self, user: str) -> Address:
        return Address(self.platform, self.channel.name, user)


async def _no_sleep(_: float) -> None:
    return None


@pytest.fixture(params=["wecom", "dingtalk"])
async def rig(request: pytest.FixtureRequest, db: Database) -> AsyncIterator[Rig]:
    clock = ManualClock(T0)
    metrics = Metrics()
    deps = ChannelDeps(
        Inbox(db, clock), CardStore(clock), clock, metrics, "http://bot.example", "x" * 32
    )
    channel: Channel
    if request.param == "wecom":
        wsim = WecomSimulator(clock=clock)
        users = ["ZhangWei", "LiNa", "WangFang", "AdminZhao"]
        for u in users:
            wsim.add_user(u, u)
        await wsim.start()
        stranger = "Ghost"

        def admit(user: str) -> None:
            wsim.add_user(user, user)

        wchannel = WecomChannel(wsim.app_config(), deps)
        wchannel.client._sleep = _no_sleep  # the client's own busy backoff is real time
        await wchannel.start()
        channel, outage, stop = wchannel, wsim.outage, wsim.stop

        def received(user: str) -> list[tuple[datetime, str]]:
            return [(i.at, i.text) for i in wsim.inbox_of(user)]

    else:
        dsim = DingtalkSimulator(clock=clock)
        await dsim.start()
        users = ["staff1001", "staff2001", "staff3001", "staff9001"]
        stranger = "staff4040"
        dsim.mark_invalid(stranger)

        def admit(user: str) -> None:
            dsim.tenant.invalid_staff.discard(user)

        channel = DingtalkChannel(dsim.app_config(), deps)
        outage, stop = dsim.outage, dsim.stop

        def received(user: str) -> list[tuple[datetime, str]]:
            return [(i.at, i.text) for i in dsim.items(user)]

    outbox = Outbox(db, clock)
    admin = Address(request.param, channel.name, users[-1])
    sender = OutboxSender(
        outbox,
        {(channel.platform, channel.name): channel},
        clock,
        metrics,
        retry=RetryPolicy(give_up_s=24 * 3600, cap_s=300),
        poll_seconds=0.05,
        drain_seconds=1,
        notices=GiveUpNotices(outbox, clock, lambda: [admin], every_s=600),
    )
    yield Rig(
        request.param,
        clock,
        outbox,
        sender,
        channel,
        outage,
        users[:-1],
        received,
        metrics,
        users[-1],
        stranger,
        admit,
    )
    await channel.close()
    await stop()


async def pump(rig: Rig, seconds: float, step: float = 5) -> None:
    """Let ``seconds`` pass in ``step``s, sending whatever falls due on the way."""
    for _ in range(int(seconds / step)):
        rig.clock.advance(step)
        for _ in range(100):
            if await rig.sender.run_once() == 0:
                break


def texts(rig: Rig, user: str) -> list[str]:
    # A rate window may merge queued texts into one message; order is what the user reads.
    return [part for _, text in rig.received(user) for part in text.split(MERGE_SEPARATOR)]


async def queue(rig: Rig, per_user: int, tag: str) -> dict[str, list[str]]:
    expected = {u: [f"{tag} {u} 第{i}条" for i in range(per_user)] for u in rig.users}
    for u, lines in expected.items():
        await rig.outbox.add(
            [
                OutgoingMessage(rig.address(u), Text(t), f"{tag}:{u}:{i}")
                for i, t in enumerate(lines)
            ]
        )
    return expected


@pytest.mark.parametrize("kind", ["http", "busy"])
async def test_a_ten_minute_outage_loses_nothing_and_keeps_order(
    rig: Rig, kind: Literal["http", "busy"], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.pipeline.sender")
    rig.outage.begin(kind)
    expected = await queue(rig, 4, "回复")
    await pump(rig, OUTAGE_S)
    assert all(texts(rig, u) == [] for u in rig.users)
    refused_during = rig.outage.refused
    rig.outage.end()
    await pump(rig, 400)  # the longest wait after recovery: one backoff cap plus jitter
    for u in rig.users:
        assert texts(rig, u) == expected[u]  # every reply once, in order
    rows = await OutboxMessage.all()
    assert {r.status for r in rows} == {SENT} and len(rows) == 12
    # Probing gently: 3 recipients backing off on their own for 10 minutes would still make
    # ~30 calls; with the circuit the platform sees one probe at growing intervals.
    assert refused_during <= 20, refused_during
    assert rig.metrics.gave_up.labels(rig.platform)._value.get() == 0
    # One log line per row for the first failure, not one per attempt.
    first = [r for r in caplog.records if r.getMessage().startswith("delivery failed")]
    assert len(first) == 3
    opened = [r for r in caplog.records if r.getMessage().startswith("platform looks down")]
    closed = [r for r in caplog.records if r.getMessage().startswith("platform reachable")]
    assert len(opened) == 1 and len(closed) == 1
    print(
        f"\n{rig.platform}/{kind}: 10 min outage, {len(rows)} replies delivered once in order, "
        f"{refused_during} API calls refused during the outage"
    )


async def test_a_permanent_error_gives_up_at_once_and_tells_the_admin(rig: Rig) -> None:
    ghost = rig.stranger
    await rig.outbox.add([OutgoingMessage(rig.address(ghost), Text("收不到"), "ghost")])
    await pump(rig, 5)
    row = await OutboxMessage.get(dedupe_key="ghost")
    assert row.status == DEAD and row.attempts == 1  # no retries for a permanent error
    assert rig.metrics.gave_up.labels(rig.platform)._value.get() == 1
    told = rig.received(rig.admin)
    assert len(told) == 1 and "有 1 条消息已放弃发送" in told[0][1]
    assert "修复原因后运行 salesbot outbox retry 重新发送；/状态 可查看数量。" in told[0][1]
    # A second burial within the notice interval waits for the next summary.
    await rig.outbox.add([OutgoingMessage(rig.address(ghost), Text("也收不到"), "ghost2")])
    await pump(rig, 5)
    assert len(rig.received(rig.admin)) == 1
    await pump(rig, 600)
    told = rig.received(rig.admin)
    assert len(told) == 2 and "有 1 条消息已放弃发送" in told[1][1]
    # Once the cause is fixed, `salesbot outbox retry` queues them again, and they go out.
    rig.admit(ghost)
    assert await rig.outbox.requeue(recipient=ghost) == 2
    await pump(rig, 5)
    assert texts(rig, ghost) == ["收不到", "也收不到"]


@pytest.mark.parametrize("rig", ["wecom"], indirect=True)
async def test_the_per_user_cap_holds_while_recovering(rig: Rig) -> None:
    """WeCom drops a member's 31st message in a minute: the backlog an outage built up goes out
    within the window (merged where it must), never above it."""
    rig.outage.begin("http")
    user = rig.users[0]
    lines = [f"积压 {i}" for i in range(80)]
    await rig.outbox.add(
        [OutgoingMessage(rig.address(user), Text(t), f"b{i}") for i, t in enumerate(lines)]
    )
    await pump(rig, OUTAGE_S)
    rig.outage.end()
    await pump(rig, 600, step=1)
    assert texts(rig, user) == lines
    times = sorted(at for at, _ in rig.received(user))
    busiest = max(sum(1 for t in times if 0 <= (t - s).total_seconds() < 60) for s in times)
    limit = rig.channel.rate_limit
    assert limit is not None and busiest <= limit.per_minute <= 30
    print(f"\nrecovery: {len(lines)} queued texts in {len(times)} messages, at most {busiest}/min")
