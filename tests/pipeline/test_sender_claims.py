"""The sender claims by recipient and remembers holds: a recipient waiting for the next rate
window costs no query until then, and what the window held back goes out merged."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from bot.channels.base import RateLimit
from bot.clock import ManualClock
from bot.pipeline.inbox import PENDING, PROCESSING, Inbox
from bot.pipeline.outbox import Address, Outbox, OutboxRow, OutgoingMessage
from bot.replies import Text
from storage.db import Database
from tests.pipeline.test_outbox import ScriptedChannel, make_sender

T0 = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
ADDR = Address("test", "test", "zhang.wei")


class CountingOutbox(Outbox):
    def __init__(self, db: Database, clock: ManualClock) -> None:
        super().__init__(db, clock)
        self.claims = 0

    async def claim_recipients(
        self, worker_lease_s: float, addresses: Sequence[Address], limit: int
    ) -> list[OutboxRow]:
        self.claims += 1
        return await super().claim_recipients(worker_lease_s, addresses, limit)


async def test_a_held_recipient_is_not_queried_until_its_window_opens(db: Database) -> None:
    clock = ManualClock(T0)
    channel = ScriptedChannel(rate_limit=RateLimit(per_minute=2, per_hour=100))
    outbox = CountingOutbox(db, clock)
    _, sender = make_sender(db, channel, clock, outbox)

    async def say(n: int) -> None:
        await outbox.add([OutgoingMessage(ADDR, Text(f"第{n}条"), f"k{n}")])

    for n in (1, 2):  # the outbox says whom replies were queued for: one claim, no scan
        await say(n)
        assert await sender._pass(scan=False) == 1
    assert [r.text for _, r in channel.delivered] == ["第1条", "第2条"]  # type: ignore[attr-defined]
    await say(3)
    assert await sender._pass(scan=False) == 1  # the third: held back by the window
    assert len(channel.delivered) == 2

    await say(4)  # a new reply for a held recipient ...
    claims = outbox.claims
    assert await sender._pass(scan=False) == 0
    assert outbox.claims == claims  # ... costs no claim until the window opens

    clock.advance(61)
    assert await sender._pass(scan=False) == 1
    # What the window held back goes out as one message, in order.
    assert [r.text for _, r in channel.delivered][2:] == ["第3条\n\n第4条"]  # type: ignore[attr-defined]
    assert await sender._pass(scan=False) == 0


async def test_claim_recipients_takes_only_due_heads(db: Database) -> None:
    clock = ManualClock(T0)
    outbox = Outbox(db, clock)
    other = Address("test", "test", "li.na")
    await outbox.add(
        [
            OutgoingMessage(ADDR, Text("a1"), "a1"),
            OutgoingMessage(ADDR, Text("a2"), "a2"),
            OutgoingMessage(other, Text("b1"), "b1"),
        ]
    )
    rows = await outbox.claim_recipients(60, [ADDR, other], limit=5)
    assert sorted(r.reply.text for r in rows) == ["a1", "b1"]  # type: ignore[attr-defined]
    assert await outbox.claim_recipients(60, [ADDR, other], limit=5) == []  # in flight
    head = next(r for r in rows if r.address == ADDR)
    await outbox.retry_at(head.id, clock.ms() + 5000, "busy")
    assert await outbox.next_due([ADDR]) == {ADDR: clock.ms() + 5000}
    assert await outbox.claim_recipients(60, [ADDR], limit=5) == []  # not due: a2 waits too
    clock.advance(5)
    [again] = await outbox.claim_recipients(60, [ADDR], limit=5)
    assert again.id == head.id


async def test_a_released_row_is_claimable_again_without_losing_an_attempt(
    db: Database,
) -> None:
    from bot.events import TextEvent

    clock = ManualClock(T0)
    inbox = Inbox(db, clock)
    event = TextEvent(
        platform="test",
        app="test",
        user_id="u",
        msg_id="r1",
        dedupe_key="r1",
        time=clock.now(),
        text="hi",
    )
    await inbox.put(event)
    [row] = await inbox.claim_users("w1", 30, ["test:test:u"], limit=1)
    await inbox.release(row.id, "w1")
    statuses = await db.fetch("SELECT status, attempts, worker FROM inbox")
    assert statuses == [{"status": PENDING, "attempts": 0, "worker": None}]
    [again] = await inbox.claim_users("w2", 30, ["test:test:u"], limit=1)
    assert again.attempts == 1
    assert (await db.fetch("SELECT status FROM inbox"))[0]["status"] == PROCESSING
