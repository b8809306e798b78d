"""The committed migrations build exactly the schema the models describe, on both dialects:
columns (type, nullability), indexes (columns, uniqueness) and foreign keys (target, on delete)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from tortoise import Tortoise

from storage.db import Database, dialect_of
from storage.migrate import MIGRATE_LOCK, lock_file, migration_lock
from tests.support.databases import ROOT, PostgresTemplate, SqliteTemplate
from tests.support.waiting import eventually


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


@pytest.fixture(params=["sqlite", "postgres"])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: nothing migrated yet."""
    from tests.support.databases import PG_ADMIN, pg_execute, postgres_reachable

    if request.param == "sqlite":
        yield f"sqlite://{tmp_path}/var/fresh.sqlite3"
        return
    if not postgres_reachable():
        pytest.skip("PostgreSQL is not reachable")
    name = f"salesbot_fresh_{uuid.uuid4().hex[:12]}"
    pg_execute(f'CREATE DATABASE "{name}"')
    yield PG_ADMIN + name
    pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def waiters(url: str) -> int:
    """How many processes wait for the migration lock that ``url``'s migrate takes."""
    if dialect_of(url) == "postgres":
        import asyncpg

        conn = await asyncpg.connect(url)
        try:
            return int(
                await conn.fetchval(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                    "AND objid = $1 AND database = (SELECT oid FROM pg_database "
                    "WHERE datname = current_database())",
                    MIGRATE_LOCK,
                )
            )
        finally:
            await conn.close()
    path = lock_file(url)
    assert path is not None
    inode = f":{path.stat().st_ino} "
    # Linux lists a blocked flock request as "N: -> FLOCK ADVISORY WRITE pid dev:inode ...".
    lines = Path("/proc/locks").read_text().splitlines()
    return sum(1 for line in lines if "->" in line and inode in line)


async def test_replicas_starting_together_migrate_once(
    fresh_url: str, sqlite_template: SqliteTemplate, postgres_template: PostgresTemplate | None
) -> None:
    """Every replica's unit runs `salesbot migrate` before it starts, and the guide starts
    salesbot@8081 and @8082 together: both must succeed, each migration applied once. The test
    holds the lock until both wait for it, so they then start at the very same moment."""
    from tests.support.databases import PG_ADMIN

    env = {**os.environ, "SALESBOT_DATABASE_URL": fresh_url}
    command = [sys.executable, "-m", "bot", "migrate", "--config", str(ROOT / "config.yaml")]
    async with migration_lock(fresh_url):
        procs = [
            subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]  # fmt: skip
        try:

            async def both_wait() -> bool:
                for p in procs:
                    if p.poll() is not None:
                        raise AssertionError(f"migrate did not wait: {p.communicate()}")
                return await waiters(fresh_url) == 2

            await eventually(both_wait, within=60, every=0.1)
        except BaseException:
            for p in procs:
                p.kill()
            raise
    outs = [await asyncio.to_thread(p.communicate, timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err[-2000:] for _, err in outs]
    said = sorted(out.split(": ", 1)[1].strip() for out, _ in outs)
    files = len(list((ROOT / "storage/migrations" / dialect_of(fresh_url) / "models").glob("*.py")))
    assert said == [f"已执行 {files} 个迁移", "数据库已是最新"]
    if dialect_of(fresh_url) == "sqlite":
        reference = f"sqlite://{sqlite_template.path}"
    else:
        assert postgres_template is not None
        reference = PG_ADMIN + postgres_template.name
    assert await migrated_schema(fresh_url) == await migrated_schema(reference)
