"""The inbox: events persisted before the platform is answered, then claimed by workers.

``put`` group-commits: callbacks arriving while one INSERT is in flight are written together by
the next one, so a burst costs one transaction per batch instead of one per request, and a lone
callback still waits for nothing but its own write.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.clock import Clock
from bot.events import Event
from bot.metrics import Metrics
from storage.db import Database

log = logging.getLogger(__name__)

PENDING, PROCESSING, DONE, DEAD = 0, 1, 2, 3
_COLUMNS = (
    "platform",
    "app",
    "dedupe_key",
    "user_key",
    "kind",
    "payload",
    "status",
    "attempts",
    "available_at",
    "lease_until",
    "received_at",
)
MAX_BATCH = 200  # 11 columns each: well under SQLite's 32766 bound parameters


@dataclass(frozen=True)
class InboxRow:
    id: int
    platform: str
    app: str
    kind: str
    payload: str
    attempts: int


class Inbox:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        metrics: Metrics | None = None,
        on_new: Callable[[], None] | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.metrics = metrics
        self.on_new = on_new
        self._queue: list[tuple[tuple[Any, ...], asyncio.Future[bool]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def put(self, event: Event) -> bool:
        """Persist ``event``; True if new, False if its dedupe key was already stored."""
        now = self.clock.ms()
        row = (
            event.platform,
            event.app,
            event.dedupe_key,
            event.user_key,
            event.kind,
            event.to_json(),
            PENDING,
            0,
            now,
            0,
            now,
        )
        fut: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._queue.append((row, fut))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await fut

    async def _flush(self) -> None:
        while self._queue:
            batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
            try:
                inserted = await self._insert([row for row, _ in batch])
            except Exception as exc:  # every waiting callback must hear about the failure
                for _, fut in batch:
                    if not fut.done():
                        fut.set_exception(exc)
                continue
            seen: set[tuple[str, str]] = set()
            for row, fut in batch:
                key = (row[0], row[2])
                is_new = key in inserted and key not in seen
                seen.add(key)
                if self.metrics is not None:
                    if is_new:
                        self.metrics.received.labels(row[0], row[4]).inc()
                    else:
                        self.metrics.duplicates.labels(row[0]).inc()
                if not fut.done():
                    fut.set_result(is_new)
            if inserted and self.on_new is not None:
                self.on_new()

    async def _insert(self, rows: Sequence[tuple[Any, ...]]) -> set[tuple[str, str]]:
        marks = "(" + ",".join("?" * len(_COLUMNS)) + ")"
        sql = (
            f"INSERT INTO inbox ({','.join(_COLUMNS)}) VALUES {','.join([marks] * len(rows))} "
            "ON CONFLICT (platform, dedupe_key) DO NOTHING RETURNING platform, dedupe_key"
        )
        args = [value for row in rows for value in row]
        result = await self.db.fetch(sql, *args)
        return {(r["platform"], r["dedupe_key"]) for r in result}

    async def claim(
        self, worker: str, lease_s: float, limit: int = 1, skip_users: Sequence[str] = ()
    ) -> list[InboxRow]:
        """Take up to ``limit`` runnable rows: pending and due, or processing with a lapsed lease.

        A row waits while an earlier row of the same user is unfinished, so one user's messages
        are handled in the order they arrived, across workers and replicas. ``skip_users`` are
        users the caller knows to be busy (in flight in this process): their rows are passed
        over by a plain comparison instead of one ordering probe per row, which keeps a claim
        cheap while one user's backlog is thousands of rows long.
        """
        now = self.clock.ms()
        skip = list(skip_users)
        busy = f"AND i.user_key NOT IN ({','.join('?' * len(skip))})" if skip else ""
        first = f"""NOT EXISTS (
                      SELECT 1 FROM inbox j
                      WHERE j.user_key = i.user_key AND j.id < i.id
                        AND j.status IN ({PENDING}, {PROCESSING}))"""
        if self.db.dialect == "postgres":
            ready = f"""
                SELECT i.id FROM inbox i
                WHERE ((i.status = {PENDING} AND i.available_at <= ?)
                       OR (i.status = {PROCESSING} AND i.lease_until < ?))
                  {busy} AND {first}
                ORDER BY i.id LIMIT ? FOR UPDATE SKIP LOCKED"""
            args: list[Any] = [now, now, *skip, limit]
        else:
            # SQLite plans the OR above as two index lookups merged and sorted: every claim
            # would read the whole backlog. Two id-ordered scans stop at the first runnable row.
            ready = f"""
                SELECT id FROM (SELECT i.id FROM inbox i
                    WHERE i.status = {PENDING} AND i.available_at <= ? {busy} AND {first}
                    ORDER BY i.id LIMIT ?)
                UNION ALL
                SELECT id FROM (SELECT i.id FROM inbox i
                    WHERE i.status = {PROCESSING} AND i.lease_until < ? {busy} AND {first}
                    ORDER BY i.id LIMIT ?)
                ORDER BY id LIMIT ?"""
            args = [now, *skip, limit, now, *skip, limit, limit]
        sql = f"""
            UPDATE inbox SET status = {PROCESSING}, lease_until = ?, worker = ?,
                   attempts = attempts + 1
            WHERE id IN ({ready})
              AND status IN ({PENDING}, {PROCESSING})
            RETURNING id, platform, app, kind, payload, attempts"""
        rows = await self.db.fetch(sql, now + int(lease_s * 1000), worker, *args)
        return sorted((InboxRow(**r) for r in rows), key=lambda r: r.id)

    async def renew(self, row_id: int, worker: str, lease_s: float) -> bool:
        until = self.clock.ms() + int(lease_s * 1000)
        count = await self.db.execute(
            f"UPDATE inbox SET lease_until = ? WHERE id = ? AND worker = ? AND status = {PROCESSING}",
            until,
            row_id,
            worker,
        )
        return count == 1

    async def retry_later(self, row_id: int, worker: str, delay_s: float, error: str) -> None:
        await self.db.execute(
            f"UPDATE inbox SET status = {PENDING}, available_at = ?, error = ?, worker = NULL "
            "WHERE id = ? AND worker = ?",
            self.clock.ms() + int(delay_s * 1000),
            error[:2000],
            row_id,
            worker,
        )

    async def bury(self, row_id: int, worker: str, error: str) -> None:
        await self.db.execute(
            f"UPDATE inbox SET status = {DEAD}, done_at = ?, error = ? WHERE id = ? AND worker = ?",
            self.clock.ms(),
            error[:2000],
            row_id,
            worker,
        )

    async def backlog(self) -> int:
        rows = await self.db.fetch(
            f"SELECT COUNT(*) AS n FROM inbox WHERE status IN ({PENDING}, {PROCESSING})"
        )
        return int(rows[0]["n"])
