"""Database lifecycle: one Database object per process, opened and closed by the app factory."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tortoise import Tortoise
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.context import TortoiseContext
from tortoise.transactions import in_transaction

MODELS_MODULE = "storage.models"
SQLITE_PRAGMAS = {
    "journal_mode": "WAL",
    # WAL + NORMAL is durable against a process crash (what "persist before ack" guards against);
    # only an OS crash can lose the last transactions.
    "synchronous": "NORMAL",
    "busy_timeout": 10000,
    "foreign_keys": "ON",
}


def dialect_of(url: str) -> str:
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        return "sqlite"
    if scheme in {"postgres", "postgresql", "asyncpg"}:
        return "postgres"
    raise ValueError(f"unsupported database url scheme '{scheme}' (use sqlite:// or postgres://)")


def sqlite_path(url: str) -> str:
    return url.split("://", 1)[1].split("?", 1)[0]


def tortoise_config(url: str, *, with_aerich: bool = False) -> dict[str, Any]:
    dialect = dialect_of(url)
    if dialect == "sqlite":
        path = sqlite_path(url)
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        credentials: dict[str, Any] = {"file_path": path, **SQLITE_PRAGMAS}
        connection: dict[str, Any] = {
            "engine": "tortoise.backends.sqlite",
            "credentials": credentials,
        }
    else:
        parts = urlsplit(url)
        connection = {
            "engine": "tortoise.backends.asyncpg",
            "credentials": {
                "host": parts.hostname or "127.0.0.1",
                "port": parts.port or 5432,
                "user": parts.username or "postgres",
                "password": parts.password or "",
                "database": parts.path.lstrip("/") or "postgres",
                "minsize": 1,
                "maxsize": 10,
            },
        }
    models = [MODELS_MODULE, "aerich.models"] if with_aerich else [MODELS_MODULE]
    name = connection_name(url)
    return {
        "connections": {name: connection},
        "apps": {"models": {"models": models, "default_connection": name}},
        "use_tz": True,
        "timezone": "UTC",
    }


def connection_name(url: str) -> str:
    # Named by dialect: tortoise caches prepared SQL per connection name, so a process (the test
    # suite) that opens SQLite and then PostgreSQL must not reuse one name for both.
    return dialect_of(url)


def redact_url(url: str) -> str:
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


class Database:
    """Owns the ORM context and hands out the raw connection for the hot-path queries."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.dialect = dialect_of(url)
        self._ctx: TortoiseContext | None = None

    async def open(self) -> None:
        # The ORM resolves models through a context; making it the process-wide fallback lets
        # aiohttp request tasks (which do not inherit our startup context) use the models.
        self._ctx = await Tortoise.init(
            config=tortoise_config(self.url, with_aerich=True), _enable_global_fallback=True
        )

    async def close(self) -> None:
        if self._ctx is not None:
            await self._ctx.close_connections()
            self._ctx = None

    @property
    def conn(self) -> BaseDBAsyncClient:
        if self._ctx is None:
            raise RuntimeError("database is not open")
        return self._ctx.connections.get(connection_name(self.url))

    def sql(self, query: str) -> str:
        """Write queries with ``?`` placeholders; PostgreSQL wants ``$1, $2 …``."""
        if self.dialect == "sqlite":
            return query
        parts = query.split("?")
        out = [parts[0]]
        for n, part in enumerate(parts[1:], start=1):
            out.append(f"${n}{part}")
        return "".join(out)

    async def fetch(self, query: str, *args: Any) -> list[dict[str, Any]]:
        return await self.conn.execute_query_dict(self.sql(query), list(args))

    async def execute(self, query: str, *args: Any) -> int:
        count, _ = await self.conn.execute_query(self.sql(query), list(args))
        return count

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """Raw statements in one transaction; ORM calls inside it join the same transaction."""
        async with in_transaction(connection_name(self.url)) as conn:
            yield Tx(self, conn)

    async def ping(self) -> None:
        await self.conn.execute_query("SELECT 1")


class Tx:
    """The statements of one transaction, with the same ``?`` placeholder style as Database."""

    def __init__(self, db: Database, conn: BaseDBAsyncClient) -> None:
        self._db = db
        self.conn = conn

    async def fetch(self, query: str, *args: Any) -> list[dict[str, Any]]:
        return await self.conn.execute_query_dict(self._db.sql(query), list(args))

    async def execute(self, query: str, *args: Any) -> int:
        count, _ = await self.conn.execute_query(self._db.sql(query), list(args))
        return count
