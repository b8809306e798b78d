"""The committed migrations build exactly the schema the models describe, on both dialects:
columns (type, nullability), indexes (columns, uniqueness) and foreign keys (target, on delete)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tortoise import Tortoise

from storage.db import Database
from tests.support.databases import PostgresTemplate


async def schema(db: Database) -> dict[str, object]:
    if db.dialect == "sqlite":
        tables = [
            r["name"]
            for r in await db.fetch(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name != 'aerich'"
            )
        ]
        out: dict[str, object] = {}
        for t in sorted(tables):
            cols = await db.fetch(f'PRAGMA table_info("{t}")')
            idx = await db.fetch(f'PRAGMA index_list("{t}")')
            index_cols = []
            for i in idx:
                names = [c["name"] for c in await db.fetch(f'PRAGMA index_info("{i["name"]}")')]
                index_cols.append((tuple(names), bool(i["unique"])))
            fks = await db.fetch(f'PRAGMA foreign_key_list("{t}")')
            out[t] = (
                sorted((c["name"], c["type"], c["notnull"], c["pk"]) for c in cols),
                sorted(index_cols),
                sorted((f["from"], f["table"], f["to"], f["on_delete"]) for f in fks),
            )
        return out
    cols = await db.fetch(
        "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
        "WHERE table_schema='public' AND table_name != 'aerich' ORDER BY 1, 2"
    )
    idx = await db.fetch(
        "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname='public' AND tablename != 'aerich'"
    )
    defs = sorted((r["tablename"], r["indexdef"].split(" ON ", 1)[1]) for r in idx)
    fks = await db.fetch(
        "SELECT conrelid::regclass::text AS t, pg_get_constraintdef(oid) AS d FROM pg_constraint "
        "WHERE contype = 'f' AND connamespace = 'public'::regnamespace"
    )
    return {
        "columns": [tuple(r.values()) for r in cols],
        "indexes": defs,
        "foreign_keys": sorted((r["t"], r["d"]) for r in fks),
    }


async def models_schema(url: str) -> dict[str, object]:
    db = Database(url)
    await db.open()
    try:
        await Tortoise.generate_schemas()
        return await schema(db)
    finally:
        await db.close()


async def migrated_schema(url: str) -> dict[str, object]:
    db = Database(url)
    await db.open()
    try:
        return await schema(db)
    finally:
        await db.close()


async def test_sqlite_migrations_match_models(sqlite_url: str, tmp_path: Path) -> None:
    assert await migrated_schema(sqlite_url) == await models_schema(
        f"sqlite://{tmp_path}/fresh.sqlite3"
    )


@pytest.fixture
def empty_pg() -> str:
    from tests.support.databases import PG_ADMIN, pg_execute, postgres_reachable

    if not postgres_reachable():
        pytest.skip("PostgreSQL is not reachable")
    name = "salesbot_schema_check"
    pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    pg_execute(f'CREATE DATABASE "{name}"')
    yield PG_ADMIN + name  # type: ignore[misc]
    pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def test_postgres_migrations_match_models(
    postgres_template: PostgresTemplate | None, empty_pg: str
) -> None:
    assert postgres_template is not None
    from tests.support.databases import PG_ADMIN

    assert await migrated_schema(PG_ADMIN + postgres_template.name) == await models_schema(empty_pg)
