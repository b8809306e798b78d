"""Deliver outbox rows through their channel: retries with backoff, rate windows, merging.

WeCom drops a member's 31st message in a minute without an error, so the window is counted from
what this bot actually sent (in the database, so replicas share it) and held-back text is merged
into fewer messages instead of being lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping

from bot.channels.base import Channel, Delivered, RetryLater, Undeliverable
from bot.clock import Clock
from bot.metrics import Metrics
from bot.pipeline.outbox import Outbox, OutboxRow
from bot.replies import MERGEABLE, Reply, Text, reply_text, reply_to_json

log = logging.getLogger(__name__)

MINUTE_MS, HOUR_MS = 60_000, 3_600_000
MERGE_SEPARATOR = "\n\n"


def backoff_s(attempt: int) -> float:
    return min(2.0 ** max(attempt - 1, 0), 300.0)


class OutboxSender:
    def __init__(
        self,
        outbox: Outbox,
        channels: Mapping[tuple[str, str], Channel],
        clock: Clock,
        metrics: Metrics,
        *,
        max_attempts: int,
        poll_seconds: float,
        drain_seconds: float,
        batch: int = 16,
    ) -> None:
        self.outbox = outbox
        self.channels = channels
        self.clock = clock
        self.metrics = metrics
        self.max_attempts = max_attempts
        self.poll_seconds = poll_seconds
        self.drain_seconds = drain_seconds
        self.batch = batch
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    def notify(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name="outbox-sender")

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._task is None:
            return
        try:
            await asyncio.wait_for(asyncio.shield(self._task), self.drain_seconds)
        except TimeoutError:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._task = None

    async def run_once(self) -> int:
        """Send what is due now; returns how many rows were taken (tests call this directly)."""
        rows = await self.outbox.claim(60, self.batch)
        if rows:
            await asyncio.gather(*(self._send(r) for r in rows))
        return len(rows)

    async def _run(self) -> None:
        while True:
            self._wake.clear()
            try:
                taken = await self.run_once()
            except Exception:
                log.exception("outbox pass failed; retrying")
                taken = 0
            if self._stopping and taken == 0:
                return
            if taken == 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.poll_seconds)

    async def _send(self, row: OutboxRow) -> None:
        channel = self.channels.get((row.address.platform, row.address.app))
        if channel is None:
            await self.outbox.bury(row.id, "no such channel is configured")
            log.error("outbox row for unknown channel", extra={"outbox_id": row.id})
            return
        reply = row.reply
        if channel.rate_limit is not None:
            held, reply = await self._respect_window(channel, row)
            if held:
                return
        try:
            result = await channel.deliver(row.address.recipient, reply)
        except Exception as exc:
            log.exception("delivery raised", extra={"outbox_id": row.id})
            result = RetryLater(backoff_s(row.attempts), f"{type(exc).__name__}: {exc}")
        platform = row.address.platform
        if isinstance(result, Delivered):
            await self.outbox.mark_sent(row.id)
            self.metrics.sent.labels(platform, row.kind).inc()
        elif isinstance(result, RetryLater) and row.attempts < self.max_attempts:
            self.metrics.send_failures.labels(platform, "retry").inc()
            await self.outbox.retry_at(
                row.id, self.clock.ms() + int(result.after_s * 1000), result.reason
            )
        else:
            reason = result.reason if isinstance(result, RetryLater | Undeliverable) else "?"
            self.metrics.send_failures.labels(platform, "dead").inc()
            log.error(
                "message could not be delivered", extra={"outbox_id": row.id, "reason": reason}
            )
            await self.outbox.bury(row.id, reason)

    async def _respect_window(self, channel: Channel, row: OutboxRow) -> tuple[bool, Reply]:
        limit = channel.rate_limit
        assert limit is not None
        now = self.clock.ms()
        sent = await self.outbox.sent_since(row.address, now - HOUR_MS)
        minute = [t for t in sent if t > now - MINUTE_MS]
        if len(minute) >= limit.per_minute or len(sent) >= limit.per_hour:
            if len(minute) >= limit.per_minute:
                free_at = minute[len(minute) - limit.per_minute] + MINUTE_MS + 1
            else:
                free_at = sent[len(sent) - limit.per_hour] + HOUR_MS + 1
            self.metrics.throttled.labels(row.address.platform).inc()
            await self.outbox.retry_at(row.id, free_at, "held back by the rate limit", count=False)
            return True, row.reply
        room = limit.per_minute - len(minute)
        if row.kind not in MERGEABLE:
            return False, row.reply
        queued = await self.outbox.queued_for(row.address, row.id, sorted(MERGEABLE))
        excess = len(queued) + 1 - room
        if excess <= 0:
            return False, row.reply
        # More text is waiting than the window can take one by one: fold the overflow into this
        # message (the rows right after it, so the order of what the user reads is kept).
        text = reply_text(row.reply)
        merged: list[int] = []
        for q in queued[:excess]:
            candidate = text + MERGE_SEPARATOR + reply_text(q.reply)
            if len(candidate.encode()) > channel.max_text_bytes:
                break
            text = candidate
            merged.append(q.id)
        if not merged:
            return False, row.reply
        combined = Text(text)
        await self.outbox.merge_into(row.id, combined.kind, reply_to_json(combined), merged)
        return False, combined
