"""Schema migrations with aerich, one migration history per SQL dialect.

aerich writes dialect-specific SQL, so SQLite and PostgreSQL each keep their own folder under
``storage/migrations``. ``python -m storage.migrate make NAME`` regenerates both after a model
change (it needs the PostgreSQL server on 127.0.0.1).

``upgrade`` runs under a lock: every replica's unit runs ``salesbot migrate`` before it starts,
and replicas started together would otherwise both apply the first migration (the second fails
on a table that already exists). PostgreSQL: a session advisory lock; SQLite: ``flock`` on a file
beside the database.
"""

from __future__ import annotations

import asyncio
import fcntl
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from aerich import Command

from storage.db import Database, dialect_of, postgres_credentials, sqlite_path, tortoise_config

MIGRATIONS = Path(__file__).with_name("migrations")
DEV_POSTGRES = "postgres://postgres@127.0.0.1:5432/"
MIGRATE_LOCK = 7_304_202  # PostgreSQL advisory lock key (org sync uses 7_304_201)


def location(url: str) -> Path:
    return MIGRATIONS / dialect_of(url)


def lock_file(url: str) -> Path | None:
    """The file SQLite migrations lock (None for an in-memory database)."""
    path = sqlite_path(url)
    return None if path == ":memory:" else Path(path + ".migrate-lock")


@asynccontextmanager
async def migration_lock(url: str) -> AsyncIterator[None]:
    """Held while migrating: a second ``salesbot migrate`` waits, then finds nothing to do."""
    if dialect_of(url) == "postgres":
        import asyncpg

        conn = await asyncpg.connect(**postgres_credentials(url))
        try:
            # Session-level, on a connection of its own: aerich's transactions come and go.
            await conn.execute("SELECT pg_advisory_lock($1)", MIGRATE_LOCK)
            yield
        finally:
            await conn.close()  # ends the session, which releases the lock
        return
    path = lock_file(url)
    if path is None:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        await asyncio.to_thread(fcntl.flock, handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


async def upgrade(url: str) -> list[str]:
    """Bring the database at ``url`` up to date; returns the versions applied."""
    command = Command(
        tortoise_config=tortoise_config(url, with_aerich=True),
        app="models",
        location=str(location(url)),
    )
    async with migration_lock(url), command:
        await command.init()
        return await command.upgrade(run_in_transaction=True)


def migration_files(url: str) -> list[str]:
    return sorted(p.name for p in (location(url) / "models").glob("*.py"))


async def pending_migrations(db: Database) -> list[str]:
    """Migration files not yet applied to the open database ``db``."""
    try:
        rows = await db.fetch("SELECT version FROM aerich WHERE app = ?", "models")
    except Exception:  # no aerich table yet: nothing was ever applied
        rows = []
    applied = {r["version"] for r in rows}
    return [f for f in migration_files(db.url) if f not in applied]


async def _make(url: str, name: str) -> str:
    command = Command(
        tortoise_config=tortoise_config(url, with_aerich=True),
        app="models",
        location=str(location(url)),
    )
    async with migration_lock(url), command:
        folder = location(url) / "models"
        if not folder.exists() or not any(folder.glob("*.py")):
            await command.init_db(safe=True)
            return "initial"
        await command.init()
        await command.upgrade(run_in_transaction=True)
        await command.init()  # re-read the last applied version: migrate() diffs against it
        return await command.migrate(name) or "no changes"


def make_all(name: str) -> None:
    # aerich keeps class-level state, so each dialect runs in a process of its own.
    import asyncpg

    def run(url: str) -> None:
        subprocess.run([sys.executable, "-m", "storage.migrate", "make-one", url, name], check=True)

    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite://{tmp}/make.sqlite3")
    db = "salesbot_make_migrations"

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(DEV_POSTGRES + "postgres")
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{db}"'))
    asyncio.run(admin(f'CREATE DATABASE "{db}"'))
    try:
        run(DEV_POSTGRES + db)
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{db}"'))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "make":
        make_all(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "make-one":
        print(dialect_of(sys.argv[2]) + ":", asyncio.run(_make(sys.argv[2], sys.argv[3])))
    else:
        print("usage: python -m storage.migrate make NAME")
        sys.exit(2)
