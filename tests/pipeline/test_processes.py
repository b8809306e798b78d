"""Real processes: a worker killed with SIGKILL mid-handler, and two replicas on one PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from storage.db import Database
from tests.support.waiting import eventually

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class BotProcess:
    def __init__(self, db_url: str, *extra: str) -> None:
        self.port = free_port()
        # A file, not a pipe nobody reads: each message logs lines at INFO, and a full pipe
        # would stall the bot mid-run.
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop())
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.support.run_bot",
                "--db",
                db_url,
                "--port",
                str(self.port),
                *extra,
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        self.url = f"http://127.0.0.1:{self.port}"

    async def ready(self, session: aiohttp.ClientSession) -> None:
        async def up() -> bool:
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise AssertionError(f"bot exited: {self.log.read().decode()[-2000:]}")
            try:
                async with session.get(self.url + "/healthz") as r:
                    return r.status == 200
            except aiohttp.ClientError:
                return False

        await eventually(up, within=30, every=0.1)

    async def say(self, session: aiohttp.ClientSession, user: str, text: str) -> None:
        async with session.post(
            self.url + "/test/messages", json={"user": user, "text": text}
        ) as r:
            assert r.status == 200, await r.text()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


@pytest.fixture
def processes() -> Iterator[list[BotProcess]]:
    started: list[BotProcess] = []
    yield started
    for p in started:
        p.stop()


async def audit(db_url: str, action: str) -> list[dict]:
    db = Database(db_url)
    await db.open()
    try:
        return await db.fetch("SELECT actor, subject_id FROM audit_log WHERE action = ?", action)
    finally:
        await db.close()


async def test_sigkill_mid_handler_then_restart_handles_once(
    db_url: str, tmp_path: Path, processes: list[BotProcess]
) -> None:
    hold = tmp_path / "release"
    args = ("--lease", "1.5", "--hold-file", str(hold))
    async with aiohttp.ClientSession() as session:
        first = BotProcess(db_url, *args)
        processes.append(first)
        await first.ready(session)
        await first.say(session, "zhang.wei", "hold 拜访记录")
        await eventually(lambda: audit(db_url, "attempt"), within=15)
        os.kill(first.proc.pid, signal.SIGKILL)  # in the middle of the handler
        first.proc.wait()
        assert await audit(db_url, "handled") == []
        hold.touch()
        second = BotProcess(db_url, *args)
        processes.append(second)
        await second.ready(session)
        handled = await eventually(lambda: audit(db_url, "handled"), within=20)
        await asyncio.sleep(0.5)  # give a wrongful second run the chance to show up
    handled = await audit(db_url, "handled")
    attempts = await audit(db_url, "attempt")
    assert len(attempts) == 2 and len(handled) == 1
    assert attempts[0]["actor"] != handled[0]["actor"]  # the restarted process finished it
    db = Database(db_url)
    await db.open()
    try:
        rows = await db.fetch("SELECT status, attempts FROM inbox")
        out = await db.fetch("SELECT payload FROM outbox")
    finally:
        await db.close()
    assert rows == [{"status": 2, "attempts": 2}]
    assert len(out) == 1 and "done hold" in out[0]["payload"]


@pytest.mark.slow
async def test_two_replicas_share_one_postgres_exactly_once(
    postgres_url: str, processes: list[BotProcess]
) -> None:
    db_url = postgres_url
    users = [
        "zhang.wei",
        "li.na",
        "liu.yang",
        "wang.li",
        "zhao.lei",
        "sun.mei",
        "lin.feng",
        "ma.jun",
    ]
    n = 1000
    async with aiohttp.ClientSession() as session:
        a, b = BotProcess(db_url), BotProcess(db_url)
        processes.extend([a, b])
        await asyncio.gather(a.ready(session), b.ready(session))
        sem = asyncio.Semaphore(32)

        async def send(i: int) -> None:
            async with sem:
                # Everything enters through replica A; B finds the work only through the database.
                target = a if i % 4 else b
                await target.say(session, users[i % len(users)], f"msg {i}")

        await asyncio.gather(*(send(i) for i in range(n)))

        async def all_handled() -> bool:
            return len(await audit(db_url, "handled")) >= n

        await eventually(all_handled, within=120, every=0.2)
        await asyncio.sleep(0.5)
    handled = await audit(db_url, "handled")
    per_msg: dict[str, int] = {}
    for row in handled:
        per_msg[row["subject_id"]] = per_msg.get(row["subject_id"], 0) + 1
    assert len(per_msg) == n and set(per_msg.values()) == {1}
    by_replica: dict[str, int] = {}
    for row in handled:
        pid = row["actor"].split(":")[1]
        by_replica[pid] = by_replica.get(pid, 0) + 1
    assert set(by_replica) == {str(a.proc.pid), str(b.proc.pid)}  # both did real work
