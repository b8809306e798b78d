"""Deliver outbox rows through their channel: retries with backoff, rate windows, merging.

WeCom drops a member's 31st message in a minute without an error, so the window is counted from
what this bot actually sent (in the database, so replicas share it) and held-back text is merged
into fewer messages instead of being lost.

The sender claims by recipient: those the outbox says replies were queued for, those it just
delivered to (their next message may be due), and those whose hold — a rate window, a retry
backoff — has run out. It remembers holds itself, so a recipient whose queue is waiting for the
next minute costs no query until then. A bounded scan every ``poll_seconds`` finds the rest.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Mapping
from typing import Protocol

from bot.channels.base import Channel, Delivered, RetryLater
from bot.clock import Clock
from bot.metrics import Metrics
from bot.pipeline.delivery import Circuits, RetryPolicy
from bot.pipeline.giveup import GiveUpNotices
from bot.pipeline.outbox import CIRCUIT_HOLD, RATE_HOLD, Address, Outbox, OutboxRow
from bot.replies import MERGEABLE, Reply, Text, reply_text, reply_to_json
from bot.requestid import bound

log = logging.getLogger(__name__)

MINUTE_MS, HOUR_MS = 60_000, 3_600_000
MERGE_SEPARATOR = "\n\n"
MERGE_LOOKAHEAD = 256  # queued rows read when merging; far more than 2048 bytes of text holds


class AdminNote(Protocol):
    """Something the admins are told in chat when it happens (a calendar year guessed …)."""

    async def flush(self) -> bool: ...


class OutboxSender:
    def __init__(
        self,
        outbox: Outbox,
        channels: Mapping[tuple[str, str], Channel],
        clock: Clock,
        metrics: Metrics,
        *,
        retry: RetryPolicy,
        poll_seconds: float,
        drain_seconds: float,
        lease_s: float = 15.0,
        renew_every_s: float | None = None,
        circuit_failures: int = 5,
        notices: GiveUpNotices | None = None,
        rng: random.Random | None = None,
        batch: int = 16,
    ) -> None:
        self.outbox = outbox
        self.channels = channels
        self.clock = clock
        self.metrics = metrics
        self.retry = retry
        self.lease_s = lease_s
        self.renew_every_s = renew_every_s or max(lease_s / 3, 0.05)
        self.circuits = Circuits(circuit_failures, retry.cap_s)
        self.notices = notices
        self.admin_notes: list[AdminNote] = []  # flushed on every pass, after the give-ups
        self.rng = rng or random.Random()
        self._in_flight: set[int] = set()
        self._renewer: asyncio.Task[None] | None = None
        self.poll_seconds = poll_seconds
        self.drain_seconds = drain_seconds
        self.batch = batch
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._held: dict[Address, int] = {}  # recipient → when (clock ms) its head is due
        self._overflowed: set[Address] = set()  # recipients a rate window held back

    def notify(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        self._stopping = False
        try:  # after a restart, recipients with mail waiting are found once, by a scan
            self.outbox.hints.add(await self.outbox.unfinished_recipients())
        except Exception:
            log.exception("could not list recipients with mail waiting; the poll will find them")
        self._task = asyncio.create_task(self._run(), name="outbox-sender")
        self._renewer = asyncio.create_task(self._renew_leases(), name="outbox-leases")

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        try:
            await self._drain()
        finally:
            if self._renewer is not None:
                self._renewer.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._renewer
                self._renewer = None

    async def _renew_leases(self) -> None:
        # A send can outlast a short lease (a slow platform, a big file): renewing keeps another
        # replica from sending it twice, and lets the lease be short for when this process dies.
        while True:
            await asyncio.sleep(self.renew_every_s)
            if self._in_flight:
                try:
                    await self.outbox.renew(sorted(self._in_flight), self.lease_s)
                except Exception:
                    log.exception("outbox lease renewal failed")

    async def _drain(self) -> None:
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
        rows = await self.outbox.claim(self.lease_s, self.batch)
        if rows:
            await asyncio.gather(*(self._send(r) for r in rows))
        await self._flush_notes()
        return len(rows)

    async def _flush_notes(self) -> None:
        if self.notices is not None:
            await self.notices.flush()
        for note in self.admin_notes:  # Outbox.add hints the admins' addresses: sent next pass
            await note.flush()

    async def _pass(self, scan: bool) -> int:
        now = self.clock.ms()
        wanted = self.outbox.hints.take()
        for address, due in list(self._held.items()):
            if due <= now:
                del self._held[address]
                wanted.add(address)
        addresses = sorted(a for a in wanted if a not in self._held)
        rows: list[OutboxRow] = []
        if addresses:
            rows = await self.outbox.claim_recipients(self.lease_s, addresses, self.batch)
            taken = {r.address for r in rows}
            missed = [a for a in addresses if a not in taken]
            if len(rows) == self.batch:  # out of batch, not out of mail
                self.outbox.hints.add(missed)
            elif missed:
                # Waiting for a time (held by a rate window or a backoff, maybe by an earlier
                # process): remember when, and ask again then — not on every new reply.
                self._held.update(await self.outbox.next_due(missed))
        if scan and len(rows) < self.batch:
            rows += await self.outbox.claim(self.lease_s, self.batch - len(rows))
        if rows:
            await asyncio.gather(*(self._send(r) for r in rows))
        await self._flush_notes()
        return len(rows)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        next_scan = 0.0
        while True:
            self._wake.clear()
            scan = loop.time() >= next_scan
            if scan:
                next_scan = loop.time() + self.poll_seconds
            try:
                taken = await self._pass(scan)
            except Exception:
                log.exception("outbox pass failed; retrying")
                taken = 0
            if self._stopping and taken == 0:
                return
            if taken == 0:
                timeout = next_scan - loop.time()
                if self._held:
                    timeout = min(timeout, (min(self._held.values()) - self.clock.ms()) / 1000)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), max(timeout, 0.001))

    def _hold(self, address: Address, until_ms: int) -> None:
        self._held[address] = max(self._held.get(address, 0), until_ms)

    async def _send(self, row: OutboxRow) -> None:
        self._in_flight.add(row.id)
        try:
            with bound(row.request_id):
                await self._send_row(row)
        finally:
            self._in_flight.discard(row.id)

    async def _send_row(self, row: OutboxRow) -> None:
        key = (row.address.platform, row.address.app)
        channel = self.channels.get(key)
        if channel is None:
            await self._give_up(row, "no such channel is configured")
            return
        circuit = self.circuits.get(key)
        wait_until = circuit.admit(self.clock.ms())
        if wait_until is not None:  # the platform is down: wait for the probe, not an attempt
            if self.retry.expired(row.created_at, self.clock.ms()):
                await self._give_up(row, circuit.reason)
                return
            await self.outbox.retry_at(row.id, wait_until, CIRCUIT_HOLD, count=False)
            self._hold(row.address, wait_until)
            return
        reply = row.reply
        if channel.rate_limit is not None:
            held, reply = await self._respect_window(channel, row)
            if held:
                if circuit.probing:  # this was to be the probe; let the next one be
                    circuit.probing = False
                return
        # Whatever happens below, this recipient's next message may be due next (a retry
        # replaces the hint with a hold).
        self.outbox.hints.add([row.address])
        try:
            result = await channel.deliver(row.address.recipient, reply)
        except Exception as exc:
            log.exception("delivery raised", extra={"outbox_id": row.id})
            result = RetryLater(0, f"{type(exc).__name__}: {exc}")
        if isinstance(result, Delivered):
            await self._delivered(row, result)
        elif isinstance(result, RetryLater):
            await self._failed(row, result)
        else:
            await self._circuit_alive(key)  # the platform answered; the recipient is the problem
            await self._give_up(row, result.reason)

    async def _delivered(self, row: OutboxRow, result: Delivered) -> None:
        await self.outbox.mark_sent(row.id, result.messages)
        self.metrics.sent.labels(row.address.platform, row.kind).inc()
        log.info("reply delivered", extra={"outbox_id": row.id, "platform": row.address.platform})
        if row.attempts > 1:
            waited = (self.clock.ms() - row.created_at) / 1000
            log.info(
                "message delivered after retrying",
                extra={"outbox_id": row.id, "attempts": row.attempts, "waited_s": round(waited)},
            )
        await self._circuit_alive((row.address.platform, row.address.app))

    async def _failed(self, row: OutboxRow, result: RetryLater) -> None:
        platform, now = row.address.platform, self.clock.ms()
        if result.platform_down:
            circuit = self.circuits.get((platform, row.address.app))
            if circuit.failed(now, result.reason):
                self.metrics.circuit_open.labels(platform, row.address.app).set(1)
                log.warning(
                    "platform looks down; probing it one message at a time",
                    extra={"platform": platform, "app": row.address.app, "reason": result.reason},
                )
        if self.retry.expired(row.created_at, now):
            await self._give_up(row, result.reason)
            return
        self.metrics.send_failures.labels(platform, "retry").inc()
        self.metrics.retries.labels(platform).inc()
        if row.attempts <= 1:  # once per row: later attempts are the same story
            log.warning(
                "delivery failed; retrying until it goes through",
                extra={"outbox_id": row.id, "reason": result.reason},
            )
        delay = self.retry.delay_s(row.attempts, result.after_s, self.rng)
        when = now + int(delay * 1000)
        await self.outbox.retry_at(row.id, when, result.reason)
        self._hold(row.address, when)

    async def _circuit_alive(self, key: tuple[str, str]) -> None:
        circuit = self.circuits.get(key)
        down_since = circuit.opened_at
        if not circuit.succeeded():
            return
        self.metrics.circuit_open.labels(*key).set(0)
        # Everyone who waited on this platform is due now, not at their own backoff's end.
        released = await self.outbox.release_waiting(key[0], key[1], RATE_HOLD)
        for address in [a for a in self._held if (a.platform, a.app) == key]:
            del self._held[address]
            self.outbox.hints.add([address])
        self._wake.set()
        log.warning(
            "platform reachable again; sending what waited",
            extra={
                "platform": key[0],
                "app": key[1],
                "down_s": round((self.clock.ms() - down_since) / 1000),
                "released": released,
            },
        )

    async def _give_up(self, row: OutboxRow, reason: str) -> None:
        platform = row.address.platform
        self.metrics.send_failures.labels(platform, "dead").inc()
        self.metrics.gave_up.labels(platform).inc()
        log.error("message could not be delivered", extra={"outbox_id": row.id, "reason": reason})
        await self.outbox.bury(row.id, reason)
        if self.notices is not None:
            self.notices.record(row.address, reason)

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
            await self.outbox.retry_at(row.id, free_at, RATE_HOLD, count=False)
            self._hold(row.address, free_at)
            self._overflowed.add(row.address)
            return True, row.reply
        room = limit.per_minute - len(minute)
        # Text a window held back is delivered in as few messages as it fits in, whatever room
        # the new window has: the recipient has waited for it already.
        overflowed = row.address in self._overflowed
        self._overflowed.discard(row.address)
        if row.kind not in MERGEABLE:
            return False, row.reply
        queued = await self.outbox.queued_for(
            row.address, row.id, sorted(MERGEABLE), limit=room + MERGE_LOOKAHEAD
        )
        excess = len(queued) if overflowed else len(queued) + 1 - room
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
