"""Run the demo app (bot + built-in WeCom simulator + sandbox) in-process on a free port."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

from aiohttp import web

from bot.config.models import AppConfig
from bot.devtools.demo.mode import Demo, build_demo, create_demo_app
from bot.devtools.demo.seed import seed_demo
from tests.support.harness import make_config


def demo_test_config(db_url: str, tmp_path: Path) -> AppConfig:
    config = make_config(db_url)
    media = config.database.model_copy(update={"media_dir": str(tmp_path / "media")})
    return config.model_copy(update={"database": media})


@asynccontextmanager
async def running_demo(config: AppConfig) -> AsyncIterator[Demo]:
    """What ``salesbot demo`` serves, on a fresh migrated database, seeded like the demo."""
    # Bound before the demo is built: its config carries the port (api_base, callback URL).
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    demo = build_demo(config, port=sock.getsockname()[1])
    runner = web.AppRunner(create_demo_app(demo), access_log=None)
    await runner.setup()
    try:
        await seed_demo(config, demo.runtime.db, days=28, seed=7, now=datetime.now(UTC))
        await web.SockSite(runner, sock).start()
        yield demo
    finally:
        await runner.cleanup()
        sock.close()
