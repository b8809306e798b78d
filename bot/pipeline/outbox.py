"""The outbox: every reply is a row first, so a crash between deciding and sending loses nothing.

Rows carry a unique dedupe key derived from what caused them (inbox row + sequence), so a handler
that runs twice after a crash queues each reply once.

Like the inbox, the outbox is claimed in two shapes: the heads of named recipients (the sender
knows whom replies were just queued for: a few index seeks), and a bounded scan of the oldest due
rows as the fallback. Neither reads a recipient's whole queue, however long the rate limit has
made it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.clock import Clock
from bot.pipeline.claims import PENDING as CLAIM_PENDING
from bot.pipeline.claims import TAKEN, take_step
from bot.pipeline.hints import Hints
from bot.replies import Reply, reply_from_json, reply_to_json
from bot.requestid import REQUEST_ID
from storage.db import Database, Step, Tx

PENDING, SENDING, SENT, DEAD, MERGED = CLAIM_PENDING, TAKEN, 2, 3, 4
# What a row waits with instead of a platform error: a rate window held it back (a hold, not a
# failure), or its platform is down and it waits for the probe (the probe's row has the error).
RATE_HOLD = "held back by the rate limit"
CIRCUIT_HOLD = "platform down, waiting for a probe"
_COLUMNS = (
    "dedupe_key",
    "platform",
    "app",
    "recipient",
    "kind",
    "payload",
    "status",
    "attempts",
    "available_at",
    "lease_until",
    "created_at",
    "request_id",
)
MAX_BATCH = 200  # 12 columns each: well under SQLite's 32766 bound parameters
SCAN_WINDOW = 1000  # due rows a fallback claim looks at, oldest first
_RETURNED = (
    "id",
    "platform",
    "app",
    "recipient",
    "kind",
    "payload",
    "attempts",
    "request_id",
    "created_at",
)
_RUNNABLE = (
    f"((o.status = {PENDING} AND o.available_at <= ?) "
    f"OR (o.status = {SENDING} AND o.lease_until < ?))"
)
# No earlier unfinished row for the same recipient: one seek per status (see the inbox's).
_FIRST = " AND ".join(
    f"""NOT EXISTS (SELECT 1 FROM outbox p
        WHERE p.platform = o.platform AND p.app = o.app AND p.recipient = o.recipient
          AND p.status = {status} AND p.id < o.id)"""
    for status in (PENDING, SENDING)
)


@dataclass(frozen=True, order=True)
class Address:
    platform: str
    app: str
    recipient: str


@dataclass(frozen=True)
class OutgoingMessage:
    address: Address
    reply: Reply
    dedupe_key: str


@dataclass(frozen=True)
class OutboxRow:
    id: int
    address: Address
    kind: str
    payload: str
    attempts: int
    request_id: str | None = None
    created_at: int = 0  # ms; when it was queued (or re-queued by `salesbot outbox retry`)

    @property
    def reply(self) -> Reply:
        return reply_from_json(self.kind, self.payload)


class Outbox:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self.hints: Hints[Address] = Hints()  # recipients with rows queued

    def insert_steps(self, messages: Sequence[OutgoingMessage]) -> list[Step]:
        """The INSERTs that queue ``messages`` (for a caller's own transaction)."""
        now = self.clock.ms()
        request_id = REQUEST_ID.get()  # the handled message's, when a worker queues replies
        steps: list[Step] = []
        marks = "(" + ",".join("?" * len(_COLUMNS)) + ")"
        for start in range(0, len(messages), MAX_BATCH):
            chunk = messages[start : start + MAX_BATCH]
            sql = (
                f"INSERT INTO outbox ({','.join(_COLUMNS)}) "
                f"VALUES {','.join([marks] * len(chunk))} ON CONFLICT (dedupe_key) DO NOTHING"
            )
            args: list[object] = []
            for m in chunk:
                a = m.address
                args += [
                    m.dedupe_key,
                    a.platform,
                    a.app,
                    a.recipient,
                    m.reply.kind,
                    reply_to_json(m.reply),
                    PENDING,
                    0,
                    now,
                    0,
                    now,
                    request_id,
                ]
            steps.append((sql, args))
        return steps

    async def add(self, messages: Sequence[OutgoingMessage], tx: Tx | None = None) -> None:
        """Queue ``messages``; with ``tx`` the caller hints the sender once it has committed."""
        for sql, args in self.insert_steps(messages):
            await (tx or self.db).execute(sql, *args)
        if tx is None:
            self.hints.add(m.address for m in messages)

    # ------------------------------------------------------------------ who may have mail
    async def unfinished_recipients(self) -> list[Address]:
        """Every recipient with mail pending or being sent (a full scan: once, at start-up)."""
        rows = await self.db.pipeline.read(
            "SELECT DISTINCT platform, app, recipient FROM outbox "
            f"WHERE status IN ({PENDING}, {SENDING})"
        )
        return [Address(r["platform"], r["app"], r["recipient"]) for r in rows]

    async def next_due(self, addresses: Sequence[Address]) -> dict[Address, int]:
        """When each recipient's oldest unfinished row can next be taken (clock ms).

        A pending row when it falls due, one being sent when its lease lapses; recipients with
        nothing unfinished are left out. Two index seeks per recipient.
        """
        out: dict[Address, int] = {}
        head = (
            "(SELECT MIN(id) FROM outbox WHERE platform = ? AND app = ? AND recipient = ? "
            "AND status = {})"
        )
        x, y = head.format(PENDING), head.format(SENDING)
        first = (
            f"LEAST({x}, {y})"
            if self.db.dialect == "postgres"
            else f"min(coalesce({x}, {y}), coalesce({y}, {x}))"
        )
        for a in addresses:
            key = (a.platform, a.app, a.recipient)
            keys = key * 2 if self.db.dialect == "postgres" else key * 4
            rows = await self.db.pipeline.read(
                f"SELECT status, available_at, lease_until FROM outbox WHERE id = {first}", *keys
            )
            if rows:
                r = rows[0]
                out[a] = int(r["available_at"] if r["status"] == PENDING else r["lease_until"] + 1)
        return out

    # ------------------------------------------------------------------ claiming
    async def claim_recipients(
        self, worker_lease_s: float, addresses: Sequence[Address], limit: int
    ) -> list[OutboxRow]:
        """The due heads (oldest unfinished row) of ``addresses``, at most ``limit``."""
        if not addresses or limit <= 0:
            return []
        now = self.clock.ms()
        head = (
            "(SELECT MIN(id) FROM outbox WHERE platform = k.p AND app = k.a "
            "AND recipient = k.r AND status = {})"
        )
        if self.db.dialect == "postgres":
            heads = f"""
                SELECT LEAST({head.format(PENDING)}, {head.format(SENDING)}) AS id
                FROM unnest(?::text[], ?::text[], ?::text[]) AS k(p, a, r)"""
            keys: list[Any] = [
                [a.platform for a in addresses],
                [a.app for a in addresses],
                [a.recipient for a in addresses],
            ]
            lock = " FOR UPDATE OF o SKIP LOCKED"
        else:
            values = ",".join(["(?, ?, ?)"] * len(addresses))
            heads = f"""
                SELECT min(coalesce(x, y), coalesce(y, x)) AS id FROM (
                    SELECT {head.format(PENDING)} AS x, {head.format(SENDING)} AS y
                    FROM (SELECT column1 AS p, column2 AS a, column3 AS r
                          FROM (VALUES {values})) k)"""
            keys = [v for a in addresses for v in (a.platform, a.app, a.recipient)]
            lock = ""
        ready = f"""
            SELECT o.id FROM ({heads}) h JOIN outbox o ON o.id = h.id
            WHERE {_RUNNABLE} ORDER BY o.id LIMIT ?{lock}"""
        return await self._take(ready, [*keys, now, now, limit], now, worker_lease_s)

    async def _take(
        self, ready: str, args: Sequence[Any], now: int, worker_lease_s: float
    ) -> list[OutboxRow]:
        """Claim the rows ``ready`` selects, if still due."""
        lease_until = now + int(worker_lease_s * 1000)
        sql, all_args = take_step(
            self.db.dialect, "outbox", ready, args, "lease_until = ?", [lease_until], _RETURNED, now
        )
        return _rows((await self.db.pipeline.write(sql, *all_args)).rows)

    async def claim(self, worker_lease_s: float, limit: int) -> list[OutboxRow]:
        """Due rows, at most the oldest unfinished one per recipient (messages stay in order).

        Only the oldest ``SCAN_WINDOW`` due rows are looked at: the sender finds the rest
        through ``claim_recipients`` as replies are queued. It looks first (without the write
        lock on SQLite), then takes what it found, checking each row again.
        """
        now = self.clock.ms()
        window = "MATERIALIZED " if self.db.dialect == "postgres" else ""
        ready = f"""
            WITH w AS {window}(
                SELECT id, platform, app, recipient FROM outbox
                WHERE status = {PENDING} AND available_at <= ?
                ORDER BY available_at, id LIMIT {SCAN_WINDOW})
            SELECT id FROM (SELECT o.id FROM w o WHERE {_FIRST} ORDER BY o.id LIMIT ?) a
            UNION ALL
            SELECT id FROM (SELECT o.id FROM outbox o
                WHERE o.status = {SENDING} AND o.lease_until < ? AND {_FIRST}
                ORDER BY o.id LIMIT ?) b
            ORDER BY id LIMIT ?"""
        found = await self.db.pipeline.read(ready, now, limit, now, limit, limit)
        if not found:
            return []
        ids = [r["id"] for r in found]
        recheck = f"""
            SELECT o.id FROM outbox o WHERE o.id IN ({",".join("?" * len(ids))}) AND {_FIRST}"""
        return await self._take(recheck, ids, now, worker_lease_s)

    async def mark_sent(self, row_id: int, messages: int = 1) -> None:
        """``messages``: how many platform messages the delivery took (rate windows count them)."""
        await self.db.pipeline.write(
            f"UPDATE outbox SET status = {SENT}, sent_at = ?, messages = ?, error = NULL "
            "WHERE id = ?",
            self.clock.ms(),
            messages,
            row_id,
        )

    async def retry_at(self, row_id: int, when_ms: int, error: str, *, count: bool = True) -> None:
        # A throttled row was not attempted: give its attempt back so it cannot die of waiting.
        undo = "" if count else ", attempts = attempts - 1"
        await self.db.pipeline.write(
            f"UPDATE outbox SET status = {PENDING}, available_at = ?, error = ?{undo} WHERE id = ?",
            when_ms,
            error[:2000],
            row_id,
        )

    async def bury(self, row_id: int, error: str) -> None:
        await self.db.pipeline.write(
            f"UPDATE outbox SET status = {DEAD}, error = ? WHERE id = ?", error[:2000], row_id
        )

    async def renew(self, row_ids: Sequence[int], lease_s: float) -> None:
        """Extend the lease on rows this process is still sending (the sender's heartbeat)."""
        if not row_ids:
            return
        marks = ",".join("?" * len(row_ids))
        await self.db.pipeline.write(
            f"UPDATE outbox SET lease_until = ? WHERE status = {SENDING} AND id IN ({marks})",
            self.clock.ms() + int(lease_s * 1000),
            *row_ids,
        )

    async def release_waiting(self, platform: str, app: str, keep: str) -> int:
        """Make every row of one platform app that waits on a failure due now (the platform is
        back); rows whose error is ``keep`` (a rate-window hold) keep their time."""
        result = await self.db.pipeline.write(
            f"UPDATE outbox SET available_at = ? WHERE status = {PENDING} AND platform = ? "
            "AND app = ? AND available_at > ? AND error IS NOT NULL AND error <> ?",
            self.clock.ms(),
            platform,
            app,
            self.clock.ms(),
            keep,
        )
        return result.count

    async def requeue(self, *, since_ms: int = 0, recipient: str | None = None) -> int:
        """Queue given-up rows again (``salesbot outbox retry``): due now, with a fresh
        give-up window. Returns how many."""
        where = f"status = {DEAD} AND created_at >= ?"
        args: list[Any] = [since_ms]
        if recipient is not None:
            where += " AND recipient = ?"
            args.append(recipient)
        now = self.clock.ms()
        result = await self.db.pipeline.write(
            f"UPDATE outbox SET status = {PENDING}, attempts = 0, available_at = ?, "
            f"created_at = ?, lease_until = 0 WHERE {where}",
            now,
            now,
            *args,
        )
        return result.count

    async def sent_since(self, address: Address, since_ms: int) -> list[int]:
        """Send times to one recipient since ``since_ms``, oldest first (for rate windows): one
        entry per platform message, so a text that went out in three parts counts three."""
        rows = await self.db.pipeline.read(
            "SELECT sent_at, messages FROM outbox WHERE platform = ? AND app = ? AND recipient = ? "
            f"AND status = {SENT} AND sent_at > ? ORDER BY sent_at",
            address.platform,
            address.app,
            address.recipient,
            since_ms,
        )
        return [int(r["sent_at"]) for r in rows for _ in range(max(int(r["messages"]), 1))]

    async def queued_for(
        self, address: Address, after_id: int, kinds: Sequence[str], limit: int = 1000
    ) -> list[OutboxRow]:
        """Up to ``limit`` rows queued behind ``after_id`` for one recipient, while mergeable."""
        rows = await self.db.pipeline.read(
            "SELECT id, kind, payload, attempts FROM outbox WHERE platform = ? AND app = ? "
            f"AND recipient = ? AND status = {PENDING} AND id > ? ORDER BY id LIMIT ?",
            address.platform,
            address.app,
            address.recipient,
            after_id,
            limit,
        )
        out: list[OutboxRow] = []
        for r in rows:  # stop at the first row that cannot merge: order must be kept
            if r["kind"] not in kinds:
                break
            out.append(OutboxRow(r["id"], address, r["kind"], r["payload"], r["attempts"]))
        return out

    async def merge_into(
        self, row_id: int, kind: str, payload: str, merged_ids: Sequence[int]
    ) -> None:
        steps: list[Step] = [
            ("UPDATE outbox SET kind = ?, payload = ? WHERE id = ?", (kind, payload, row_id))
        ]
        if merged_ids:
            marks = ",".join("?" * len(merged_ids))
            steps.append(
                (
                    f"UPDATE outbox SET status = {MERGED}, sent_at = NULL, error = ? "
                    f"WHERE id IN ({marks})",
                    (f"merged into {row_id}", *merged_ids),
                )
            )
        await self.db.pipeline.transaction(steps)


def _rows(rows: Iterable[dict[str, Any]]) -> list[OutboxRow]:
    return sorted(
        (
            OutboxRow(
                r["id"],
                Address(r["platform"], r["app"], r["recipient"]),
                r["kind"],
                r["payload"],
                r["attempts"],
                r.get("request_id"),
                int(r["created_at"]),
            )
            for r in rows
        ),
        key=lambda r: r.id,
    )
