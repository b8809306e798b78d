"""The inbox: events persisted before the platform is answered, then claimed by workers.

``put`` group-commits: callbacks arriving while one INSERT is in flight are written together by
the next one, so a burst costs one transaction per batch instead of one per request, and a lone
callback still waits for nothing but its own write. It runs on the database's ``ingress`` lane,
so an acknowledgement never queues behind a worker's or a handler's statements.

Claiming has two shapes. ``claim_users`` takes the *head* of named users (their oldest unfinished
row, if it is runnable): a few index seeks whatever the backlog, which is what workers use for the
users they know about — those whose messages this process just stored, and the user whose row
they just finished. ``claim`` scans the oldest pending rows for anything runnable: the fallback
that finds rows stored by another replica, leases that lapsed and retries that fell due. Its scan
is bounded, so a backlog of one user's thousands of rows (each waiting behind the one before)
costs the same as an empty inbox.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.clock import Clock
from bot.events import Event, JobEvent
from bot.metrics import Metrics
from bot.pipeline.claims import PENDING as CLAIM_PENDING
from bot.pipeline.claims import TAKEN, take_step
from bot.pipeline.edge import UserRateLimit
from bot.pipeline.hints import Hints
from bot.requestid import new_request_id
from storage.db import Database, Step

log = logging.getLogger(__name__)

PENDING, PROCESSING, DONE, DEAD = CLAIM_PENDING, TAKEN, 2, 3
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
    "request_id",
)
MAX_BATCH = 200  # 12 columns each: well under SQLite's 32766 bound parameters
SCAN_WINDOW = 1000  # pending rows a fallback claim looks at, oldest first
_RETURNED = (
    "id", "platform", "app", "kind", "payload", "attempts", "user_key", "worker", "request_id",
)  # fmt: skip
_RUNNABLE = (
    f"((i.status = {PENDING} AND i.available_at <= ?) "
    f"OR (i.status = {PROCESSING} AND i.lease_until < ?))"
)
# No earlier unfinished row of the same user. One probe per status: each is a single seek on
# (user_key, status, id), where ``status IN (…)`` makes PostgreSQL walk an array scan.
_FIRST = " AND ".join(
    f"""NOT EXISTS (SELECT 1 FROM inbox j
        WHERE j.user_key = i.user_key AND j.status = {status} AND j.id < i.id)"""
    for status in (PENDING, PROCESSING)
)


@dataclass(frozen=True)
class InboxRow:
    id: int
    platform: str
    app: str
    kind: str
    payload: str
    attempts: int
    user_key: str = ""
    worker: str = ""  # the claim's token: completions and renewals must present it
    request_id: str | None = None


class IngressPressure:
    """How hard callbacks are arriving: an exponentially decaying rate of inbox writes.

    Each stored event adds ``ln 2 / half_life`` to the rate, which halves every ``half_life``
    seconds, so a steady stream of r events per second reads as r and the reading falls back
    within a few half-lives once the stream stops. Background work asks ``hot()`` to decide
    whether to step back and leave the event loop to the acknowledgements.
    """

    def __init__(
        self,
        *,
        hot_rate: float = 200.0,
        half_life_s: float = 0.1,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.hot_rate = hot_rate
        self.half_life_s = half_life_s
        self._now = now
        self._rate = 0.0
        self._at = now()
        self._unit = math.log(2) / half_life_s

    def _decayed(self, now: float) -> float:
        return self._rate * 2.0 ** (-(now - self._at) / self.half_life_s)

    def note(self, n: int = 1) -> None:
        now = self._now()
        self._rate = self._decayed(now) + n * self._unit
        self._at = now

    def rate(self) -> float:
        return self._decayed(self._now())

    def hot(self) -> bool:
        return self.rate() >= self.hot_rate

    def cools_in(self) -> float:
        """Seconds until the rate drops below ``hot_rate`` if nothing more arrives."""
        rate = self.rate()
        if rate < self.hot_rate:
            return 0.0
        return self.half_life_s * math.log2(rate / self.hot_rate)


@dataclass
class _Completion:
    row_id: int
    worker: str
    steps: Sequence[Step]
    follow: str | None  # the user whose next row to claim in the same transaction
    next_worker: str
    lease_s: float
    fut: asyncio.Future[InboxRow | None] = field(repr=False)


def _log_received(rows: Sequence[tuple[Any, ...]]) -> None:
    """One line per stored batch, not per callback: during a burst a line per message would cost
    the acknowledgements a third of their speed (a JSON line with its redaction is ~35 µs)."""
    # A scheduler tick every minute is not news: operators read its run in `salesbot jobs list`.
    rows = [r for r in rows if r[4] != JobEvent.kind]
    if not rows:
        return
    if len(rows) == 1:
        log.info("event received", extra={"request_id": rows[0][-1], "kind": rows[0][4]})
        return
    ids = ",".join(str(r[-1]) for r in rows)
    log.info("events received", extra={"count": len(rows), "request_ids": ids})


class Inbox:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        metrics: Metrics | None = None,
        on_new: Callable[[], None] | None = None,
        pressure: IngressPressure | None = None,
        limit: UserRateLimit | None = None,
    ) -> None:
        self.db = db
        self.limit = limit
        self.clock = clock
        self.metrics = metrics
        self.on_new = on_new
        self.pressure = pressure or IngressPressure()
        self._queue: list[tuple[tuple[Any, ...], asyncio.Future[bool]]] = []
        self._flusher: asyncio.Task[None] | None = None
        self._done: list[_Completion] = []
        self._completer: asyncio.Task[None] | None = None
        self.hints: Hints[str] = Hints()  # users with rows stored or handed back
        self._counters: dict[tuple[str, str], Any] = {}  # metric children, looked up once

    # ------------------------------------------------------------------ storing
    async def put(self, event: Event) -> bool:
        """Persist ``event``; True if new, False if its dedupe key was already stored (or its
        sender is over the per-user cap: acknowledged, counted, not stored)."""
        self.pressure.note()
        now = self.clock.ms()
        if self.limit is not None and not self.limit.allow(event.user_key, now):
            if self.metrics is not None:
                self.metrics.rejected.labels(event.platform, "rate_limited").inc()
            return False
        # The edge names the request; its log lines and every later one carry the id.
        request_id = new_request_id()
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
            request_id,
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
            stored: list[tuple[Any, ...]] = []
            for row, fut in batch:
                key = (row[0], row[2])
                is_new = key in inserted and key not in seen
                seen.add(key)
                if is_new:
                    self.hints.add([row[3]])
                    stored.append(row)
                if self.metrics is not None:
                    self._count(row[0], row[4] if is_new else "")
                if not fut.done():
                    fut.set_result(is_new)
            _log_received(stored)
            if inserted and self.on_new is not None:
                self.on_new()

    def _count(self, platform: str, kind: str) -> None:
        """received{platform, kind} for a new event, duplicates{platform} for kind ''."""
        child = self._counters.get((platform, kind))
        if child is None:
            assert self.metrics is not None
            if kind:
                child = self.metrics.received.labels(platform, kind)
            else:
                child = self.metrics.duplicates.labels(platform)
            self._counters[(platform, kind)] = child
        child.inc()

    async def _insert(self, rows: Sequence[tuple[Any, ...]]) -> set[tuple[str, str]]:
        marks = "(" + ",".join("?" * len(_COLUMNS)) + ")"
        sql = (
            f"INSERT INTO inbox ({','.join(_COLUMNS)}) VALUES {','.join([marks] * len(rows))} "
            "ON CONFLICT (platform, dedupe_key) DO NOTHING RETURNING platform, dedupe_key"
        )
        args = [value for row in rows for value in row]
        result = await self.db.ingress.write(sql, *args)
        return {(r["platform"], r["dedupe_key"]) for r in result.rows}

    # ------------------------------------------------------------------ who may have work
    async def unfinished_users(self) -> list[str]:
        """Every user with a pending or processing row (a full scan: once, at start-up)."""
        rows = await self.db.pipeline.read(
            f"SELECT DISTINCT user_key FROM inbox WHERE status IN ({PENDING}, {PROCESSING})"
        )
        return [r["user_key"] for r in rows]

    # ------------------------------------------------------------------ claiming
    def _heads_sql(self, users: int) -> str:
        """The runnable heads of ``users`` user keys, oldest first, at most ``?`` of them.

        A user's head is its oldest pending-or-processing row: two index seeks on
        (user_key, status, id). Taking the minimum per status keeps each a seek; one ``IN``
        over both statuses would read the user's whole backlog.
        """
        if self.db.dialect == "postgres":
            return f"""
                SELECT i.id FROM (
                    SELECT LEAST(
                        (SELECT MIN(id) FROM inbox WHERE user_key = k.u AND status = {PENDING}),
                        (SELECT MIN(id) FROM inbox WHERE user_key = k.u AND status = {PROCESSING})
                    ) AS id FROM unnest(?::text[]) AS k(u)) h
                JOIN inbox i ON i.id = h.id
                WHERE {_RUNNABLE}
                ORDER BY i.id LIMIT ? FOR UPDATE OF i SKIP LOCKED"""
        keys = ",".join(["(?)"] * users)
        return f"""
            SELECT i.id FROM (
                SELECT min(coalesce(p, q), coalesce(q, p)) AS id FROM (SELECT
                    (SELECT MIN(id) FROM inbox WHERE user_key = k.u AND status = {PENDING}) AS p,
                    (SELECT MIN(id) FROM inbox WHERE user_key = k.u AND status = {PROCESSING}) AS q
                    FROM (SELECT column1 AS u FROM (VALUES {keys})) k)) h
            JOIN inbox i ON i.id = h.id
            WHERE {_RUNNABLE}
            ORDER BY i.id LIMIT ?"""

    def _heads_args(self, users: Sequence[str], now: int, limit: int) -> list[Any]:
        keys: list[Any] = [list(users)] if self.db.dialect == "postgres" else list(users)
        return [*keys, now, now, limit]

    def _take(
        self, ids_sql: str, ids_args: Sequence[Any], lease_until: int, worker: str, now: int
    ) -> Step:
        """The statement that claims the rows ``ids_sql`` selects, still runnable, for ``worker``."""
        return take_step(
            self.db.dialect,
            "inbox",
            ids_sql,
            ids_args,
            "lease_until = ?, worker = ?",
            [lease_until, worker],
            _RETURNED,
            now,
        )

    async def claim_users(
        self, worker: str, lease_s: float, users: Sequence[str], limit: int
    ) -> list[InboxRow]:
        """Take the runnable heads of ``users`` (at most ``limit``), oldest first."""
        if not users or limit <= 0:
            return []
        now = self.clock.ms()
        sql, args = self._take(
            self._heads_sql(len(users)),
            self._heads_args(users, now, limit),
            now + int(lease_s * 1000),
            worker,
            now,
        )
        written = await self.db.pipeline.write(sql, *args)
        return _rows(written.rows)

    async def claim(
        self, worker: str, lease_s: float, limit: int = 1, skip_users: Sequence[str] = ()
    ) -> list[InboxRow]:
        """Take up to ``limit`` runnable rows: pending and due, or processing with a lapsed lease.

        A row waits while an earlier row of the same user is unfinished, so one user's messages
        are handled in the order they arrived, across workers and replicas. ``skip_users`` are
        users the caller knows to be busy (in flight in this process). Pending rows are looked
        for among the oldest ``SCAN_WINDOW`` only: workers find newer ones through
        ``claim_users``, and the window moves on as the backlog drains.
        """
        now = self.clock.ms()
        skip = list(skip_users)
        busy = f"AND i.user_key NOT IN ({','.join('?' * len(skip))})" if skip else ""
        # Look first, then take what was found, checking again that each row is still runnable
        # (another claim may have come between). On SQLite the look takes no write lock, so the
        # ingress lane keeps writing meanwhile; on PostgreSQL the plain statements plan well
        # where one UPDATE … FOR UPDATE SKIP LOCKED around all of it did not.
        window = "MATERIALIZED " if self.db.dialect == "postgres" else ""
        ready = f"""
            WITH w AS {window}(
                SELECT id, user_key, available_at FROM inbox WHERE status = {PENDING}
                ORDER BY id LIMIT {SCAN_WINDOW})
            SELECT id FROM (SELECT i.id FROM w i
                WHERE i.available_at <= ? {busy} AND {_FIRST} ORDER BY i.id LIMIT ?) a
            UNION ALL
            SELECT id FROM (SELECT i.id FROM inbox i
                WHERE i.status = {PROCESSING} AND i.lease_until < ? {busy} AND {_FIRST}
                ORDER BY i.id LIMIT ?) b
            ORDER BY id LIMIT ?"""
        found = await self.db.pipeline.read(ready, now, *skip, limit, now, *skip, limit, limit)
        if not found:
            return []
        marks = ",".join("?" * len(found))
        ids_sql = f"SELECT i.id FROM inbox i WHERE i.id IN ({marks}) AND {_FIRST}"
        ids = [r["id"] for r in found]
        sql, args = self._take(ids_sql, ids, now + int(lease_s * 1000), worker, now)
        return _rows((await self.db.pipeline.write(sql, *args)).rows)

    # ------------------------------------------------------------------ finishing
    async def complete(
        self,
        row_id: int,
        worker: str,
        steps: Sequence[Step] = (),
        *,
        follow: str | None = None,
        next_worker: str = "",
        lease_s: float = 60,
    ) -> InboxRow | None:
        """Mark a row done together with ``steps`` (its replies), in one transaction.

        With ``follow``, the same transaction claims that user's next runnable row for
        ``next_worker`` and returns it: a user's backlog then costs one round trip per row.
        Completions arriving together are committed together (like ``put``).
        """
        fut: asyncio.Future[InboxRow | None] = asyncio.get_running_loop().create_future()
        self._done.append(_Completion(row_id, worker, steps, follow, next_worker, lease_s, fut))
        if self._completer is None or self._completer.done():
            self._completer = asyncio.create_task(self._complete_all())
        return await fut

    async def _complete_all(self) -> None:
        while self._done:
            batch, self._done = self._done, []
            try:
                await self._commit(batch)
            except Exception as exc:
                if len(batch) == 1:
                    _fail(batch[0], exc)
                    continue
                # One completion that cannot be written (a reply the database refuses) must not
                # fail the others with it: each is tried on its own, and only it fails.
                for c in batch:
                    try:
                        await self._commit([c])
                    except Exception as one:
                        _fail(c, one)

    async def _commit(self, batch: Sequence[_Completion]) -> None:
        now = self.clock.ms()
        steps: list[Step] = [s for c in batch for s in c.steps]
        for c in batch:
            steps.append(
                (
                    f"UPDATE inbox SET status = {DONE}, done_at = ?, error = NULL "
                    f"WHERE id = ? AND worker = ? AND status = {PROCESSING}",
                    (now, c.row_id, c.worker),
                )
            )
        followers = [c for c in batch if c.follow is not None]
        follow = sorted({c.follow for c in followers if c.follow is not None})
        if follow:
            # One claim for every follower: the rows it takes share its token.
            steps.append(
                self._take(
                    self._heads_sql(len(follow)),
                    self._heads_args(follow, now, len(follow)),
                    now + int(followers[0].lease_s * 1000),
                    followers[0].next_worker,
                    now,
                )
            )
        written = await self.db.pipeline.transaction(steps)
        claimed = {r.user_key: r for r in _rows(written[-1].rows)} if follow else {}
        for c in batch:
            if not c.fut.done():
                c.fut.set_result(claimed.get(c.follow) if c.follow else None)

    async def renew(self, row_id: int, worker: str, lease_s: float) -> bool:
        return await self.renew_many([(row_id, worker)], lease_s) == 1

    async def renew_many(self, leases: Sequence[tuple[int, str]], lease_s: float) -> int:
        """Extend the leases of rows still held by their workers; returns how many were."""
        if not leases:
            return 0
        until = self.clock.ms() + int(lease_s * 1000)
        pairs = " OR ".join(["(id = ? AND worker = ?)"] * len(leases))
        written = await self.db.pipeline.write(
            f"UPDATE inbox SET lease_until = ? WHERE status = {PROCESSING} AND ({pairs}) "
            "RETURNING id",
            until,
            *(v for lease in leases for v in lease),
        )
        return written.count

    async def release(self, row_id: int, worker: str) -> None:
        """Give back a row claimed but never started (its attempt does not count)."""
        await self.db.pipeline.write(
            f"UPDATE inbox SET status = {PENDING}, worker = NULL, attempts = attempts - 1 "
            f"WHERE id = ? AND worker = ? AND status = {PROCESSING}",
            row_id,
            worker,
        )

    async def retry_later(self, row_id: int, worker: str, delay_s: float, error: str) -> None:
        await self.db.pipeline.write(
            f"UPDATE inbox SET status = {PENDING}, available_at = ?, error = ?, worker = NULL "
            f"WHERE id = ? AND worker = ? AND status = {PROCESSING}",  # never undo a completion
            self.clock.ms() + int(delay_s * 1000),
            error[:2000],
            row_id,
            worker,
        )

    async def bury(self, row_id: int, worker: str, error: str) -> None:
        await self.db.pipeline.write(
            f"UPDATE inbox SET status = {DEAD}, done_at = ?, error = ? "
            f"WHERE id = ? AND worker = ? AND status = {PROCESSING}",
            self.clock.ms(),
            error[:2000],
            row_id,
            worker,
        )

    async def backlog(self) -> int:
        rows = await self.db.pipeline.read(
            f"SELECT COUNT(*) AS n FROM inbox WHERE status IN ({PENDING}, {PROCESSING})"
        )
        return int(rows[0]["n"])


def _rows(rows: Iterable[dict[str, Any]]) -> list[InboxRow]:
    return sorted((InboxRow(**r) for r in rows), key=lambda r: r.id)


def _fail(completion: _Completion, exc: BaseException) -> None:
    if not completion.fut.done():
        completion.fut.set_exception(exc)
