"""Operational endpoints: /healthz for load balancers, /metrics for Prometheus."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, cast

from aiohttp import web
from aiohttp.typedefs import Middleware
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot.opstatus import refresh

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

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
            await refresh(rt.metrics, rt.db, rt.clock.ms())
        body = generate_latest(rt.metrics.registry)
        resp = web.Response(body=body)
        resp.content_type = CONTENT_TYPE_LATEST.split(";")[0]
        resp.charset = "utf-8"
        return resp

    return [web.get("/healthz", healthz), web.get("/metrics", metrics)]


def callback_metrics(rt: Runtime) -> Middleware:
    """Count and time every request to a channel's callback routes, labelled by platform."""
    platform_of = {route.path: ch.platform for ch in rt.channels for route in ch.routes()
                   if isinstance(route, web.RouteDef)}  # fmt: skip

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        resource = request.match_info.route.resource
        platform = platform_of.get(resource.canonical) if resource is not None else None
        if platform is None:
            return await handler(request)
        started = time.perf_counter()
        status = 500
        try:
            response = await handler(request)
            status = response.status
            return response
        except web.HTTPException as exc:
            status = exc.status
            raise
        finally:
            rt.metrics.callbacks.labels(platform, str(status)).inc()
            rt.metrics.callback_seconds.labels(platform).observe(time.perf_counter() - started)

    return cast(Middleware, middleware)  # the decorator's type hides the parameter names
