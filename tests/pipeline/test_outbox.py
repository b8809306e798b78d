"""Outbox sender: retries with backoff, permanent failures, rate windows and merging."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.channels.base import Delivered, DeliveryResult, RateLimit, RetryLater, Undeliverable
from bot.clock import ManualClock
from bot.events import Event
from bot.metrics import Metrics
from bot.pipeline.delivery import RetryPolicy
from bot.pipeline.outbox import DEAD, MERGED, SENT, Address, Outbox, OutgoingMessage
from bot.pipeline.sender import OutboxSender
from bot.replies import CardMessage, Reply, Text
from storage.db import Database
from storage.models import OutboxMessage

T0 = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


@dataclass
class ScriptedChannel:
    """Stands in for a platform API: answers each recipient with its scripted results in order."""

    script: dict[str, list[DeliveryResult]] = field(default_factory=dict)
    rate_limit: RateLimit | None = None
    platform: str = "test"
    name: str = "test"
    max_text_bytes: int = 2048
    delivered: list[tuple[str, Reply]] = field(default_factory=list)

    def routes(self) -> list:
        return []

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def close(self) -> None: ...

    async def fetch_media(self, event: Event) -> bytes:
        raise NotImplementedError

    async def deliver(self, recipient: str, reply: Reply) -> DeliveryResult:
        queue = self.script.get(recipient, [])
        result = queue.pop(0) if queue else Delivered()
        if isinstance(result, Delivered):
            self.delivered.append((recipient, reply))
        return result


def make_sender(
    db: Database, channel: ScriptedChannel, clock: ManualClock, outbox: Outbox | None = None
) -> tuple[Outbox, OutboxSender]:
    outbox = outbox or Outbox(db, clock)
    sender = OutboxSender(
        outbox,
        {("test", "test"): channel},
        clock,
        Metrics(),
        retry=RetryPolicy(give_up_s=10, cap_s=300),
        poll_seconds=0.05,
        drain_seconds=1,
    )
    return outbox, sender


ADDR = Address("test", "test", "zhang.wei")


async def test_transient_failure_is_retried_with_backoff(db: Database) -> None:
    clock = ManualClock(T0)
    channel = ScriptedChannel(script={"zhang.wei": [RetryLater(5, "busy"), RetryLater(5, "busy")]})
    outbox, sender = make_sender(db, channel, clock)
    await outbox.add([OutgoingMessage(ADDR, Text("你好"), "k1")])
    assert await sender.run_once() == 1 and channel.delivered == []
    assert await sender.run_once() == 0  # not due yet
    clock.advance(5)
    assert await sender.run_once() == 1 and channel.delivered == []
    clock.advance(5)
    await sender.run_once()
    assert channel.delivered == [("zhang.wei", Text("你好"))]
    row = await OutboxMessage.get(dedupe_key="k1")
    assert row.status == SENT and row.attempts == 3


async def test_gives_up_after_the_give_up_time_and_at_once_on_permanent_errors(
    db: Database,
) -> None:
    clock = ManualClock(T0)
    channel = ScriptedChannel(
        script={"zhang.wei": [RetryLater(1, "busy")] * 9, "li.na": [Undeliverable("no such user")]}
    )
    outbox, sender = make_sender(db, channel, clock)
    await outbox.add(
        [
            OutgoingMessage(ADDR, Text("a"), "a"),
            OutgoingMessage(Address("test", "test", "li.na"), Text("b"), "b"),
        ]
    )
    await sender.run_once()
    rows = {r.dedupe_key: r for r in await OutboxMessage.all()}
    assert rows["b"].status == DEAD and rows["b"].error == "no such user"  # at once
    assert rows["a"].status != DEAD  # give_up_s=10: still trying
    for _ in range(8):
        clock.advance(5)
        await sender.run_once()
    rows = {r.dedupe_key: r for r in await OutboxMessage.all()}
    assert rows["a"].status == DEAD and rows["a"].error == "busy"
    assert 3 <= rows["a"].attempts < 9  # backoff grew: fewer tries than the 8 wake-ups


async def test_duplicate_dedupe_keys_queue_once(db: Database) -> None:
    clock = ManualClock(T0)
    outbox, _ = make_sender(db, ScriptedChannel(), clock)
    msg = OutgoingMessage(ADDR, Text("一次"), "same-key")
    await outbox.add([msg])
    await outbox.add([msg])
    assert await OutboxMessage.filter(dedupe_key="same-key").count() == 1


async def test_rate_window_holds_back_and_merges_instead_of_dropping(db: Database) -> None:
    clock = ManualClock(T0)
    channel = ScriptedChannel(rate_limit=RateLimit(per_minute=30, per_hour=1000))
    outbox, sender = make_sender(db, channel, clock)
    texts = [f"提醒 {i}" for i in range(40)]
    await outbox.add([OutgoingMessage(ADDR, Text(t), f"r{i}") for i, t in enumerate(texts)])
    for _ in range(60):
        await sender.run_once()
    # Within one minute at most 30 messages went out, yet all 40 texts are in them, in order.
    assert len(channel.delivered) == 30
    joined = "\n\n".join(r.text for _, r in channel.delivered)  # type: ignore[union-attr]
    assert joined == "\n\n".join(texts)
    merged = await OutboxMessage.filter(status=MERGED).count()
    assert merged == 10


async def test_rate_window_counts_every_part_a_delivery_took(db: Database) -> None:
    """A long text that went out as three platform messages uses three places in the window:
    counting it as one would let the platform drop what follows without a word."""
    clock = ManualClock(T0)
    channel = ScriptedChannel(rate_limit=RateLimit(per_minute=4, per_hour=100))
    channel.script[ADDR.recipient] = [Delivered("long", messages=3)]
    outbox, sender = make_sender(db, channel, clock)
    await outbox.add([OutgoingMessage(ADDR, CardMessage(f"card-{i}"), f"c{i}") for i in range(3)])
    for _ in range(5):
        await sender.run_once()
    assert [r for _, r in channel.delivered] == [CardMessage("card-0"), CardMessage("card-1")]
    assert (await OutboxMessage.get(dedupe_key="c0")).messages == 3
    clock.advance(61)
    await sender.run_once()
    assert len(channel.delivered) == 3


async def test_rate_window_defers_when_full_and_sends_after_it_frees(db: Database) -> None:
    clock = ManualClock(T0)
    channel = ScriptedChannel(rate_limit=RateLimit(per_minute=2, per_hour=100))
    outbox, sender = make_sender(db, channel, clock)
    await outbox.add([OutgoingMessage(ADDR, CardMessage(f"card-{i}"), f"c{i}") for i in range(3)])
    for _ in range(5):
        await sender.run_once()
    assert len(channel.delivered) == 2  # cards cannot merge: the third waits for the window
    clock.advance(61)
    await sender.run_once()
    assert [r for _, r in channel.delivered] == [
        CardMessage("card-0"),
        CardMessage("card-1"),
        CardMessage("card-2"),
    ]
    row = await OutboxMessage.get(dedupe_key="c2")
    assert (
        row.status == SENT and row.attempts == 1
    )  # waiting for the window is not a failed attempt
