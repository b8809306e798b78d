"""Fixtures shared by the whole suite: real SQLite and real PostgreSQL, a fresh database per test."""

from __future__ import annotations

import os
import platform
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.app import create_app
from tests.support.databases import (
    PostgresTemplate,
    SqliteTemplate,
    postgres_reachable,
    postgres_required,
)
from tests.support.harness import Harness, build_harness, make_config

# Whisper base hears the synthetic voice notes differently with each CPU's int8 kernels: with
# AVX2's, "九十万" in the MP3 fixture comes out as "QP" and a demo sample's budget as 350万, while
# AVX and AVX-512 hear both right. The fixtures were chosen under those kernels, so the
# suite pins CTranslate2 to AVX (every x86-64 server has it; the ASR workers inherit it) and
# gives the same transcripts on every machine it runs on.
if platform.machine() in ("x86_64", "AMD64"):
    os.environ.setdefault("CT2_FORCE_CPU_ISA", "AVX")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    return SqliteTemplate(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[PostgresTemplate | None]:
    if not postgres_reachable():
        if postgres_required():
            pytest.fail("PostgreSQL is required (SALESBOT_REQUIRE_POSTGRES=1) but not reachable")
        yield None
        return
    template = PostgresTemplate()
    yield template
    template.close()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    sqlite_template: SqliteTemplate,
) -> Iterator[str]:
    if request.param == "sqlite":
        yield sqlite_template.new(tmp_path)
        return
    template: PostgresTemplate | None = request.getfixturevalue("postgres_template")
    if template is None:
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    url = template.new()
    yield url
    template.drop(url)


@pytest.fixture
def postgres_url(postgres_template: PostgresTemplate | None) -> Iterator[str]:
    """A fresh PostgreSQL database, for what only PostgreSQL does (replicas sharing work)."""
    if postgres_template is None:
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    url = postgres_template.new()
    yield url
    postgres_template.drop(url)


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: SqliteTemplate) -> str:
    return sqlite_template.new(tmp_path)


@pytest.fixture
async def bot(db_url: str, aiohttp_client) -> AsyncIterator[Harness]:  # type: ignore[no-untyped-def]
    harness = build_harness(make_config(db_url))
    harness.client = await aiohttp_client(
        create_app(harness.runtime.config, runtime=harness.runtime)
    )
    yield harness
