from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from storage.db import Database


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    """An open database on each dialect (``db_url`` is parametrized over SQLite and PostgreSQL)."""
    database = Database(db_url)
    await database.open()
    yield database
    await database.close()
