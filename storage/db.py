"""Database lifecycle: one Database object per process, opened and closed by the app factory.

Besides the ORM's connection, the pipeline's hot paths get **lanes**: connections of their own,
so that acknowledging a callback never queues behind a handler's queries or its open ORM
transaction. ``Database.ingress`` persists callbacks; ``Database.pipeline`` claims, completes and
delivers. On SQLite a lane is its own connection on its own thread, and a transaction on it runs
start to commit in one hop to that thread: the write lock is held for microseconds of C, never
across event-loop iterations. On PostgreSQL a lane is a small asyncpg pool of its own.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from queue import SimpleQueue
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit

from tortoise import Tortoise
from tortoise.backends.base.client import BaseDBAsyncClient, TransactionContext
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.connection import get_connections
from tortoise.context import TortoiseContext
from tortoise.exceptions import TransactionManagementError
from tortoise.transactions import in_transaction

MODELS_MODULE = "storage.models"
BUSY_TIMEOUT_MS = 10_000
SQLITE_PRAGMAS = {
    "journal_mode": "WAL",
    # WAL + NORMAL is durable against a process crash (what "persist before ack" guards against);
    # only an OS crash can lose the last transactions.
    "synchronous": "NORMAL",
    "busy_timeout": BUSY_TIMEOUT_MS,
    "foreign_keys": "ON",
}
T = TypeVar("T")


def dialect_of(url: str) -> str:
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        return "sqlite"
    if scheme in {"postgres", "postgresql", "asyncpg"}:
        return "postgres"
    raise ValueError(f"unsupported database url scheme '{scheme}' (use sqlite:// or postgres://)")


def sqlite_path(url: str) -> str:
    return url.split("://", 1)[1].split("?", 1)[0]


def postgres_credentials(url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    return {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": parts.username or "postgres",
        "password": parts.password or "",
        "database": parts.path.lstrip("/") or "postgres",
    }


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
        connection = {
            "engine": "tortoise.backends.asyncpg",
            "credentials": {
                **postgres_credentials(url),
                "minsize": 1,
                "maxsize": 10,
                # JIT compiles a report query for longer than it runs (350 ms of JIT for a
                # 100 ms stats aggregate); the bot's queries are all short.
                "server_settings": {"jit": "off"},
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


def placeholders(query: str) -> str:
    """``?`` placeholders → PostgreSQL's ``$1, $2 …``."""
    parts = query.split("?")
    out = [parts[0]]
    for n, part in enumerate(parts[1:], start=1):
        out.append(f"${n}{part}")
    return "".join(out)


# ------------------------------------------------------------------------------ the ORM's SQLite
class _ImmediateTransaction(SqliteTransactionWrapper):
    async def begin(self) -> None:
        # With the lanes writing on connections of their own, a deferred transaction that reads
        # and then writes fails at once with SQLITE_BUSY (its snapshot went stale; the busy
        # timeout cannot help). Taking the write lock up front makes it wait its turn instead.
        try:
            await self._connection.commit()
            await self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise TransactionManagementError(exc) from exc


class _ImmediateContext(SqliteTransactionContext):
    async def __aenter__(self) -> Any:
        # tortoise's context holds the client's lock from before ``begin``; a deferred BEGIN
        # never fails, but BEGIN IMMEDIATE can (another process held the write lock past the busy
        # timeout), and the lock left held would hang every later ORM query.
        try:
            return await super().__aenter__()
        except BaseException:
            token = getattr(self, "token", None)
            if token is not None:
                get_connections().reset(token)
                del self.token
            if self._trxlock.locked():
                self._trxlock.release()
            raise


class ImmediateSqliteClient(SqliteClient):
    """tortoise's SQLite client with ``BEGIN IMMEDIATE`` transactions (see above)."""

    def _in_transaction(self) -> TransactionContext:
        return _ImmediateContext(_ImmediateTransaction(self), self._lock)


# The ``engine`` module tortoise loads for the runtime's SQLite connection (migrations keep the
# stock engine): this module, through this name.
client_class = ImmediateSqliteClient


# ------------------------------------------------------------------------------ lanes
Step = tuple[str, Sequence[Any]]


@dataclass(frozen=True)
class Written:
    """One statement's outcome: rows changed, and what its RETURNING clause returned."""

    count: int
    rows: list[dict[str, Any]]


