"""`salesbot outbox retry`: given-up rows are queued again, filtered by time and recipient."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.cli import main
from bot.clock import SystemClock
from bot.pipeline.outbox import DEAD, PENDING, SENT, Address, Outbox, OutgoingMessage
from bot.replies import Text
from storage.db import Database

A = Address("wecom", "wecom", "ZhangWei")
B = Address("wecom", "wecom", "LiNa")


async def _prepare(url: str) -> None:
    db = Database(url)
    await db.open()
    outbox = Outbox(db, SystemClock())
    await outbox.add([OutgoingMessage(a, Text(k), k) for a, k in ((A, "a1"), (B, "b1"), (A, "a2"))])
    await db.pipeline.write(
        f"UPDATE outbox SET status = {DEAD}, error = 'boom' WHERE dedupe_key <> 'a2'"
    )
    await db.pipeline.write(f"UPDATE outbox SET status = {SENT} WHERE dedupe_key = 'a2'")
    await db.close()


async def _states(url: str) -> dict[str, tuple[int, int]]:
    db = Database(url)
    await db.open()
    rows = await db.pipeline.read("SELECT dedupe_key, status, attempts FROM outbox")
    await db.close()
    return {r["dedupe_key"]: (int(r["status"]), int(r["attempts"])) for r in rows}


def test_retry_requeues_buried_rows(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(f"database:\n  url: {sqlite_url}\n", encoding="utf-8")
    asyncio.run(_prepare(sqlite_url))
    with pytest.raises(SystemExit) as done:
        main(["outbox", "retry", "--config", str(config), "--recipient", "LiNa"])
    assert done.value.code == 0 and "已重新排队 1 条消息" in capsys.readouterr().out
    states = asyncio.run(_states(sqlite_url))
    assert states["b1"] == (PENDING, 0) and states["a1"][0] == DEAD and states["a2"][0] == SENT
    with pytest.raises(SystemExit):
        main(["outbox", "retry", "--config", str(config), "--since", "2999-01-01"])
    assert "没有已放弃的消息" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["outbox", "retry", "--config", str(config)])
    assert "已重新排队 1 条消息" in capsys.readouterr().out
    assert asyncio.run(_states(sqlite_url))["a1"] == (PENDING, 0)
