"""Inbox workers: claim a row, run the router, commit replies and completion together."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
from collections import Counter
from collections.abc import Callable

from bot.config.models import Pipeline
from bot.directory import Directory
from bot.events import CardActionEvent, event_from_json
from bot.metrics import Metrics
from bot.pipeline.context import Context
from bot.pipeline.dispatcher import Dispatcher
from bot.pipeline.inbox import DONE, PROCESSING, Inbox, InboxRow
from bot.pipeline.outbox import Outbox, OutgoingMessage
from bot.replies import Text
from bot.services import Services
from cards.store import CardStore

log = logging.getLogger(__name__)

EMPTY_CLAIM_GAP_S = 0.02
FAILED_REPLY = "抱歉，处理你的消息时出错了，我们已记录问题。请稍后再试，或联系管理员。"


def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


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
    ) -> None:
        self.inbox = inbox
        self.outbox = outbox
        self.dispatcher = dispatcher
        self.directory = directory
        self.services = services
        self.settings = settings
        self.metrics = metrics
        self.on_outbox = on_outbox
        self.identity = worker_identity()
        self._wake = asyncio.Event()
        self._stopping = False
        self._tasks: list[asyncio.Task[None]] = []
        self._busy = 0
        self._in_flight: Counter[str] = Counter()  # user keys being handled in this process

    def notify(self) -> None:
        self._wake.set()

    @property
    def busy(self) -> int:
        return self._busy

    async def start(self) -> None:
        self._stopping = False
        self._tasks = [
            asyncio.create_task(self._run(f"{self.identity}:{i}"), name=f"inbox-worker-{i}")
            for i in range(self.settings.workers)
        ]

    async def stop(self) -> None:
        """Stop claiming, let in-flight handlers finish (up to drain_seconds), then cancel."""
        self._stopping = True
        self._wake.set()
        if not self._tasks:
            return
        _, pending = await asyncio.wait(self._tasks, timeout=self.settings.drain_seconds)
        for task in pending:  # their rows stay leased and are retried by whoever runs next
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*pending, return_exceptions=True)
        self._tasks = []

    async def _run(self, worker: str) -> None:
        while not self._stopping:
            self._wake.clear()
            try:
                rows = await self.inbox.claim(
                    worker, self.settings.lease_seconds, skip_users=sorted(self._in_flight)
                )
            except Exception:
                log.exception("inbox claim failed; retrying")
                await asyncio.sleep(self.settings.poll_seconds)
                continue
            if not rows:
                # Every inbox write wakes idle workers. During a burst that is hundreds of times
                # a second, and an empty claim still reads the backlog: space them out a little.
                await asyncio.sleep(EMPTY_CLAIM_GAP_S)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.settings.poll_seconds)
                continue
            for row in rows:
                await self._process(worker, row)

    async def _process(self, worker: str, row: InboxRow) -> None:
        event = event_from_json(row.payload)
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
        user_key = event.user_key
        self._in_flight[user_key] += 1
        lease = asyncio.create_task(self._keep_lease(row.id, worker))
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
            await self._failed(worker, row, ctx, exc)
            return
        finally:
            lease.cancel()
            self._busy -= 1
            self._in_flight[user_key] -= 1
            if not self._in_flight[user_key]:
                del self._in_flight[user_key]
            self.metrics.handle_seconds.labels(row.kind).observe(time.perf_counter() - started)
        async with self.inbox.db.transaction() as tx:
            await self.outbox.add(ctx.pending, tx)
            await tx.execute(
                f"UPDATE inbox SET status = {DONE}, done_at = ?, error = NULL "
                f"WHERE id = ? AND worker = ? AND status = {PROCESSING}",
                self.inbox.clock.ms(),
                row.id,
                worker,
            )
        self.metrics.handled.labels(row.kind, "ok").inc()
        if ctx.pending:
            self.on_outbox()

    async def _keep_lease(self, row_id: int, worker: str) -> None:
        # A voice note can take longer than a lease; renewing keeps others from taking it over.
        interval = max(self.settings.lease_seconds / 3, 0.05)
        while True:
            await asyncio.sleep(interval)
            try:
                await self.inbox.renew(row_id, worker, self.settings.lease_seconds)
            except Exception:
                log.exception("lease renewal failed", extra={"inbox_id": row_id})

    async def _failed(self, worker: str, row: InboxRow, ctx: Context, exc: Exception) -> None:
        error = f"{type(exc).__name__}: {exc}"
        if row.attempts < self.settings.max_attempts:
            await self.inbox.retry_later(row.id, worker, min(2.0**row.attempts, 60.0), error)
            return
        await self.inbox.bury(row.id, worker, error)
        apology = OutgoingMessage(ctx.origin, Text(FAILED_REPLY), f"in{row.id}:failed")
        await self.outbox.add([apology])
        self.on_outbox()
