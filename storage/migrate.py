"""Schema migrations with aerich, one migration history per SQL dialect.

aerich writes dialect-specific SQL, so SQLite and PostgreSQL each keep their own folder under
``storage/migrations``. ``python -m storage.migrate make NAME`` regenerates both after a model
change (it needs the PostgreSQL server on 127.0.0.1).
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import tempfile
from pathlib import Path

from aerich import Command

from storage.db import Database, dialect_of, tortoise_config

MIGRATIONS = Path(__file__).with_name("migrations")
DEV_POSTGRES = "postgres://postgres@127.0.0.1:5432/"


def location(url: str) -> Path:
    return MIGRATIONS / dialect_of(url)


async def upgrade(url: str) -> list[str]:
    """Bring the database at ``url`` up to date; returns the versions applied."""
    command = Command(
        tortoise_config=tortoise_config(url, with_aerich=True),
        app="models",
        location=str(location(url)),
    )
    async with command:
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
    async with command:
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
