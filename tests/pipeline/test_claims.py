"""Claiming without scanning: heads of named users, completion that claims the next row, bounded
fallback scans, and the database lanes the pipeline writes through."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime

import pytest
from tortoise.exceptions import TransactionManagementError

from bot.clock import ManualClock
from bot.events import TextEvent
from bot.pipeline.inbox import DONE, PROCESSING, SCAN_WINDOW, Inbox
from bot.pipeline.outbox import Address, Outbox, OutgoingMessage
from bot.replies import Text
from storage.db import Database, sqlite_path
from storage.models import AuditLog

T0 = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


def text(user: str, n: int, clock: ManualClock) -> TextEvent:
    return TextEvent(
        platform="test",
        app="test",
        user_id=user,
        msg_id=f"{user}-{n}",
        dedupe_key=f"{user}-{n}",
        time=clock.now(),
        text=f"{user} {n}",
    )


def key(user: str) -> str:
    return f"test:test:{user}"


async def test_claim_users_takes_only_each_users_oldest_unfinished_row(db: Database) -> None:
    clock = ManualClock(T0)
    inbox = Inbox(db, clock)
    for n in range(3):
        for user in ("a", "b"):
            await inbox.put(text(user, n, clock))
    rows = await inbox.claim_users("w1", 30, [key("a"), key("b"), key("nobody")], limit=10)
    assert [(r.user_key, r.payload.count(" 0")) for r in rows] == [(key("a"), 1), (key("b"), 1)]
    assert {r.worker for r in rows} == {"w1"}
    # Their heads are in flight: nothing else of theirs is runnable, however often one asks.
    assert await inbox.claim_users("w2", 30, [key("a"), key("b")], limit=10) == []
    assert await inbox.claim("w2", 30, limit=10) == []
    # The limit is a limit (on PostgreSQL too, where a careless UPDATE … IN (… LIMIT … SKIP
    # LOCKED) takes more).
    for user in ("c", "d", "e"):
        await inbox.put(text(user, 0, clock))
    taken = await inbox.claim_users("w3", 30, [key("c"), key("d"), key("e")], limit=2)
    assert len(taken) == 2


async def test_completing_a_row_claims_the_users_next_one_in_the_same_transaction(
    db: Database,
) -> None:
    clock = ManualClock(T0)
    inbox = Inbox(db, clock)
    outbox = Outbox(db, clock)
    for n in range(3):
        await inbox.put(text("a", n, clock))
    [first] = await inbox.claim_users("w1", 30, [key("a")], limit=1)
    reply = OutgoingMessage(Address("test", "test", "a"), Text("收到"), f"in{first.id}:1")
    nxt = await inbox.complete(
        first.id, "w1", outbox.insert_steps([reply]), follow=key("a"), next_worker="w2"
    )
    assert nxt is not None and nxt.id > first.id and nxt.worker == "w2" and nxt.attempts == 1
    statuses = {r["id"]: r["status"] for r in await db.fetch("SELECT id, status FROM inbox")}
    assert statuses[first.id] == DONE and statuses[nxt.id] == PROCESSING
    assert [r["dedupe_key"] for r in await db.fetch("SELECT dedupe_key FROM outbox")] == [
        f"in{first.id}:1"
    ]
    assert not outbox.hints  # building the steps commits nothing: the worker hints after commit
    # The first claimer's token is spent: it can neither renew nor complete the next row.
    assert not await inbox.renew(nxt.id, "w1", 30)
    assert await inbox.renew(nxt.id, "w2", 30)
    # Completing without follow claims nothing; the last row leaves nothing to follow.
    last = await inbox.complete(nxt.id, "w2", follow=key("a"), next_worker="w3")
    assert last is not None
    assert await inbox.complete(last.id, "w3", follow=key("a"), next_worker="w4") is None
    assert await inbox.backlog() == 0


async def test_concurrent_completions_are_committed_together(db: Database) -> None:
    clock = ManualClock(T0)
    inbox = Inbox(db, clock)
    users = [f"u{i}" for i in range(6)]
    for n in range(2):
        for user in users:
            await inbox.put(text(user, n, clock))
    heads = await inbox.claim_users("w1", 30, [key(u) for u in users], limit=10)
    assert len(heads) == 6
    nexts = await asyncio.gather(
        *(inbox.complete(r.id, "w1", follow=r.user_key, next_worker="w2") for r in heads)
    )
    assert [n.user_key if n else None for n in nexts] == [r.user_key for r in heads]
    assert {n.worker for n in nexts if n} == {"w2"}


async def test_one_completion_the_database_refuses_does_not_fail_the_others(
    db: Database,
) -> None:
    clock = ManualClock(T0)
    inbox = Inbox(db, clock)
    users = ["good1", "bad", "good2"]
    for user in users:
        await inbox.put(text(user, 0, clock))
    heads = await inbox.claim_users("w1", 30, [key(u) for u in users], limit=10)
    refused = ("INSERT INTO inbox (id, platform) VALUES (?, ?)", (1, "x"))  # violates NOT NULL
    results = await asyncio.gather(
        *(inbox.complete(r.id, "w1", [refused] if r.user_key == key("bad") else []) for r in heads),
        return_exceptions=True,
    )
    failed = [
        r.user_key for r, out in zip(heads, results, strict=True) if isinstance(out, Exception)
    ]
    assert failed == [key("bad")]
    statuses = {
        r["user_key"]: r["status"] for r in await db.fetch("SELECT user_key, status FROM inbox")
    }
    assert statuses == {key("good1"): DONE, key("bad"): PROCESSING, key("good2"): DONE}


async def test_the_fallback_scan_is_bounded_and_claim_users_finds_what_it_leaves(
    db: Database,
) -> None:
    """One user's long backlog (each row waiting behind the one before) costs the scan a
    window's worth of rows, not the backlog; rows beyond it are found by user."""
    clock = ManualClock(T0)
    inbox = Inbox(db, clock)
    await asyncio.gather(*(inbox.put(text("busy", n, clock)) for n in range(SCAN_WINDOW + 50)))
    await inbox.put(text("late", 0, clock))
    [head] = await inbox.claim("w1", 30, limit=5)
    assert head.user_key == key("busy")
    assert await inbox.claim("w1", 30, limit=5) == []  # "late" is beyond the window
    [late] = await inbox.claim_users("w1", 30, [key("late")], limit=5)
    assert late.user_key == key("late")
    # A lapsed lease is found by the scan whatever the backlog.
    clock.advance(31)
    again = await inbox.claim("w2", 30, limit=5)
    assert {r.id for r in again} == {head.id, late.id} and {r.attempts for r in again} == {2}


