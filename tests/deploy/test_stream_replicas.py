"""DingTalk Stream with N replicas: each ``salesbot serve`` opens its own Stream connection with
the same app key; the gateway hands every event to one of them. Two replicas on one PostgreSQL
answer 200 messages exactly once, and both connections carried work."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from bot.devtools.sim.dingtalk import DingtalkSimulator
from storage.db import Database
from tests.deploy.test_nginx_replicas import metric
from tests.pipeline.test_processes import free_port
from tests.support.harness import ROOT
from tests.support.waiting import eventually

STAFF = ["manager0001", "staff1001", "staff1002", "staff2001", "staff2002", "staff2003"]
MESSAGES = 198


@pytest.fixture
def children() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for p in started:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


@pytest.mark.slow
async def test_stream_replicas_share_the_events(
    postgres_url: str, tmp_path: Path, children: list[subprocess.Popen[bytes]]
) -> None:
    async with DingtalkSimulator() as sim:
        env = {
            **os.environ,
            "SALESBOT_DATABASE_URL": postgres_url,
            "DINGTALK_ENABLED": "true",
            "DINGTALK_APP_KEY": sim.app_key,
            "DINGTALK_APP_SECRET": sim.app_secret,
            "DINGTALK_OPENAPI_BASE": sim.base_url,
            "DINGTALK_OAPI_BASE": sim.base_url,
            "SALESBOT_LINK_SECRET": "replica-test-link-secret-0123456789",
        }
        ports = [free_port(), free_port()]
        for port in ports:
            log = (tmp_path / f"bot-{port}.log").open("wb")
            children.append(
                subprocess.Popen(
                    [sys.executable, "-m", "bot", "serve", "--config", str(ROOT / "config.yaml"),
                     "--port", str(port)],
                    env=env, cwd=ROOT, stdout=log, stderr=log,
                )
            )  # fmt: skip
        await sim.wait_connected(2, within=40)
        sem = asyncio.Semaphore(16)

        async def send(i: int) -> None:
            async with sem:
                pushed = await sim.send_text(STAFF[i % len(STAFF)], f"/帮助 {i}")
                assert pushed.ack is not None

        await asyncio.gather(*(send(i) for i in range(MESSAGES)))

        def replies() -> int:
            return sum(1 for s in STAFF for item in sim.items(s) if item.kind == "markdown")

        async def answered() -> bool:
            return replies() >= MESSAGES

        await eventually(answered, within=120, every=0.2)
        await asyncio.sleep(1.0)  # a second answer to any message would arrive now
        assert replies() == MESSAGES
        async with aiohttp.ClientSession() as session:
            bodies = []
            for port in ports:
                async with session.get(f"http://127.0.0.1:{port}/metrics") as r:
                    bodies.append(await r.text())
    db = Database(postgres_url)
    await db.open()
    try:
        inbox = await db.fetch(
            # The shipped config's scheduler ticks too (job rows) when the run spans a minute.
            "SELECT status, attempts, COUNT(*) AS n FROM inbox WHERE platform <> 'job' "
            "GROUP BY status, attempts"
        )
    finally:
        await db.close()
    assert inbox == [{"status": 2, "attempts": 1, "n": MESSAGES}]
    for body in bodies:  # each replica's connection got frames and its workers handled events
        assert metric(body, "salesbot_callbacks_total", 'platform="dingtalk",status="stream"') > 0
        assert metric(body, "salesbot_events_handled_total", 'kind="text",outcome="ok"') > 0
