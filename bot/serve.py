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
        from bot.demo.mode import DEMO_HOSTS, build_demo, create_demo_app

        if host not in DEMO_HOSTS:
            print("演示模式只能绑定 127.0.0.1（演示路由不对外开放）。")
            return 2
        host = "127.0.0.1"  # the simulator calls back on this address, so bind exactly it
        demo_setup = build_demo(config, port=port)
        app = create_demo_app(demo_setup)
        banner = (
            f"salesbot 演示模式已启动：{demo_setup.base_url}\n打开沙盒：{demo_setup.sandbox_url}"
        )
    else:
        app = create_app(config, runtime=build_runtime(config))
        banner = f"salesbot 已启动：http://{host}:{port}"

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
