"""HTTP mode: DingTalk POSTs robot messages to ``callback_path`` with ``timestamp``/``sign``."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.channels import safejson
from bot.channels.dingtalk.parse import PLATFORM, ParseError
from bot.channels.dingtalk.sign import check_http_sign
from bot.clock import Clock
from bot.metrics import Metrics

log = logging.getLogger(__name__)

# Persist one verified robot message (parse + inbox); raises ParseError for a bad body.
Ingest = Callable[[dict[str, Any], str], Awaitable[None]]


def callback_route(
    path: str,
    *,
    app_secret: str,
    window_s: int,
    clock: Clock,
    metrics: Metrics,
    ingest: Ingest,
) -> web.RouteDef:
    async def callback(request: web.Request) -> web.Response:
        timestamp = request.headers.get("timestamp", "")
        sign = request.headers.get("sign", "")
        problem = check_http_sign(app_secret, timestamp, sign, clock.ms(), window_s * 1000)
        if problem is not None:
            metrics.rejected.labels(PLATFORM, problem).inc()
            log.warning("DingTalk callback refused: %s", problem)
            return web.json_response({"errcode": 403, "errmsg": "forbidden"}, status=403)
        try:
            body = safejson.loads(await request.text())
            if not isinstance(body, dict):
                raise ParseError("body is not an object")
            await ingest(body, "")
        except (ValueError, ParseError) as exc:  # JSONDecodeError, TooDeep, UnicodeDecodeError
            metrics.rejected.labels(PLATFORM, "malformed").inc()
            log.warning("DingTalk callback unreadable: %s", exc)
            return web.json_response({"errcode": 400, "errmsg": "bad request"}, status=400)
        # Persisted; the reply follows later through the sessionWebhook or the OpenAPI.
        return web.json_response({})

    return web.post(path, callback)
