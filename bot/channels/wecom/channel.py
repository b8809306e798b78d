"""WecomChannel: one WeCom self-built app (自建应用) behind the ``Channel`` interface."""

from __future__ import annotations

import logging
import mimetypes
from typing import Any

from aiohttp import web

from bot.channels.base import (
    ChannelDeps,
    Delivered,
    DeliveryResult,
    MediaError,
    RateLimit,
    RetryLater,
    Undeliverable,
)
from bot.channels.wecom.callback import CallbackEndpoint
from bot.channels.wecom.cardsync import CardSync
from bot.channels.wecom.client import (
    WecomApiError,
    WecomClient,
    WecomTransportError,
    failure_of,
    invalid_users,
)
from bot.channels.wecom.crypto import WecomCrypto
from bot.channels.wecom.textsplit import split_utf8
from bot.config.channels import WecomApp
from bot.events import Event
from bot.replies import CardMessage, CardUpdate, File, Image, Markdown, Reply, Text
from storage.media import MediaUnavailable, stored_file

log = logging.getLogger(__name__)

MEDIA_GONE_ZH = "语音或文件已过期或无法获取，请重新发送。"


class WecomChannel:
    platform = "wecom"
    # WeCom drops a member's 31st message in a minute silently. The sender counts the messages
    # each delivery reports (a long text's parts too), but a card re-sent to a holder during an
    # update reaches someone else's window unseen: two below the limit absorbs those.
    rate_limit = RateLimit(per_minute=28, per_hour=990)
    max_text_bytes = 2048

    def __init__(self, app: WecomApp, deps: ChannelDeps) -> None:
        self.app = app
        self.deps = deps
        self.name = app.name
        crypto = WecomCrypto(
            app.token.get_secret_value(),
            app.encoding_aes_key.get_secret_value(),
            app.corp_id,
        )
        self.client = WecomClient(app, deps.clock)
        self.endpoint = CallbackEndpoint(app, crypto, deps)
        self.cards = CardSync(app, self.client, deps)

    def routes(self) -> list[web.RouteDef]:
        return self.endpoint.routes()

    async def start(self) -> None:
        await self.client.start()

    async def stop(self) -> None:
        # Ingress ends with the app; the REST session stays open so the outbox can drain
        # through it after stop(). The app calls close() once the sender has finished.
        return None

    async def close(self) -> None:
        await self.client.stop()

    # ------------------------------------------------------------------ delivering
    async def deliver(self, recipient: str, reply: Reply) -> DeliveryResult:
        if recipient.startswith("chat:"):
            return Undeliverable(
                "group chats are not supported on the WeCom app channel (appchat not implemented)"
            )
        try:
            if isinstance(reply, Text):
                return await self._send_text(recipient, "text", reply.text)
            if isinstance(reply, Markdown):
                return await self._send_text(recipient, "markdown", reply.text)
            if isinstance(reply, Image):
                return await self._send_media(
                    recipient, "image", reply.media_id, None, reply.caption
                )
            if isinstance(reply, File):
                return await self._send_media(recipient, "file", reply.media_id, reply.filename, "")
            if isinstance(reply, CardMessage):
                return await self.cards.send(recipient, reply.card_id)
            if isinstance(reply, CardUpdate):
                return await self.cards.update(reply.card_id)
        except WecomApiError as exc:
            return failure_of(exc)
        except WecomTransportError as exc:
            return RetryLater(5, str(exc))
        return Undeliverable(f"reply kind {reply.kind} is not supported on WeCom")

    async def _send(self, recipient: str, msgtype: str, body: dict[str, Any]) -> DeliveryResult:
        answer = await self.client.send_to(recipient, msgtype, body)
        invalid = invalid_users(answer)
        if invalid:
            log.warning("WeCom reported invalid users", extra={"invaliduser": "|".join(invalid)})
        if recipient in invalid:
            return Undeliverable(f"WeCom does not know user {recipient}")
        return Delivered(str(answer.get("msgid", "")))

    async def _send_text(self, recipient: str, msgtype: str, text: str) -> DeliveryResult:
        result: DeliveryResult = Undeliverable("empty message")
        sent = 0
        for part in split_utf8(text, self.max_text_bytes):
            if not part.strip():
                continue
            result = await self._send(recipient, msgtype, {"content": part})
            if not isinstance(result, Delivered):
                return result
            sent += 1
        return Delivered(result.ref, messages=sent) if isinstance(result, Delivered) else result

    async def _send_media(
        self, recipient: str, kind: str, media_pk: int, filename: str | None, caption: str
    ) -> DeliveryResult:
        try:
            media, data = await stored_file(media_pk)
        except MediaUnavailable as exc:
            return Undeliverable(str(exc))
        name = (
            filename or f"{media.sha256[:16]}{mimetypes.guess_extension(media.content_type) or ''}"
        )
        media_id = await self.client.upload(kind, name, media.content_type, data)
        result = await self._send(recipient, kind, {"media_id": media_id})
        if isinstance(result, Delivered) and caption:
            said = await self._send_text(recipient, "text", caption)
            if isinstance(said, Delivered):  # the image counts in the rate window too
                return Delivered(said.ref, messages=said.messages + 1)
            return said
        return result

    # ------------------------------------------------------------------ media
    async def fetch_media(self, event: Event) -> bytes:
        media_id = getattr(event, "media_id", "")
        if not media_id:
            raise MediaError("event carries no media id", MEDIA_GONE_ZH)
        try:
            data, _ = await self.client.get_media(media_id)
        except WecomApiError as exc:
            raise MediaError(f"media/get failed: errcode {exc.errcode}", MEDIA_GONE_ZH) from None
        except WecomTransportError as exc:
            raise MediaError(str(exc), "暂时无法从企业微信获取文件，请稍后再试。") from None
        return data
