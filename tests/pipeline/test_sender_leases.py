"""The sender's heartbeat: a slow send keeps its short lease; a dead sender's rows are taken
over once the lease lapses, and delivered once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.clock import ManualClock
from bot.metrics import Metrics
from bot.pipeline.delivery import RetryPolicy
from bot.pipeline.outbox import SENDING, SENT, Address, Outbox, OutgoingMessage
from bot.pipeline.sender import OutboxSender
from bot.replies import Reply, Text
from storage.db import Database
from storage.models import OutboxMessage
from tests.pipeline.test_outbox import ScriptedChannel
from tests.support.waiting import eventually

T0 = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
ADDR = Address("test", "test", "zhang.wei")
LEASE_S = 15


class StuckChannel(ScriptedChannel):
    """A platform call that does not come back (until the test lets it)."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = asyncio.Event()
        self.release = asyncio.Event()

    async def deliver(self, recipient: str, reply: Reply):  # type: ignore[no-untyped-def]
        self.entered.set()
        await self.release.wait()
        return await super().deliver(recipient, reply)


def sender(db: Database, clock: ManualClock, channel: ScriptedChannel) -> OutboxSender:
    return OutboxSender(
        Outbox(db, clock),
        {("test", "test"): channel},
        clock,
        Metrics(),
        retry=RetryPolicy(give_up_s=86400, cap_s=300),
        poll_seconds=0.05,
        drain_seconds=1,
        lease_s=LEASE_S,
        renew_every_s=0.02,  # real time: the heartbeat's pace, not the lease's length
    )


async def test_a_slow_send_keeps_its_lease_and_a_dead_senders_row_is_taken_over(
    db: Database,
) -> None:
    clock = ManualClock(T0)
    stuck = StuckChannel()
    first = sender(db, clock, stuck)
    await first.outbox.add([OutgoingMessage(ADDR, Text("只发一次"), "k1")])
    await first.start()
    await asyncio.wait_for(stuck.entered.wait(), 10)
    other_channel = ScriptedChannel()
    other = sender(db, clock, other_channel)

    async def renewed_past(ms: int) -> bool:
        row = await OutboxMessage.get(dedupe_key="k1")
        return row.status == SENDING and row.lease_until > ms

    # Three lease lengths pass while the first sender is still sending: its heartbeat keeps the
    # row, so the other replica does not send it a second time.
    step_ms = LEASE_S * 2 // 3 * 1000
    for _ in range(3):
        await eventually(lambda: renewed_past(clock.ms() + step_ms))
        clock.advance(step_ms / 1000)
        assert await other.run_once() == 0
    # The first process dies mid-send (its tasks end; nothing is marked).
    assert first._task is not None and first._renewer is not None
    first._task.cancel()
    first._renewer.cancel()
    await asyncio.gather(first._task, first._renewer, return_exceptions=True)
    clock.advance(LEASE_S + 1)  # within one lease of its last heartbeat
    assert await other.run_once() == 1
    assert other_channel.delivered == [("zhang.wei", Text("只发一次"))]
    assert stuck.delivered == []
    assert (await OutboxMessage.get(dedupe_key="k1")).status == SENT
