"""Inbox workers: claim rows, run the router, commit replies and completion together.

One dispatcher per process claims rows and starts a handler task per row, up to
``pipeline.workers`` at a time. A task that finishes a row completes it and claims the same user's
next row in one transaction, then carries on with it: a user's backlog is handled in order at one
database round trip per row. The dispatcher finds work without scanning the inbox: the inbox
tells it which users it just stored rows for, and only those not already in flight here are
claimed, by index seeks. A bounded scan every ``poll_seconds`` finds the rest (rows stored by
another replica, lapsed leases, retries that fell due).

Handlers share the event loop with the acknowledgements of incoming callbacks. While callbacks
pour in (``IngressPressure``), an ``IngressGate`` holds background work to one handler at a time
and a bounded share of the loop; the inbox absorbs the burst, and once it is over the workers
drain it at full speed.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import socket
import time
from collections.abc import Callable
from typing import Any

from bot.config.models import Pipeline
from bot.directory import Directory
from bot.events import CardActionEvent, JobEvent, event_from_json
from bot.metrics import Metrics
from bot.pipeline.context import Context
from bot.pipeline.dispatcher import Dispatcher
from bot.pipeline.inbox import Inbox, InboxRow, IngressPressure
from bot.pipeline.outbox import Outbox, OutgoingMessage
from bot.replies import Text
from bot.requestid import bound
from bot.services import Services
from cards.store import CardStore

log = logging.getLogger(__name__)

FAILED_REPLY = "抱歉，处理你的消息时出错了，我们已记录问题。请稍后再试，或联系管理员。"


def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class IngressGate:
    """How much of the event loop background work may take while callbacks pour in.

    When the pressure is off: everything, no waiting. While it is hot: one handler at a time,
    and after each the next waits until the work done is at most ``share`` of the time that
    passed — a handler that kept the loop 5 ms costs 45 ms of rest at the default 10 %. That
    keeps handlers moving through any burst (no starvation) while the acknowledgements get the
    rest. The rest is capped by ``max_rest_s``, so one slow handler (a voice note awaiting its
    transcription) does not stall the others for long.
    """

    def __init__(
        self,
        pressure: IngressPressure,
        *,
        share: float = 0.1,
        max_rest_s: float = 1.0,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        if not 0 < share <= 1:
            raise ValueError("share must be in (0, 1]")
        self.pressure = pressure
        self.share = share
        self.max_rest_s = max_rest_s
        self._now = now
        self._resume_at = 0.0

    def hot(self) -> bool:
        return self.pressure.hot()

    def slots(self, configured: int) -> int:
        """Handlers that may run at once now."""
        return 1 if self.pressure.hot() else configured

    def charge(self, busy_s: float) -> None:
        """Account for ``busy_s`` seconds of background work that just ended."""
        if self.pressure.hot():
            rest = min(busy_s * (1 - self.share) / self.share, self.max_rest_s)
            self._resume_at = max(self._resume_at, self._now() + rest)

    def wait_s(self) -> float:
        """How long the next piece of background work should wait (0 when the pressure is off)."""
        if not self.pressure.hot():
            self._resume_at = 0.0
            return 0.0
        # Wake when the rest is over, or earlier when the burst has cooled off.
        return max(0.0, min(self._resume_at - self._now(), self.pressure.cools_in()))


class InboxWorkers:
    def __init__(
        self,
        *,
        inbox: Inbox,
        outbox: Outbox,
        dispatcher: Dispatcher,
        directory: Directory,
        services: Services,
        settings: Pipeline,
        metrics: Metrics,
        on_outbox: Callable[[], None] = lambda: None,
        gate: IngressGate | None = None,
    ) -> None:
        self.inbox = inbox
        self.outbox = outbox
        self.dispatcher = dispatcher
        self.directory = directory
        self.services = services
        self.settings = settings
        self.metrics = metrics
        self.on_outbox = on_outbox
        self.gate = gate or IngressGate(inbox.pressure)
        self.identity = worker_identity()
        self._claims = itertools.count(1)
        self._wake = asyncio.Event()
        self._stopped = asyncio.Event()
        self._stopping = False
        self._rescan = False
        self._dispatcher: asyncio.Task[None] | None = None
        self._renewer: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._in_flight: set[str] = set()  # user keys being handled in this process
        self._leases: dict[int, str] = {}  # row id → the token of the claim that holds it
        self._busy = 0
        self._ok: dict[str, Any] = {}  # metric children per kind, looked up once

    def notify(self) -> None:
        # The inbox calls this after storing rows, having noted their users: those are claimed
        # by seeks. A call with no such note (a test made a row due, say) asks for a scan.
        if not self.inbox.hints:
            self._rescan = True
        self._wake.set()

    @property
    def busy(self) -> int:
        return self._busy

    def _token(self) -> str:
        # Unique per claim statement: a row whose lease lapsed and was claimed again, even in
        # this process, can no longer be completed or renewed by its first claimer.
        return f"{self.identity}:{next(self._claims)}"

    async def start(self) -> None:
        self._stopping = False
        self._stopped = asyncio.Event()
        self._rescan = True
        try:  # after a restart, the users with rows waiting are found once, by a scan
            self.inbox.hints.add(await self.inbox.unfinished_users())
        except Exception:
            log.exception("could not list the users with waiting rows; the poll will find them")
        self._dispatcher = asyncio.create_task(self._dispatch(), name="inbox-dispatcher")
        self._renewer = asyncio.create_task(self._renew_leases(), name="inbox-leases")

    async def stop(self) -> None:
        """Stop claiming, let in-flight handlers finish (up to drain_seconds), then cancel."""
        self._stopping = True
        self._stopped.set()
        self._wake.set()
        if self._dispatcher is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._dispatcher
            self._dispatcher = None
        if self._tasks:
            _, pending = await asyncio.wait(self._tasks, timeout=self.settings.drain_seconds)
            for task in pending:  # their rows stay leased and are retried by whoever runs next
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.gather(*pending, return_exceptions=True)
        if self._renewer is not None:
            self._renewer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._renewer
            self._renewer = None

    # ------------------------------------------------------------------ dispatching
    async def _rest(self, seconds: float) -> None:
        """Sleep, waking early only to stop (new rows must not cut a rest short)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopped.wait(), seconds)

    async def _dispatch(self) -> None:
        loop = asyncio.get_running_loop()
        next_scan = 0.0
        while not self._stopping:
            self._wake.clear()
            rest = self.gate.wait_s()
            if rest > 0:
                await self._rest(rest)
                continue
            free = self.gate.slots(self.settings.workers) - len(self._tasks)
            if free <= 0:  # a finishing task wakes us
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.settings.poll_seconds)
                continue
            scan = self._rescan or loop.time() >= next_scan
            if scan:
                self._rescan = False
                next_scan = loop.time() + self.settings.poll_seconds
            try:
                rows = await self._claim(free, scan=scan)
            except Exception:
                log.exception("inbox claim failed; retrying")
                await self._rest(self.settings.poll_seconds)
                continue
            for row in rows:
                self._start(row)
            if rows:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), max(next_scan - loop.time(), 0.001))

    async def _claim(self, free: int, *, scan: bool) -> list[InboxRow]:
        lease = self.settings.lease_seconds
        users = sorted(self.inbox.hints.take() - self._in_flight)
        rows: list[InboxRow] = []
        if users:
            rows = await self.inbox.claim_users(self._token(), lease, users, free)
            if len(rows) == free:  # out of slots, not out of work: ask again for the others
                taken = {r.user_key for r in rows}
                self.inbox.hints.add(u for u in users if u not in taken)
        if scan and len(rows) < free:
            busy = sorted(self._in_flight | {r.user_key for r in rows})
            try:
                rows += await self.inbox.claim(self._token(), lease, free - len(rows), busy)
            except Exception:
                if not rows:
                    raise
                # The rows already taken must still be started, or they would sit leased.
                log.exception("inbox scan failed; starting the rows already claimed")
        return rows

    def _start(self, row: InboxRow) -> None:
        self._in_flight.add(row.user_key)
        self._leases[row.id] = row.worker
        task = asyncio.create_task(self._carry(row), name=f"inbox-{row.id}")
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._wake.set()  # a slot is free

    # ------------------------------------------------------------------ handling
    async def _carry(self, row: InboxRow) -> None:
        """Handle ``row``, then the same user's next rows while they are due and allowed."""
        loop = asyncio.get_running_loop()
        user = row.user_key
        current: InboxRow | None = row
        held = row.id
        try:
            while current is not None:
                held = current.id
                started = loop.time()
                current = await self._handle(current)
                self.gate.charge(loop.time() - started)
                if current is None:
                    break
                if self._stopping:  # claimed with the last completion, as the stop came
                    await self._give_back(current)
                    break
                self._leases[current.id] = current.worker
        finally:
            # However the row ended (even cancelled at shutdown), this process stops renewing it.
            self._leases.pop(held, None)
            self._in_flight.discard(user)
            # Whatever the user still has waiting is the dispatcher's to claim, when allowed.
            self.inbox.hints.add([user])

    async def _give_back(self, row: InboxRow) -> None:
        try:
            await self.inbox.release(row.id, row.worker)
        except Exception:  # its lease lapses instead, and whoever runs next takes it then
            log.exception("could not give back an inbox row", extra={"inbox_id": row.id})

    async def _handle(self, row: InboxRow) -> InboxRow | None:
        """Run one row; returns the user's next row if it was claimed along with completion."""
        with bound(row.request_id):  # in the logs, and on the replies the handler queues
            return await self._handle_row(row)

    async def _handle_row(self, row: InboxRow) -> InboxRow | None:
        try:
            event = event_from_json(row.payload)
        except Exception as exc:
            # A kind this version does not know (a newer replica stored it) or a damaged row:
            # retried later like a failed handler, then buried, so the user's queue moves on.
            log.exception("unreadable inbox row", extra={"inbox_id": row.id, "kind": row.kind})
            self._leases.pop(row.id, None)
            await self._failed(row, None, exc)
            return None
        ctx = Context(
            event=event,
            config=self.directory.config,
            directory=self.directory,
            services=self.services,
            outbox=self.outbox,
            inbox_id=row.id,
            person=self.directory.by_platform(event.platform, event.user_id),
        )
        self._busy += 1
        started = time.perf_counter()
        try:
            if isinstance(event, CardActionEvent) and event.response_code and event.card_handle:
                await self.services.get(CardStore).note_response_code(
                    event.platform,
                    event.app,
                    event.card_handle,
                    event.user_id,
                    event.response_code,
                    event.time,
                )
            await self.dispatcher.dispatch(ctx)
        except Exception as exc:
            log.exception("handler failed", extra={"inbox_id": row.id, "kind": row.kind})
            self.metrics.handled.labels(row.kind, "error").inc()
            self._leases.pop(row.id, None)
            await self._failed(row, ctx, exc)
            return None
        finally:
            self._busy -= 1
            self._metric(row.kind)[1].observe(time.perf_counter() - started)
        # Follow on to the user's next row only when the gate would start one now anyway.
        follow = not self._stopping and not self.gate.hot()
        try:
            nxt = await self.inbox.complete(
                row.id,
                row.worker,
                self.outbox.insert_steps(ctx.pending),
                follow=event.user_key if follow else None,
                next_worker=self._token(),
                lease_s=self.settings.lease_seconds,
            )
        except Exception as exc:
            # Not recorded as done: the row runs again later, like a failed handler, and is
            # buried after max_attempts (its replies are keyed by inbox row, so a later success
            # does not queue them twice).
            log.exception("could not complete an inbox row", extra={"inbox_id": row.id})
            self._leases.pop(row.id, None)
            await self._failed(row, ctx, exc)
            return None
        self._leases.pop(row.id, None)
        self._metric(row.kind)[0].inc()
        log.log(
            logging.DEBUG if row.kind == JobEvent.kind else logging.INFO,
            "event handled",
            extra={"inbox_id": row.id, "replies": len(ctx.pending)},
        )
        if ctx.pending:
            # Only now are the replies committed: the sender may look for them.
            self.outbox.hints.add(m.address for m in ctx.pending)
            self.on_outbox()
        return nxt

    def _metric(self, kind: str) -> Any:
        children = self._ok.get(kind)
        if children is None:
            children = (
                self.metrics.handled.labels(kind, "ok"),
                self.metrics.handle_seconds.labels(kind),
            )
            self._ok[kind] = children
        return children

    async def _renew_leases(self) -> None:
        # A voice note can take longer than a lease; renewing keeps others from taking it over.
        # One statement renews every row this process holds.
        interval = max(self.settings.lease_seconds / 3, 0.05)
        while True:
            await asyncio.sleep(interval)
            leases = list(self._leases.items())
            if not leases:
                continue
            try:
                await self.inbox.renew_many(leases, self.settings.lease_seconds)
            except Exception:
                log.exception("lease renewal failed", extra={"rows": len(leases)})

    async def _failed(self, row: InboxRow, ctx: Context | None, exc: Exception) -> None:
        error = f"{type(exc).__name__}: {exc}"
        try:
            if row.attempts < self.settings.max_attempts:
                await self.inbox.retry_later(
                    row.id, row.worker, min(2.0**row.attempts, 60.0), error
                )
                return
            await self.inbox.bury(row.id, row.worker, error)
            if ctx is None:  # nobody to apologise to: the row said nothing readable
                return
            apology = OutgoingMessage(ctx.origin, Text(FAILED_REPLY), f"in{row.id}:failed")
            await self.outbox.add([apology])
            self.on_outbox()
        except Exception:
            log.exception("could not record a failed inbox row", extra={"inbox_id": row.id})
