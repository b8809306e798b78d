"""The team-scale deployment from docs/deploy.md, for real: two ``salesbot serve`` processes on
one PostgreSQL behind Debian's nginx (the guide's own nginx.conf.template), driven through the
WeCom simulator. 1,000 messages are each handled and answered exactly once, and both replicas
did work."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from bot.devtools.sim.wecom import WecomSimulator
from storage.db import Database
from tests.deploy.nginx import nginx_binary, start_nginx
from tests.pipeline.test_processes import free_port
from tests.support.harness import ROOT
from tests.support.waiting import eventually
from tests.support.wecom_env import wecom_env

USERS = 100
PER_USER = 10  # under WeCom's 30 messages per member per minute


def load_config(path: Path) -> None:
    """config.yaml as shipped, plus 100 reps to spread the load over many WeCom members."""
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    extra = "".join(
        f"  - {{id: load.{i:03d}, name: 压测{i:03d}, role: rep, team: east-1, supervisor: zhao.lei, "
        f"wecom_userid: Load{i:03d}}}\n"
        for i in range(USERS)
    )
    path.write_text(text.replace("people:\n", "people:\n" + extra, 1), encoding="utf-8")


def env_for(sim: WecomSimulator, db_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "SALESBOT_DATABASE_URL": db_url,
        **wecom_env(sim),
    }


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


def metric(body: str, name: str, labels: str = "") -> float:
    pattern = re.escape(name) + (re.escape("{" + labels + "}") if labels else "") + r" ([0-9.e+]+)"
    return sum(float(m) for m in re.findall(pattern, body))


@pytest.mark.slow
async def test_two_replicas_behind_nginx_handle_each_message_once(
    postgres_url: str, tmp_path: Path, children: list[subprocess.Popen[bytes]]
) -> None:
    if nginx_binary() is None:
        pytest.fail("nginx is missing: `make system-deps` installs Debian's nginx-light")
    sim = WecomSimulator(callback_timeout_s=5.0)
    await sim.start()
    try:
        config = tmp_path / "config.yaml"
        load_config(config)
        env = env_for(sim, postgres_url)
        # `salesbot migrate` runs before every start (the systemd unit's ExecStartPre): safe twice.
        for _ in range(2):
            out = subprocess.run(
                [sys.executable, "-m", "bot", "migrate", "--config", str(config)],
                env=env, cwd=ROOT, capture_output=True, text=True, check=True,
            )  # fmt: skip
            assert "数据库已是最新" in out.stdout
        ports = [free_port(), free_port()]
        for port in ports:
            log = (tmp_path / f"bot-{port}.log").open("wb")
            children.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "bot",
                        "serve",
                        "--config",
                        str(config),
                        "--port",
                        str(port),
                    ],
                    env=env,
                    cwd=ROOT,
                    stdout=log,
                    stderr=log,
                )
            )
        front = free_port()
        children.append(start_nginx(tmp_path, front, [f"127.0.0.1:{p}" for p in ports]))
        sim.callback_url = f"http://127.0.0.1:{front}/wecom/callback"
        users = [f"Load{i:03d}" for i in range(USERS)]
        for u in users:
            sim.add_user(u, u)

        async with aiohttp.ClientSession() as session:

            async def healthy() -> bool:
                for port in ports:
                    try:
                        async with session.get(f"http://127.0.0.1:{port}/healthz") as r:
                            if r.status != 200:
                                return False
                    except aiohttp.ClientError:
                        return False
                async with session.get(f"http://127.0.0.1:{front}/healthz") as r:
                    return r.status == 200

            await eventually(healthy, within=40, every=0.2)
            sem = asyncio.Semaphore(24)

            async def send(i: int) -> None:
                async with sem:
                    result = await sim.send_text(users[i % USERS], f"/帮助 {i}")
                    assert result.ok, result.statuses

            await asyncio.gather(*(send(i) for i in range(USERS * PER_USER)))

            async def answered() -> bool:
                return sim.stats.sent >= USERS * PER_USER

            await eventually(answered, within=180, every=0.2)
            await asyncio.sleep(1.0)  # a wrongful second reply would show up now
            bodies = []
            for port in ports:
                async with session.get(f"http://127.0.0.1:{port}/metrics") as r:
                    bodies.append(await r.text())

        assert sim.stats.sent == USERS * PER_USER
        assert all(len(sim.inbox_of(u)) == PER_USER for u in users)
        db = Database(postgres_url)
        await db.open()
        try:
            inbox = await db.fetch(
                # The shipped config's scheduler ticks too (job rows) when the run spans a minute.
                "SELECT status, attempts, COUNT(*) AS n FROM inbox WHERE platform <> 'job' "
                "GROUP BY status, attempts"
            )
            outbox = await db.fetch("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status")
        finally:
            await db.close()
        assert inbox == [{"status": 2, "attempts": 1, "n": USERS * PER_USER}]  # done, once each
        assert outbox == [{"status": 2, "n": USERS * PER_USER}]  # sent, once each
        for body in bodies:  # both replicas took callbacks through nginx and handled messages
            assert metric(body, "salesbot_callbacks_total", 'platform="wecom",status="200"') > 0
            assert metric(body, "salesbot_events_handled_total", 'kind="text",outcome="ok"') > 0
        handled = sum(
            metric(b, "salesbot_events_handled_total", 'kind="text",outcome="ok"') for b in bodies
        )
        assert handled == USERS * PER_USER
    finally:
        await sim.stop()
