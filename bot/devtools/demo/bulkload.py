"""Bulk writers for the generated history: one transaction of executemany on SQLite, COPY on
PostgreSQL (asyncpg ``copy_records_to_table``). Minutes for a million rows, not hours."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from bot.devtools.demo.bigseed import BigData
from storage.db import postgres_credentials

COLUMNS: dict[str, tuple[str, ...]] = {
    "teams": ("id", "name", "region", "region_name", "lead_id"),
    "people": ("id", "name", "role", "supervisor_id", "title", "updated_at", "team_id"),
    "clients": ("id", "name", "aliases", "region", "city", "industry", "source", "created_at", "updated_at", "owner_id"),
    "contacts": ("id", "name", "title", "phone", "valid", "created_by_id", "created_at", "client_id"),
    "deals": (
        "id", "title", "stage", "status", "amount", "source", "region", "product_line", "products",
        "contact_name", "stage_entered_at", "expected_close", "closed_at", "lost_reason",
        "created_at", "updated_at", "client_id", "owner_id",
    ),
    "stage_history": ("id", "from_stage", "to_stage", "changed_at", "changed_by_id", "followup_id", "deal_id"),
    "followups": (
        "id", "raw_text", "transcript", "audio", "extracted", "fields_final", "occurred_at",
        "created_at", "card_id", "client_id", "deal_id", "rep_id",
    ),
}  # fmt: skip
TABLES = ("teams", "people", "clients", "contacts", "deals", "stage_history", "followups")
LABELS = {
    "teams": "团队",
    "people": "人员",
    "clients": "客户",
    "contacts": "联系人",
    "deals": "商机",
    "stage_history": "阶段记录",
    "followups": "跟进记录",
}
CHUNK = 20_000
Progress = Callable[[str, int, int], None]


def stderr_progress(label: str, done: int, total: int) -> None:
    width = 30
    filled = width * done // max(total, 1)
    bar = "#" * filled + "." * (width - filled)
    end = "\n" if done >= total else ""
    print(f"\r写入{label:<5} [{bar}] {done:>9,}/{total:,}", end=end, file=sys.stderr, flush=True)


def _rows(data: BigData, table: str) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = getattr(data, "history" if table == "stage_history" else table)
    if table == "people":  # people carry an active flag the generator leaves out
        return [(*r[:5], True, *r[5:]) for r in rows]
    return rows


def _columns(table: str) -> tuple[str, ...]:
    cols = COLUMNS[table]
    return (*cols[:5], "active", *cols[5:]) if table == "people" else cols


def _chunks(rows: Sequence[tuple[Any, ...]]) -> Iterator[Sequence[tuple[Any, ...]]]:
    for i in range(0, len(rows), CHUNK):
        yield rows[i : i + CHUNK]


def _sqlite_value(v: Any) -> Any:
    if isinstance(v, datetime):
        return v.isoformat(sep=" ")  # the ORM's text form, so comparisons line up
    if isinstance(v, float):
        return f"{v:.2f}"  # decimals are text in the ORM's SQLite schema
    return v


def write_sqlite(path: str, data: BigData, progress: Progress = stderr_progress) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=OFF")
        with conn:
            for table in TABLES:
                rows, cols = _rows(data, table), _columns(table)
                sql = (
                    f'INSERT INTO "{table}" ({", ".join(cols)}) '
                    f"VALUES ({', '.join('?' * len(cols))})"
                )
                done = 0
                for chunk in _chunks(rows):
                    conn.executemany(sql, [tuple(map(_sqlite_value, r)) for r in chunk])
                    done += len(chunk)
                    progress(LABELS[table], done, len(rows))
        conn.execute("ANALYZE")  # the planner needs row counts to pick the date indexes
    finally:
        conn.close()


def _pg_value(v: Any) -> Any:
    return Decimal(f"{v:.2f}") if isinstance(v, float) else v


async def write_postgres(url: str, data: BigData, progress: Progress = stderr_progress) -> None:
    import asyncpg

    conn = await asyncpg.connect(**postgres_credentials(url))
    try:
        async with conn.transaction():
            for table in TABLES:
                rows, cols = _rows(data, table), _columns(table)
                done = 0
                for chunk in _chunks(rows):
                    records = [tuple(map(_pg_value, r)) for r in chunk]
                    await conn.copy_records_to_table(table, records=records, columns=list(cols))
                    done += len(chunk)
                    progress(LABELS[table], done, len(rows))
                if "id" in cols and table not in ("teams", "people"):
                    # COPY with explicit ids leaves the sequence behind: later inserts would clash.
                    await conn.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                    )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
