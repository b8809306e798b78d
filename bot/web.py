"""Operational endpoints: /healthz for load balancers, /metrics for Prometheus."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

if TYPE_CHECKING:
    from bot.app import Runtime


def ops_routes(rt: Runtime) -> list[web.RouteDef]:
    async def healthz(request: web.Request) -> web.Response:
        if not rt.ready:
            return web.json_response({"status": "starting"}, status=503)
        try:
            await rt.db.ping()
        except Exception as exc:
            return web.json_response(
                {"status": "unhealthy", "database": type(exc).__name__}, status=503
            )
        return web.json_response({"status": "ok", "database": rt.db.dialect})

    async def metrics(request: web.Request) -> web.Response:
        if rt.ready:
            rt.metrics.backlog.set(await rt.inbox.backlog())
        body = generate_latest(rt.metrics.registry)
        resp = web.Response(body=body)
        resp.content_type = CONTENT_TYPE_LATEST.split(";")[0]
        resp.charset = "utf-8"
        return resp

    return [web.get("/healthz", healthz), web.get("/metrics", metrics)]
