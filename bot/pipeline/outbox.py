"""The outbox: every reply is a row first, so a crash between deciding and sending loses nothing.

Rows carry a unique dedupe key derived from what caused them (inbox row + sequence), so a handler
that runs twice after a crash queues each reply once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.clock import Clock
from bot.replies import Reply, reply_from_json, reply_to_json
from storage.db import Database, Tx

PENDING, SENDING, SENT, DEAD, MERGED = 0, 1, 2, 3, 4
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
)


@dataclass(frozen=True)
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

    @property
    def reply(self) -> Reply:
        return reply_from_json(self.kind, self.payload)


class Outbox:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def add(self, messages: Sequence[OutgoingMessage], tx: Tx | None = None) -> None:
        if not messages:
            return
        now = self.clock.ms()
        marks = "(" + ",".join("?" * len(_COLUMNS)) + ")"
        sql = (
            f"INSERT INTO outbox ({','.join(_COLUMNS)}) VALUES {','.join([marks] * len(messages))} "
            "ON CONFLICT (dedupe_key) DO NOTHING"
        )
        args: list[object] = []
        for m in messages:
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
            ]
        await (tx or self.db).execute(sql, *args)

    async def claim(self, worker_lease_s: float, limit: int) -> list[OutboxRow]:
        """Due rows, at most the oldest unfinished one per recipient (messages stay in order)."""
        now = self.clock.ms()
        lock = " FOR UPDATE SKIP LOCKED" if self.db.dialect == "postgres" else ""
        sql = f"""
            UPDATE outbox SET status = {SENDING}, lease_until = ?, attempts = attempts + 1
            WHERE id IN (
                SELECT o.id FROM outbox o
                WHERE ((o.status = {PENDING} AND o.available_at <= ?)
                       OR (o.status = {SENDING} AND o.lease_until < ?))
                  AND NOT EXISTS (
                      SELECT 1 FROM outbox p
                      WHERE p.platform = o.platform AND p.app = o.app
                        AND p.recipient = o.recipient AND p.id < o.id
                        AND p.status IN ({PENDING}, {SENDING}))
                ORDER BY o.id LIMIT ?{lock})
              AND status IN ({PENDING}, {SENDING})
            RETURNING id, platform, app, recipient, kind, payload, attempts"""
        rows = await self.db.fetch(sql, now + int(worker_lease_s * 1000), now, now, limit)
        return sorted(
            (
                OutboxRow(
                    r["id"],
                    Address(r["platform"], r["app"], r["recipient"]),
                    r["kind"],
                    r["payload"],
                    r["attempts"],
                )
                for r in rows
            ),
            key=lambda r: r.id,
        )

    async def mark_sent(self, row_id: int) -> None:
        await self.db.execute(
            f"UPDATE outbox SET status = {SENT}, sent_at = ?, error = NULL WHERE id = ?",
            self.clock.ms(),
            row_id,
        )

    async def retry_at(self, row_id: int, when_ms: int, error: str, *, count: bool = True) -> None:
        # A throttled row was not attempted: give its attempt back so it cannot die of waiting.
        undo = "" if count else ", attempts = attempts - 1"
        await self.db.execute(
            f"UPDATE outbox SET status = {PENDING}, available_at = ?, error = ?{undo} WHERE id = ?",
            when_ms,
            error[:2000],
            row_id,
        )

    async def bury(self, row_id: int, error: str) -> None:
        await self.db.execute(
            f"UPDATE outbox SET status = {DEAD}, error = ? WHERE id = ?", error[:2000], row_id
        )

    async def sent_since(self, address: Address, since_ms: int) -> list[int]:
        """Send times to one recipient since ``since_ms``, oldest first (for rate windows)."""
        rows = await self.db.fetch(
            "SELECT sent_at FROM outbox WHERE platform = ? AND app = ? AND recipient = ? "
            f"AND status = {SENT} AND sent_at > ? ORDER BY sent_at",
            address.platform,
            address.app,
            address.recipient,
            since_ms,
        )
        return [int(r["sent_at"]) for r in rows]

    async def queued_for(
        self, address: Address, after_id: int, kinds: Sequence[str]
    ) -> list[OutboxRow]:
        rows = await self.db.fetch(
            "SELECT id, kind, payload, attempts FROM outbox WHERE platform = ? AND app = ? "
            f"AND recipient = ? AND status = {PENDING} AND id > ? ORDER BY id",
            address.platform,
            address.app,
            address.recipient,
            after_id,
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
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE outbox SET kind = ?, payload = ? WHERE id = ?", kind, payload, row_id
            )
            for mid in merged_ids:
                await tx.execute(
                    f"UPDATE outbox SET status = {MERGED}, sent_at = NULL, error = ? WHERE id = ?",
                    f"merged into {row_id}",
                    mid,
                )
