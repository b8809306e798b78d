"""Run the bot until SIGINT/SIGTERM, then drain in-flight work before exiting."""

from __future__ import annotations

import logging

from aiohttp import web

from bot.app import build_runtime, create_app
from bot.config.models import AppConfig
from bot.logs import setup_logging

log = logging.getLogger(__name__)


def serve(config: AppConfig, *, host: str | None, port: int | None, demo: bool) -> int:
    setup_logging(config)
    host = host or config.server.host
    port = port or config.server.port
    if demo:
        from bot.demo.mode import build_demo_runtime

        if host not in ("127.0.0.1", "localhost"):
            print("演示模式只能绑定 127.0.0.1（演示路由不对外开放）。")
            return 2
        runtime = build_demo_runtime(config, port=port)
    else:
        runtime = build_runtime(config)
    app = create_app(config, runtime=runtime)
    banner = f"salesbot 已启动：http://{host}:{port}"
    if demo:
        banner += f"\n打开沙盒：http://{host}:{port}/sandbox"

    def announce(_: object) -> None:
        print(banner, flush=True)

    web.run_app(
        app,
        host=host,
        port=port,
        print=announce,
        access_log=None,
        shutdown_timeout=config.pipeline.drain_seconds,
    )
    return 0
