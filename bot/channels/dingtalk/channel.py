"""The DingTalk channel: Stream or HTTP ingress → inbox; neutral replies → DingTalk messages."""

from __future__ import annotations

import logging
import mimetypes
import time
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot.channels.base import (
    ChannelDeps,
    Delivered,
    DeliveryResult,
    MediaError,
    RetryLater,
    Undeliverable,
)
from bot.channels.dingtalk.cardsend import CardSender
from bot.channels.dingtalk.client import ApiError, OpenApi
from bot.channels.dingtalk.http import callback_route
from bot.channels.dingtalk.links import LinkSigner
from bot.channels.dingtalk.messages import (
    SessionWebhooks,
    robot_message,
    text_pieces,
    webhook_body,
)
from bot.channels.dingtalk.page import ApprovalPage
from bot.channels.dingtalk.parse import (
    CARD_TOPIC,
    PLATFORM,
    ROBOT_TOPIC,
    ParseError,
    parse_card_callback,
    parse_robot_message,
)
from bot.channels.dingtalk.stream import Backoff, FrameRejected, StreamClient
from bot.config.channels import DingtalkApp
from bot.events import Event, FileEvent, ImageEvent, VoiceEvent
from bot.replies import CardMessage, CardUpdate, File, Image, Markdown, Reply, Text
from storage.media import MediaUnavailable, stored_file

log = logging.getLogger(__name__)

FLOW_CONTROL_RETRY_S = 60.0


class ChannelConfigError(ValueError):
    """The channel cannot start with this configuration; the message says what to set."""


