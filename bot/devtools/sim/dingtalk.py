"""A local DingTalk: OpenAPI, sessionWebhooks and the Stream gateway, for tests and a sandbox.

    sim = DingtalkSimulator(clock=clock)
    await sim.start()                              # 127.0.0.1:<free port>, random credentials
    app = sim.app_config()                         # a DingtalkApp pointing here (Stream mode)
    ...start the bot...
    await sim.wait_connected()
    await sim.send_text("staff2001", "今天拜访了华东机械")       # pushed over Stream, acked
    item = await sim.wait_for("staff2001", lambda i: i.kind == "card")
    await sim.tap("staff2001", item.card.out_track_id, "同意")
    sim.items("staff2001")                          # what the user sees; cards kept current
    await sim.drop(); await sim.replay(message_id); await sim.disconnect(); await sim.ping()
    await sim.post_http(url, sim.text_message("staff2001", "hi"))   # HTTP mode, signed

Credentials are random per instance; nothing is read from or written to files.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web

from bot.channels.dingtalk.parse import CARD_TOPIC, ROBOT_TOPIC
from bot.channels.dingtalk.sign import http_sign
from bot.clock import Clock, SystemClock
from bot.config.channels import DingtalkApp
from bot.devtools.sim.dingtalk_directory import Directory, DirectoryRoutes
from bot.devtools.sim.dingtalk_feed import FeedItem, SimCard
from bot.devtools.sim.dingtalk_gateway import Gateway
from bot.devtools.sim.dingtalk_openapi import OpenApiRoutes
from bot.devtools.sim.dingtalk_payloads import (
    audio_body,
    card_callback,
    new_msg_id,
    robot_message,
    sample_amr,
    text_body,
)
from bot.devtools.sim.dingtalk_tenant import Tenant
from bot.devtools.sim.outage import Outage

LOCALHOST = "127.0.0.1"

__all__ = ["DingtalkSimulator", "FeedItem", "Pushed", "SimCard", "sample_amr"]


@dataclass
class Pushed:
    """A robot message pushed over Stream: its body, the frame's messageId and the bot's ack."""

    body: dict[str, Any]
    message_id: str
    ack: dict[str, Any] | None

    @property
    def msg_id(self) -> str:
        return str(self.body["msgId"])


class DingtalkSimulator:
    def __init__(self, *, clock: Clock | None = None, seed: int | None = None) -> None:
        self.clock = clock or SystemClock()
        self.tenant = Tenant(self.clock)
        self.directory = Directory()  # the contacts the topapi directory endpoints serve
        self.gateway = Gateway(self.tenant, random.Random(seed))
        self.outage = Outage(
            spare=("/v1.0/gateway", "/connect")
        )  # sim.outage.begin("http" | "busy") … sim.outage.end()
        self.base_url = ""
        self._runner: web.AppRunner | None = None
        self._p2p: dict[str, str] = {}  # staffId → the 1:1 conversationId with the robot

    # --- serving ----------------------------------------------------------------------------

    @property
    def app_key(self) -> str:
        return self.tenant.app_key

    @property
    def app_secret(self) -> str:
        return self.tenant.app_secret

    def web_app(self) -> web.Application:
        # The gateway (Stream) stays up: an outage of the OpenAPI is what replies must survive.
        app = web.Application(middlewares=[self.outage.middleware])
        app.add_routes(
            OpenApiRoutes(self.tenant).routes()
            + DirectoryRoutes(self.tenant, self.directory).routes()
            + self.gateway.routes()
        )
        return app

    async def start(self, port: int = 0) -> str:
        """Serve on 127.0.0.1 (a free port unless given); returns the base URL."""
        self._runner = web.AppRunner(self.web_app(), access_log=None, shutdown_timeout=1)
        await self._runner.setup()
        await web.TCPSite(self._runner, LOCALHOST, port).start()
        self.base_url = f"http://{LOCALHOST}:{self._runner.addresses[0][1]}"
        self.tenant.base_url = self.base_url
        return self.base_url

    async def stop(self) -> None:
        if self._runner is not None:
            for conn in list(self.gateway.connections):
                await conn.ws.close()
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> DingtalkSimulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def mount(self, parent: web.Application, prefix: str, public_base: str) -> str:
        """Serve under ``prefix`` of another app (e.g. a sandbox); returns the base URL."""
        parent.add_subapp(prefix.rstrip("/"), self.web_app())
        self.base_url = public_base.rstrip("/") + prefix.rstrip("/")
        self.tenant.base_url = self.base_url
        return self.base_url

    def app_config(self, name: str = "dingtalk", **overrides: Any) -> DingtalkApp:
        """The bot's configuration for this app (what an admin copies from the console)."""
        values: dict[str, Any] = {
            "name": name,
            "app_key": self.app_key,
            "app_secret": self.app_secret,
            "openapi_base": self.base_url,
            "oapi_base": self.base_url,
        }
        return DingtalkApp(**{**values, **overrides})

    # --- what users see ---------------------------------------------------------------------

    def items(self, user: str) -> list[FeedItem]:
        """Everything ``user`` (or ``chat:<cid>``) received, oldest first."""
        return self.tenant.feed.items(user)

    async def wait_for(
        self, user: str, predicate: Callable[[FeedItem], bool], within: float = 10.0
    ) -> FeedItem:
        return await self.tenant.feed.wait_for(user, predicate, within)

    async def wait_until(self, probe: Callable[[], Any], within: float = 10.0) -> Any:
        """Wait for any condition over the simulator's state (re-checked on every change)."""
        return await self.tenant.feed.wait_until(probe, within)

    def card(self, out_track_id: str) -> SimCard:
        return self.tenant.cards[out_track_id]

    # --- knobs ------------------------------------------------------------------------------

    def mark_invalid(self, *staff_ids: str) -> None:
        """These staffIds come back in invalidStaffIdList."""
        self.tenant.invalid_staff.update(staff_ids)

    def flow_control(self, staff_id: str, times: int = 1) -> None:
        """The next ``times`` sends to ``staff_id`` come back in flowControlledStaffIdList."""
        self.tenant.flow_control[staff_id] = times

    def revoke_tokens(self) -> None:
        """Every access token is now refused (401), as after a secret rotation."""
        self.tenant.revoke_tokens()

    def add_file(self, data: bytes) -> str:
        """Store a file as DingTalk would for a message; returns its downloadCode."""
        return self.tenant.add_file(data)

    @property
    def downloads(self) -> list[str]:
        return list(self.tenant.downloads)

    # --- building robot messages ------------------------------------------------------------

    def message(
        self,
        user: str,
        msgtype: str,
        body: dict[str, Any],
        *,
        group: str | None = None,
        msg_id: str | None = None,
    ) -> dict[str, Any]:
        """A robot message body as DingTalk sends it (Stream ``data`` or the HTTP-mode body)."""
        cid = group or self._p2p.setdefault(user, "cid" + secrets.token_urlsafe(16))
        webhook, expires = self.tenant.new_session(f"chat:{group}" if group else user)
        return robot_message(
            robot_code=self.tenant.robot_code,
            user=user,
            msgtype=msgtype,
            body=body,
            created_ms=self.clock.ms(),
            session_webhook=webhook,
            session_expires_ms=expires,
            conversation_id=cid,
            group=group is not None,
            msg_id=msg_id or new_msg_id(),
        )

    def text_message(self, user: str, text: str, *, group: str | None = None) -> dict[str, Any]:
        return self.message(user, "text", text_body(text, group=group is not None), group=group)

    def audio_message(
        self,
        user: str,
        *,
        audio: bytes | None = None,
        recognition: str | None = None,
        duration_ms: int = 1000,
    ) -> dict[str, Any]:
        code = self.add_file(audio if audio is not None else sample_amr(duration_ms / 1000))
        return self.message(user, "audio", audio_body(code, recognition, duration_ms))

    def picture_message(self, user: str, data: bytes) -> dict[str, Any]:
        code = self.add_file(data)
        return self.message(
            user, "picture", {"content": {"downloadCode": code, "pictureDownloadCode": code}}
        )

    def file_message(self, user: str, data: bytes, filename: str) -> dict[str, Any]:
        content = {"downloadCode": self.add_file(data), "fileName": filename, "fileId": "f1"}
        return self.message(user, "file", {"content": content})

    # --- Stream mode ------------------------------------------------------------------------

    async def wait_connected(self, count: int = 1, within: float = 10.0) -> None:
        await self.gateway.wait_connected(count, within)

    async def push(
        self, message: dict[str, Any], *, wait_ack: bool = True, lose_ack: bool = False
    ) -> Pushed:
        """Deliver a robot message over Stream; with ``lose_ack`` the bot's ack never arrives."""
        mid, ack = await self.gateway.push(
            ROBOT_TOPIC, message, wait_ack=wait_ack, lose_ack=lose_ack
        )
        return Pushed(message, mid, ack)

    async def send_text(self, user: str, text: str, *, group: str | None = None) -> Pushed:
        return await self.push(self.text_message(user, text, group=group))

    async def send_audio(
        self,
        user: str,
        *,
        audio: bytes | None = None,
        recognition: str | None = None,
        duration_ms: int = 1000,
    ) -> Pushed:
        msg = self.audio_message(
            user, audio=audio, recognition=recognition, duration_ms=duration_ms
        )
        return await self.push(msg)

    async def tap(
        self,
        user: str,
        out_track_id: str,
        button: str,
        *,
        params: dict[str, Any] | None = None,
    ) -> dict[str, Any] | None:
        """``user`` taps the button (by text or payload) of a card; returns the bot's ack."""
        found = self.card(out_track_id).button(button)
        payload = found["payload"] if found else button
        data = card_callback(user=user, out_track_id=out_track_id, payload=payload, params=params)
        _, ack = await self.gateway.push(CARD_TOPIC, data)
        return ack

    async def replay(self, message_id: str) -> dict[str, Any] | None:
        return await self.gateway.replay(message_id)

    async def drop(self) -> None:
        await self.gateway.drop()

    async def disconnect(self) -> None:
        await self.gateway.disconnect()

    def refuse_connections(self, times: int) -> None:
        """The next ``times`` connections/open calls fail with HTTP 503."""
        self.gateway.refuse_opens = times

    async def ping(self) -> list[dict[str, Any]]:
        return await self.gateway.ping()

    # --- HTTP mode --------------------------------------------------------------------------

    async def post_http(
        self,
        url: str,
        message: dict[str, Any],
        *,
        timestamp_ms: int | None = None,
        secret: str | None = None,
    ) -> tuple[int, str]:
        """POST a robot message to the bot as HTTP mode does, signed (or mis-signed)."""
        timestamp = str(timestamp_ms if timestamp_ms is not None else self.clock.ms())
        sign = http_sign(secret if secret is not None else self.app_secret, timestamp)
        headers = {"timestamp": timestamp, "sign": sign}
        async with (
            aiohttp.ClientSession() as session,
            session.post(url, json=message, headers=headers) as resp,
        ):
            return resp.status, await resp.text()
