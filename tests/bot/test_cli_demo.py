"""The commands an operator types: migrate, seed-demo, serve --demo (what `make demo` runs)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

from bot.devtools.demo.seed import generate
from tests.pipeline.test_processes import free_port
from tests.support.harness import ROOT, make_config
from tests.support.waiting import eventually


def serve_demo(env: dict[str, str], port: int, *, stdout: int) -> subprocess.Popen[str]:
    """``salesbot serve --demo`` as ``make demo`` runs it, its log (stderr) piped."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--demo", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
    )


async def wait_healthy(session: aiohttp.ClientSession, base: str) -> None:
    async def healthy() -> bool:
        try:
            async with session.get(base + "/healthz") as r:
                return r.status == 200
        except aiohttp.ClientError:
            return False

    await eventually(healthy, within=60, every=0.1)


async def bot_said(session: aiohttp.ClientSession, base: str, user: str) -> list[dict]:
    """What the bot has sent ``user`` so far, as the sandbox page sees it."""
    params = {"user": user, "wait": "5"}
    async with session.get(base + "/sandbox/api/conversation", params=params) as r:
        items = (await r.json())["items"]
    return [i for i in items if i["from"] == "bot"]


def test_seed_generator_is_deterministic_and_covers_every_stage() -> None:
    config = make_config("sqlite://:memory:")
    now = datetime(2026, 11, 27, 2, tzinfo=UTC)
    a = generate(config, clients=14, days=28, seed=7, now=now)
    b = generate(config, clients=14, days=28, seed=7, now=now)
    assert a == b
    assert {d.stage for d in a.deals} == {s.name for s in config.funnel.stages}
    assert all(c.aliases and c.contacts for c in a.clients)
    assert all(now - d.created_at <= (now - now.replace(day=1)) * 2 for d in a.deals)
    big = generate(config, clients=2000, days=90, seed=1, now=now)
    assert len({c.name for c in big.clients}) == 2000  # scales with unique names


async def test_demo_serves_health_and_answers_help(tmp_path: Path) -> None:
    env = {**os.environ, "SALESBOT_DATABASE_URL": f"sqlite://{tmp_path}/demo.sqlite3"}
    salesbot = [sys.executable, "-m", "bot"]
    migrate = subprocess.run(
        [*salesbot, "migrate"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert migrate.returncode == 0, migrate.stderr
    applied = len(list((ROOT / "storage/migrations/sqlite/models").glob("*.py")))
    assert f"已执行 {applied} 个迁移" in migrate.stdout
    seed = subprocess.run(
        [*salesbot, "seed-demo"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert "写入 14 个客户" in seed.stdout, seed.stderr
    again = subprocess.run(
        [*salesbot, "seed-demo"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert "跳过" in again.stdout
    port = free_port()
    proc = serve_demo(env, port, stdout=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as session:
            await wait_healthy(session, base)
            # The demo's own tenant: the sandbox API acts as 张伟's WeCom client, the simulator
            # posts a signed callback, the bot answers through the simulator's message/send.
            body = {"user": "ZhangWei", "text": "/帮助"}
            async with session.post(base + "/sandbox/api/text", json=body) as r:
                assert r.status == 200, await r.text()

            async def answered() -> list:
                return await bot_said(session, base, "ZhangWei")

            sent = await eventually(answered, within=15)
            assert "可用的命令" in sent[0]["text"]
            async with session.get(base + "/sandbox") as r:
                assert r.status == 200
            async with session.post(base + "/test/messages", json=body) as r:
                assert r.status == 404  # demo mode drives the simulator, not a test channel
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err[-2000:]
    assert f"http://127.0.0.1:{port}/sandbox" in out
    await asyncio.sleep(0)


def test_demo_mode_refuses_to_listen_beyond_this_machine(tmp_path: Path) -> None:
    env = {**os.environ, "SALESBOT_DATABASE_URL": f"sqlite://{tmp_path}/demo.sqlite3"}
    run = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--demo", "--host", "0.0.0.0", "--port", "1"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert "演示模式只能绑定 127.0.0.1" in run.stdout


async def test_a_second_signal_during_shutdown_exits_at_once(tmp_path: Path) -> None:
    """Ctrl+C pressed twice (or pkill run twice) cuts the drain short; the process must still
    exit, saying so, rather than hang on the database driver's thread."""
    env = {**os.environ, "SALESBOT_DATABASE_URL": f"sqlite://{tmp_path}/demo.sqlite3"}
    salesbot = [sys.executable, "-m", "bot"]
    for step in ("migrate", "seed-demo"):
        done = subprocess.run([*salesbot, step], env=env, cwd=ROOT, capture_output=True)
        assert done.returncode == 0, done.stderr
    port = free_port()
    proc = serve_demo(env, port, stdout=subprocess.DEVNULL)
    assert proc.stderr is not None
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as session:
            await wait_healthy(session, base)
            # A voice note being transcribed keeps the drain busy for a second or two.
            body = {"user": "ZhangWei", "sample": "huadong_budget"}
            async with session.post(base + "/sandbox/api/sample", json=body) as r:
                assert r.status == 200, await r.text()

            async def receipt() -> list:
                said = await bot_said(session, base, "ZhangWei")
                return [i for i in said if "正在识别" in i.get("text", "")]

            await eventually(receipt, within=30)
        proc.send_signal(signal.SIGINT)
        while "salesbot stopping" not in await asyncio.to_thread(proc.stderr.readline):
            pass
        proc.send_signal(signal.SIGINT)
        # communicate() ends when stderr closes: only once the ASR worker process (which shares
        # it) has left too, instead of living on as an orphan holding the model.
        _, rest = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 1, rest[-2000:]
    assert "收到第二次停止信号" in rest
