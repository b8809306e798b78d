"""Per-test databases: a migrated template per dialect, copied for each test and dropped after."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import uuid
from pathlib import Path

PG_ADMIN = "postgres://postgres@127.0.0.1:5432/"
ROOT = Path(__file__).resolve().parents[2]


def postgres_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), 1).close()
        return True
    except OSError:
        return False


def postgres_required() -> bool:
    return os.environ.get("SALESBOT_REQUIRE_POSTGRES") == "1"


def migrate(url: str) -> None:
    # In a subprocess: aerich keeps process-wide state that must not leak into the tests.
    code = "import asyncio, sys; from storage.migrate import upgrade; asyncio.run(upgrade(sys.argv[1]))"
    subprocess.run([sys.executable, "-c", code, url], check=True, cwd=ROOT)


async def _pg(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_ADMIN + "postgres")
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def pg_execute(sql: str) -> None:
    asyncio.run(_pg(sql))


class SqliteTemplate:
    def __init__(self, folder: Path) -> None:
        self.path = folder / "template.sqlite3"
        migrate(f"sqlite://{self.path}")

    def new(self, folder: Path) -> str:
        target = folder / f"db-{uuid.uuid4().hex[:8]}.sqlite3"
        shutil.copyfile(self.path, target)
        return f"sqlite://{target}"


class PostgresTemplate:
    def __init__(self) -> None:
        self.name = f"salesbot_tmpl_{os.getpid()}"
        pg_execute(f'DROP DATABASE IF EXISTS "{self.name}"')
        pg_execute(f'CREATE DATABASE "{self.name}"')
        migrate(PG_ADMIN + self.name)
        self.created: list[str] = []

    def new(self) -> str:
        name = f"salesbot_t_{uuid.uuid4().hex[:12]}"
        pg_execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.name}"')
        self.created.append(name)
        return PG_ADMIN + name

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        pg_execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