async def test_users_with_waiting_rows_are_listed_for_a_restart(db: Database) -> None:
    clock = ManualClock(T0)
    inbox = Inbox(db, clock)
    for user in ("a", "b"):
        await inbox.put(text(user, 0, clock))
    [row] = await inbox.claim_users("w1", 30, [key("a")], limit=1)
    await inbox.complete(row.id, "w1")
    assert await inbox.unfinished_users() == [key("b")]


async def test_an_orm_transaction_that_reads_then_writes_survives_ingress_writes(
    sqlite_url: str,
) -> None:
    """The lanes are connections of their own. On SQLite a deferred transaction that has read
    would fail at its first write if a lane wrote meanwhile (its snapshot went stale); the
    ORM's transactions take the write lock up front instead, and the lane waits its turn."""
    # PostgreSQL's row locks do not have this problem: SQLite only.
    db = Database(sqlite_url)
    await db.open()
    try:
        await _read_then_write_beside_ingress(db)
    finally:
        await db.close()


async def _read_then_write_beside_ingress(db: Database) -> None:
    clock = ManualClock(T0)
    inbox = Inbox(db, clock)
    async with db.transaction() as tx:
        await tx.fetch("SELECT COUNT(*) AS n FROM inbox")
        put = asyncio.create_task(inbox.put(text("a", 0, clock)))
        with pytest.raises(TimeoutError):  # the ingress lane waits for this transaction
            await asyncio.wait_for(asyncio.shield(put), 0.2)
        await AuditLog.create(at=T0, actor="test", action="probe", subject_type="t", subject_id="1")
    assert await asyncio.wait_for(put, 10)
    assert await inbox.backlog() == 1


async def test_lanes_run_a_transaction_all_or_nothing(db: Database) -> None:
    clock = ManualClock(T0)
    inbox = Inbox(db, clock)
    await inbox.put(text("a", 0, clock))
    with pytest.raises(Exception):  # noqa: B017 - the driver's own IntegrityError
        await db.pipeline.transaction(
            [
                ("UPDATE inbox SET status = ? WHERE user_key = ?", (DONE, key("a"))),
                ("INSERT INTO inbox (id, platform) VALUES (?, ?)", (1, "x")),  # violates NOT NULL
            ]
        )
    assert await inbox.backlog() == 1


async def test_a_transaction_that_cannot_begin_leaves_the_orm_usable(sqlite_url: str) -> None:
    """BEGIN IMMEDIATE fails when another process holds the write lock past the busy timeout;
    the ORM must give back its connection lock, or every later query would hang."""
    db = Database(sqlite_url)
    await db.open()
    other = sqlite3.connect(sqlite_path(sqlite_url), isolation_level=None)
    try:
        await db.execute("PRAGMA busy_timeout=50")  # a short wait keeps the test quick
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(TransactionManagementError):
            async with db.transaction() as tx:
                await tx.execute("SELECT 1")
        other.execute("ROLLBACK")
        assert await asyncio.wait_for(db.fetch("SELECT 1 AS one"), 5) == [{"one": 1}]
        async with db.transaction() as tx:  # and transactions work again
            await AuditLog.create(
                at=T0, actor="t", action="probe", subject_type="t", subject_id="1"
            )
        assert await AuditLog.all().count() == 1
    finally:
        other.close()
        await db.close()


async def test_a_late_failure_report_never_undoes_a_completion(db: Database) -> None:
    """A completion that committed but whose answer was lost is reported as failed; the retry
    and the burial that follow must leave the finished row finished."""
    clock = ManualClock(T0)
    inbox = Inbox(db, clock)
    await inbox.put(text("a", 0, clock))
    [row] = await inbox.claim_users("w1", 30, [key("a")], limit=1)
    await inbox.complete(row.id, "w1")
    await inbox.retry_later(row.id, "w1", 1, "the answer was lost")
    await inbox.bury(row.id, "w1", "the answer was lost")
    [after] = await db.fetch("SELECT status, error FROM inbox")
    assert after == {"status": DONE, "error": None}
