"""A platform outage for the simulators: every API call fails until it is over.

Two shapes, as the platforms fail in practice: ``"http"`` — the gateway answers HTTP 503 with an
HTML page; ``"busy"`` — HTTP 200 with ``{"errcode": -1, "errmsg": "system busy"}`` (WeCom's busy
answer, and DingTalk's legacy envelope). The outage lasts until ``outage.end()``; the calls it
refused are counted, so a test can check the bot probed gently instead of hammering.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from aiohttp import web

Kind = Literal["http", "busy"]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Outage:
    spare: tuple[str, ...] = ()  # path prefixes the outage leaves up
    kind: Kind | None = None
    refused: int = 0  # calls answered with a failure while it lasted

    def begin(self, kind: Kind) -> None:
        self.kind = kind

    def end(self) -> None:
        self.kind = None

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if self.kind is None or request.path.startswith(self.spare or ("/__",)):
            return await handler(request)
        self.refused += 1
        if self.kind == "http":
            return web.Response(
                status=503, text="<html>503 Service Unavailable</html>", content_type="text/html"
            )
        return web.json_response({"errcode": -1, "errmsg": "system busy"})