class DingtalkChannel:
    platform = PLATFORM
    # DingTalk reports throttling explicitly (flowControlledStaffIdList, QPS error codes) instead
    # of dropping messages silently, and publishes no per-user window for app robots: we retry
    # what it refuses rather than hold messages back on a guessed limit.
    rate_limit = None
    max_text_bytes = 5000  # well under the msgParam size DingTalk accepts, after JSON escaping

    def __init__(self, app: DingtalkApp, deps: ChannelDeps) -> None:
        self.app = app
        self.name = app.name
        self.deps = deps
        self._secret = app.app_secret.get_secret_value()
        if not app.app_key or not self._secret:
            raise ChannelConfigError(
                f"钉钉应用 {app.name} 缺少 app_key 或 app_secret。"
                f" / DingTalk app '{app.name}' needs app_key and app_secret."
            )
        self.webhooks = SessionWebhooks(deps.clock)
        self.signer: LinkSigner | None = None
        self.page: ApprovalPage | None = None
        if app.card_template_id is None:
            self._setup_link_fallback()
        self._session: aiohttp.ClientSession | None = None
        self._api: OpenApi | None = None
        self._cards: CardSender | None = None
        self.stream: StreamClient | None = None

    def _setup_link_fallback(self) -> None:
        if not self.deps.link_secret or not self.deps.public_url:
            raise ChannelConfigError(
                "钉钉未配置互动卡片模板（card_template_id）时，卡片按钮会打开带签名的审批链接，"
                "必须设置 server.link_secret（环境变量 SALESBOT_LINK_SECRET，足够长的随机字符串）"
                "和 server.public_url。"
                " / Without channels.dingtalk.card_template_id, card buttons open signed links:"
                " set server.link_secret (SALESBOT_LINK_SECRET) and server.public_url."
            )
        base = "/dingtalk/card" if self.name == "dingtalk" else f"/dingtalk/{self.name}/card"
        self.signer = LinkSigner(self.deps.link_secret, self.deps.clock)
        self.page = ApprovalPage(
            app=self.name,
            base_path=base,
            signer=self.signer,
            cards=self.deps.cards,
            inbox=self.deps.inbox,
            clock=self.deps.clock,
            public_url=self.deps.public_url,
        )

    # --- lifecycle --------------------------------------------------------------------------

    def routes(self) -> list[web.RouteDef]:
        routes: list[web.RouteDef] = []
        if self.app.mode == "http":
            routes.append(
                callback_route(
                    self.app.callback_path,
                    app_secret=self._secret,
                    window_s=self.app.sign_window_s,
                    clock=self.deps.clock,
                    metrics=self.deps.metrics,
                    ingest=self._ingest_robot,
                )
            )
        if self.page is not None:
            routes += self.page.routes()
        return routes

    def _client(self) -> OpenApi:
        # Created on first use inside the running loop (the sender may deliver before start()).
        if self._api is None:
            timeout = aiohttp.ClientTimeout(total=self.app.timeout_s)
            self._session = aiohttp.ClientSession(timeout=timeout)
            self._api = OpenApi(
                self._session,
                base=self.app.openapi_base,
                oapi_base=self.app.oapi_base,
                app_key=self.app.app_key,
                app_secret=self._secret,
                robot_code=self.app.effective_robot_code,
                clock=self.deps.clock,
            )
        return self._api

    def openapi(self) -> OpenApi:
        """The OpenAPI client (org sync reads the directory through it)."""
        return self._client()

    def _card_sender(self) -> CardSender:
        if self._cards is None:
            self._cards = CardSender(
                app=self.name,
                robot_code=self.app.effective_robot_code,
                template_id=self.app.card_template_id,
                api=self._client(),
                cards=self.deps.cards,
                robot_send=self._robot_send,
                signer=self.signer,
                page=self.page,
                link_ttl_s=self.app.link_ttl_hours * 3600,
            )
        return self._cards

    async def start(self) -> None:
        topics = []
        if self.app.mode == "stream":
            topics = [ROBOT_TOPIC, CARD_TOPIC]
        elif self.app.card_template_id is not None:
            topics = [CARD_TOPIC]  # card taps come over Stream (callbackType STREAM) in any mode
        if not topics:
            return
        self._client()
        assert self._session is not None
        self.stream = StreamClient(
            self._session,
            openapi_base=self.app.openapi_base,
            client_id=self.app.app_key,
            client_secret=self._secret,
            topics=topics,
            handler=self._on_frame,
            backoff=Backoff(self.app.reconnect_base_s, self.app.reconnect_max_s),
            heartbeat_s=self.app.heartbeat_s,
            name=self.name,
        )
        await self.stream.start()

    async def stop(self) -> None:
        """Stop receiving; sending keeps working until close() (the outbox drains after us)."""
        if self.stream is not None:
            await self.stream.stop()
            self.stream = None

    async def close(self) -> None:
        await self.stop()
        session, self._session, self._api, self._cards = self._session, None, None, None
        if session is not None:
            await session.close()

    # --- ingress ----------------------------------------------------------------------------

    async def _on_frame(self, topic: str, data: dict[str, Any], headers: dict[str, Any]) -> Any:
        started = time.perf_counter()
        outcome = "stream-error"
        try:
            answer = await self._handle_frame(topic, data, headers)
            outcome = "stream"
            return answer
        finally:
            self.deps.metrics.callbacks.labels(PLATFORM, outcome).inc()
            self.deps.metrics.callback_seconds.labels(PLATFORM).observe(
                time.perf_counter() - started
            )

    async def _handle_frame(self, topic: str, data: dict[str, Any], headers: dict[str, Any]) -> Any:
        message_id = str(headers.get("messageId") or "")
        try:
            if topic == ROBOT_TOPIC:
                await self._ingest_robot(data, message_id)
                return None
            if topic == CARD_TOPIC:
                event = parse_card_callback(
                    data, app=self.name, message_id=message_id, now=self.deps.clock.now()
                )
                await self.deps.inbox.put(event)
                # Answered with no change: the final state arrives by PUT once the feature has
                # authorized and applied the tap (a "处理中" here could stick on a refused tap).
                return {}
        except ParseError as exc:
            self.deps.metrics.rejected.labels(PLATFORM, "malformed").inc()
            raise FrameRejected(str(exc)) from exc
        raise FrameRejected(f"unexpected topic {topic}")

    async def _ingest_robot(self, data: dict[str, Any], message_id: str) -> None:
        event = parse_robot_message(
            data, app=self.name, now=self.deps.clock.now(), fallback_id=message_id
        )
        if event is None:
            log.info("DingTalk message type %s is not handled", data.get("msgtype"))
            return
        self.webhooks.remember(event)
        await self.deps.inbox.put(event)  # a duplicate is fine: the frame is still acknowledged

    # --- media ------------------------------------------------------------------------------

    async def fetch_media(self, event: Event) -> bytes:
        if not isinstance(event, VoiceEvent | ImageEvent | FileEvent):
            raise MediaError("no media in this event", "这条消息没有可下载的文件。")
        try:
            return await self._client().download(event.media_id, self.app.max_media_bytes)
        except (ApiError, aiohttp.ClientError, TimeoutError) as exc:
            log.warning("DingTalk file download failed: %s", type(exc).__name__)
            raise MediaError(str(exc), "文件已过期或无法下载，请重新发送。") from exc

    # --- delivery ---------------------------------------------------------------------------

    async def deliver(self, recipient: str, reply: Reply) -> DeliveryResult:
        try:
            if isinstance(reply, Text | Markdown):
                return await self._send_text(recipient, reply)
            if isinstance(reply, CardMessage):
                return await self._card_sender().show(recipient, reply.card_id)
            if isinstance(reply, CardUpdate):
                return await self._card_sender().update(recipient, reply.card_id)
            if isinstance(reply, Image | File):
                return await self._send_media(recipient, reply)
        except ApiError as exc:
            if exc.transient:
                if exc.throttled:
                    return RetryLater(FLOW_CONTROL_RETRY_S, str(exc), platform_down=False)
                return RetryLater(5.0, str(exc))
            return Undeliverable(str(exc))
        except (aiohttp.ClientError, TimeoutError) as exc:
            return RetryLater(5.0, f"DingTalk unreachable: {type(exc).__name__}")
        return Undeliverable(f"unsupported reply {reply.kind}")

    async def _send_text(self, recipient: str, reply: Text | Markdown) -> DeliveryResult:
        result: DeliveryResult = Delivered()
        for piece in text_pieces(reply, self.max_text_bytes):
            hook = self.webhooks.get(recipient)
            if hook is not None and await self._client().session_send(hook, webhook_body(piece)):
                result = Delivered("webhook")
                continue
            if hook is not None:
                self.webhooks.forget(recipient)
            msg_key, param = robot_message(piece)
            result = await self._robot_send(recipient, msg_key, param)
            if not isinstance(result, Delivered):
                return result
        return result

    async def _robot_send(
        self, recipient: str, msg_key: str, param: dict[str, Any]
    ) -> DeliveryResult:
        api = self._client()
        if recipient.startswith("chat:"):
            return Delivered(await api.group_send(recipient[5:], msg_key, param))
        batch = await api.batch_send([recipient], msg_key, param)
        if recipient in batch.invalid:
            return Undeliverable(f"DingTalk does not know staffId {recipient}")
        if recipient in batch.flow_controlled:
            return RetryLater(FLOW_CONTROL_RETRY_S, "DingTalk flow control", platform_down=False)
        return Delivered(batch.keys[0] if batch.keys else "")

    async def _send_media(self, recipient: str, reply: Image | File) -> DeliveryResult:
        try:
            media, data = await stored_file(reply.media_id)
        except MediaUnavailable as exc:
            return Undeliverable(str(exc))
        # Uploading (rather than linking to a URL on the bot) works in Stream mode without a
        # public URL and keeps our files off the internet.
        if isinstance(reply, Image):
            ext = mimetypes.guess_extension(media.content_type) or ".png"
            media_id = await self._client().upload(data, f"image{ext}", "image", media.content_type)
            result = await self._robot_send(recipient, "sampleImageMsg", {"photoURL": media_id})
            if isinstance(result, Delivered) and reply.caption:
                return await self._send_text(recipient, Text(reply.caption))
            return result
        media_id = await self._client().upload(data, reply.filename, "file", media.content_type)
        file_type = Path(reply.filename).suffix.lstrip(".").lower() or "file"
        param = {"mediaId": media_id, "fileName": reply.filename, "fileType": file_type}
        return await self._robot_send(recipient, "sampleFile", param)
