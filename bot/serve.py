"""Run the bot until SIGINT/SIGTERM, then drain in-flight work before exiting."""

from __future__ import annotations

import contextlib
import logging
import os
import sys

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
        from bot.devtools.demo.mode import DEMO_HOSTS, build_demo, create_demo_app

        if host not in DEMO_HOSTS:
            print("演示模式只能绑定 127.0.0.1（演示路由不对外开放）。")
            return 2
        host = "127.0.0.1"  # the simulator calls back on this address, so bind exactly it
        demo_setup = build_demo(config, port=port)
        runtime = demo_setup.runtime
        app = create_demo_app(demo_setup)
        banner = (
            f"salesbot 演示模式已启动：{demo_setup.base_url}\n打开沙盒：{demo_setup.sandbox_url}"
        )
    else:
        runtime = build_runtime(config)
        app = create_app(config, runtime=runtime)
        banner = f"salesbot 已启动：http://{host}:{port}"

    def announce(_: object) -> None:
        print(banner, flush=True)

    # A second signal is raised out of the shutdown itself: see below.
    with contextlib.suppress(web.GracefulExit, KeyboardInterrupt):
        web.run_app(
            app,
            host=host,
            port=port,
            print=announce,
            access_log=None,
            shutdown_timeout=config.pipeline.drain_seconds,
        )
    if not runtime.stopped:
        # A second Ctrl+C (or SIGTERM) during the drain cuts the shutdown short, and the
        # database driver's thread would then keep the process alive for ever. Leaving now
        # loses nothing: unfinished messages stay in the inbox and run after the next start.
        log.warning("shutdown cut short by a second signal")
        print(
            "收到第二次停止信号，未等处理完成即退出；没处理完的消息仍在收件箱里，下次启动后继续处理。",
            file=sys.stderr,
            flush=True,
        )
        os._exit(1)
    return 0