class Lane(Protocol):
    """Opened on first use, closed with the database."""

    async def close(self) -> None: ...

    async def read(self, query: str, *args: Any) -> list[dict[str, Any]]:
        """A read-only statement (on SQLite it takes no write lock and waits for no writer)."""
        ...

    async def write(self, query: str, *args: Any) -> Written: ...

    async def transaction(self, steps: Sequence[Step]) -> list[Written]:
        """Statements in order, all or nothing; one round trip to the lane's thread on SQLite."""
        ...


def _set_result(fut: asyncio.Future[T], value: T) -> None:
    if not fut.done():
        fut.set_result(value)


def _set_exception(fut: asyncio.Future[Any], exc: BaseException) -> None:
    if not fut.done():
        fut.set_exception(exc)


class SqliteLane:
    """One SQLite connection driven by one thread; calls are queued to it like aiosqlite's."""

    def __init__(self, path: str, name: str, write_lock: threading.Lock) -> None:
        self.path = path
        self.name = name
        # Shared by the lanes of one database: two lanes that want to write queue on a mutex
        # (a microsecond hand-off) instead of meeting in SQLite's busy handler, which sleeps in
        # steps of 1, 2, 5, 10 … ms.
        self._write_lock = write_lock
        self._queue: SimpleQueue[tuple[asyncio.Future[Any] | None, Callable[[], Any]]] = (
            SimpleQueue()
        )
        self._thread: threading.Thread | None = None
        self._conn: sqlite3.Connection | None = None
        self._error: sqlite3.Error | None = None

    def _start(self) -> None:
        # Lazily, and without awaiting: the connection is the first thing the new thread does,
        # so every call queued behind it finds it open.
        self._thread = threading.Thread(target=self._serve, name=f"db-{self.name}", daemon=True)
        self._thread.start()
        self._queue.put((None, self._connect))

    async def close(self) -> None:
        if self._thread is None:
            return
        await self._call(self._disconnect)
        self._queue.put((None, _STOP))
        await asyncio.to_thread(self._thread.join)
        self._thread = None

    def _connect(self) -> None:
        try:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            for pragma, value in SQLITE_PRAGMAS.items():
                conn.execute(f"PRAGMA {pragma}={value}")
            # The lane waits for the write lock itself (see _locked): SQLite's own busy handler
            # sleeps 1, 2, 5 … up to 100 ms between tries, far longer than another connection
            # holds the lock, and every such sleep lands on an acknowledgement's latency.
            conn.execute("PRAGMA busy_timeout=0")
        except sqlite3.Error as exc:
            self._error = exc
            return
        self._conn = conn

    def _disconnect(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _serve(self) -> None:
        while True:
            fut, fn = self._queue.get()
            if fn is _STOP:
                return
            try:
                result = fn()
            except BaseException as exc:  # handed to the awaiting coroutine
                if fut is not None:
                    fut.get_loop().call_soon_threadsafe(_set_exception, fut, exc)
            else:
                if fut is not None:
                    fut.get_loop().call_soon_threadsafe(_set_result, fut, result)

    async def _call(self, fn: Callable[[], T]) -> T:
        if self._thread is None:
            self._start()
        fut: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._queue.put((fut, fn))
        return await fut

    @property
    def _c(self) -> sqlite3.Connection:
        if self._conn is None:
            raise self._error or RuntimeError(f"database lane {self.name} is closed")
        return self._conn

    def _locked(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` (which starts by taking the write lock) under the process's write mutex,
        retrying while another connection holds SQLite's lock, a fraction of a ms apart."""
        pause = 0.0002
        with self._write_lock:
            deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000  # from our turn, not the queue
            while True:
                try:
                    return fn()
                except sqlite3.OperationalError as exc:
                    # The extended code (BUSY_SNAPSHOT, BUSY_RECOVERY …) carries BUSY in its low byte.
                    busy = (exc.sqlite_errorcode & 0xFF) == sqlite3.SQLITE_BUSY
                    if not busy or time.monotonic() > deadline:
                        raise
                time.sleep(pause)
                pause = min(pause * 2, 0.002)

    def _run(self, query: str, args: Sequence[Any]) -> Written:
        conn = self._c
        before = conn.total_changes
        rows = [dict(r) for r in conn.execute(query, args).fetchall()]
        return Written(conn.total_changes - before, rows)

    async def read(self, query: str, *args: Any) -> list[dict[str, Any]]:
        return await self._call(lambda: [dict(r) for r in self._c.execute(query, args)])

    async def write(self, query: str, *args: Any) -> Written:
        # A write statement that meets SQLITE_BUSY has done nothing yet: trying again is safe.
        return await self._call(lambda: self._locked(lambda: self._run(query, args)))

    async def transaction(self, steps: Sequence[Step]) -> list[Written]:
        def run() -> list[Written]:
            conn = self._c
            conn.execute("BEGIN IMMEDIATE")  # where BUSY meets us, before anything is done
            try:
                out = [self._run(query, args) for query, args in steps]
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            return out

        return await self._call(lambda: self._locked(run))


def _stop() -> None:
    return None


_STOP: Callable[[], Any] = _stop


_RETURNS = re.compile(r"\bRETURNING\b", re.IGNORECASE)


class PostgresLane:
    """A small asyncpg pool of the lane's own, apart from the ORM's."""

    def __init__(self, url: str, name: str, size: int = 2) -> None:
        self.url = url
        self.name = name
        self.size = size
        self._pool: Any = None
        self._opening = asyncio.Lock()

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await pool.close()

    async def _p(self) -> Any:
        if self._pool is None:
            async with self._opening:
                if self._pool is None:
                    import asyncpg

                    self._pool = await asyncpg.create_pool(
                        min_size=1, max_size=self.size, **postgres_credentials(self.url)
                    )
        return self._pool

    @staticmethod
    async def _run(conn: Any, query: str, args: Sequence[Any]) -> Written:
        if _RETURNS.search(query):
            rows = [dict(r) for r in await conn.fetch(placeholders(query), *args)]
            return Written(len(rows), rows)
        status = await conn.execute(placeholders(query), *args)
        tail = status.rsplit(" ", 1)[-1]  # "UPDATE 3", "INSERT 0 3"
        return Written(int(tail) if tail.isdecimal() else 0, [])

    async def read(self, query: str, *args: Any) -> list[dict[str, Any]]:
        pool = await self._p()
        return [dict(r) for r in await pool.fetch(placeholders(query), *args)]

    async def write(self, query: str, *args: Any) -> Written:
        pool = await self._p()
        async with pool.acquire() as conn:
            return await self._run(conn, query, args)

    async def transaction(self, steps: Sequence[Step]) -> list[Written]:
        pool = await self._p()
        async with pool.acquire() as conn, conn.transaction():
            return [await self._run(conn, query, args) for query, args in steps]


class OrmLane:
    """A lane over the ORM's own connection: for ``sqlite://:memory:``, which only it can see."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def close(self) -> None:
        return None

    async def read(self, query: str, *args: Any) -> list[dict[str, Any]]:
        return await self.db.fetch(query, *args)

    async def write(self, query: str, *args: Any) -> Written:
        count, rows = await self.db.conn.execute_query(self.db.sql(query), list(args))
        return Written(count, [dict(r) for r in rows])

    async def transaction(self, steps: Sequence[Step]) -> list[Written]:
        out: list[Written] = []
        async with self.db.transaction() as tx:
            for query, args in steps:
                count, rows = await tx.conn.execute_query(self.db.sql(query), list(args))
                out.append(Written(count, [dict(r) for r in rows]))
        return out


# ------------------------------------------------------------------------------ the database
class Database:
    """Owns the ORM context, the raw connection for hot-path queries, and the pipeline's lanes."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.dialect = dialect_of(url)
        self._ctx: TortoiseContext | None = None
        # Shared by this database's lanes; another process (or another Database on the same
        # file) meets them in SQLite's lock instead, which the lanes retry briefly.
        self._write_lock = threading.Lock()
        self.ingress: Lane = self._lane("ingress")
        self.pipeline: Lane = self._lane("pipeline")

    def _lane(self, name: str) -> Lane:
        if self.dialect == "postgres":
            return PostgresLane(self.url, name)
        path = sqlite_path(self.url)
        if path == ":memory:" or path.startswith("file:"):
            return OrmLane(self)
        return SqliteLane(path, name, self._write_lock)

    async def open(self) -> None:
        config = tortoise_config(self.url, with_aerich=True)
        if self.dialect == "sqlite":
            config["connections"][connection_name(self.url)]["engine"] = __name__
        # The ORM resolves models through a context; making it the process-wide fallback lets
        # aiohttp request tasks (which do not inherit our startup context) use the models.
        self._ctx = await Tortoise.init(config=config, _enable_global_fallback=True)

    async def close(self) -> None:
        for lane in (self.ingress, self.pipeline):
            await lane.close()
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
        return query if self.dialect == "sqlite" else placeholders(query)

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
