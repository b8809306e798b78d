"""Cards to DingTalk: interactive cards (createAndDeliver, PUT) or the signed-link fallback."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from tortoise.queryset import QuerySet

from bot.channels.base import Delivered, DeliveryResult, RetryLater, Undeliverable
from bot.channels.dingtalk.client import ApiError, OpenApi
from bot.channels.dingtalk.links import LinkSigner
from bot.channels.dingtalk.page import ApprovalPage
from bot.channels.dingtalk.parse import PLATFORM
from cards.dingtalk import action_card, create_and_deliver_body, update_body
from cards.store import CardStore
from storage.models import CardDelivery, CardInstance

log = logging.getLogger(__name__)

# (recipient, msgKey, msgParam) → result: the channel's plain robot-message send.
RobotSend = Callable[[str, str, dict[str, Any]], Awaitable[DeliveryResult]]

GROUP_NOTE = "\n\n> 请在与机器人的单聊中处理此事项。"


class CardSender:
    def __init__(
        self,
        *,
        app: str,
        robot_code: str,
        template_id: str | None,
        api: OpenApi,
        cards: CardStore,
        robot_send: RobotSend,
        signer: LinkSigner | None,
        page: ApprovalPage | None,
        link_ttl_s: float,
    ) -> None:
        self.app = app
        self.robot_code = robot_code
        self.template_id = template_id
        self.api = api
        self.cards = cards
        self.robot_send = robot_send
        self.signer = signer
        self.page = page
        self.link_ttl_s = link_ttl_s

    def _deliveries(self, card_id: str) -> QuerySet[CardDelivery]:
        return CardDelivery.filter(card_id=card_id, platform=PLATFORM, app=self.app)

    async def show(self, recipient: str, card_id: str) -> DeliveryResult:
        instance = await self.cards.get(card_id)
        if instance is None:
            return Undeliverable(f"card {card_id} does not exist")
        if self.template_id is None:
            return await self._send_fallback(recipient, instance)
        return await self._create(recipient, instance, self.template_id)

    async def update(self, recipient: str, card_id: str) -> DeliveryResult:
        instance = await self.cards.get(card_id)
        if instance is None:
            return Undeliverable(f"card {card_id} does not exist")
        if self.template_id is None:
            # An ActionCard cannot change once sent: the recipient gets the new state anew,
            # unless they already hold the current version.
            latest = (
                await self._deliveries(card_id).filter(recipient=recipient).order_by("-id").first()
            )
            if latest is not None and latest.rendered_version >= instance.version:
                return Delivered("already current")
            return await self._send_fallback(recipient, instance)
        card = CardStore.card_of(instance)
        stale = await self._deliveries(card_id).filter(
            rendered_version__gt=0, rendered_version__lt=instance.version
        )
        refused: list[str] = []
        for row in stale:  # one PUT per DingTalk instance of this card: everyone's copy
            try:
                await self.api.update_card(
                    update_body(card, version=instance.version, out_track_id=row.handle)
                )
            except ApiError as exc:
                if exc.transient:
                    raise  # retried as a whole; copies already redrawn are skipped then
                log.warning("DingTalk refused to update card %s: %s", row.handle, exc)
                refused.append(row.handle)
                continue
            await CardDelivery.filter(id=row.id).update(rendered_version=instance.version)
        if stale and len(refused) == len(stale):
            return Undeliverable(f"DingTalk refused every copy of card {card_id}")
        return Delivered(f"updated {len(stale) - len(refused)}")

    async def _create(
        self, recipient: str, instance: CardInstance, template_id: str
    ) -> DeliveryResult:
        card = CardStore.card_of(instance)
        # An unconfirmed row is an earlier attempt of this delivery: reuse its outTrackId so a
        # retry cannot show the card twice.
        row = (
            await self._deliveries(instance.id)
            .filter(recipient=recipient, rendered_version=0)
            .first()
        )
        reused = row is not None
        if row is None:
            count = await self._deliveries(instance.id).count()
            handle = instance.id if count == 0 else f"{instance.id}-{count + 1}"
            row = await CardDelivery.create(
                card_id=instance.id,
                platform=PLATFORM,
                app=self.app,
                recipient=recipient,
                handle=handle,
                rendered_version=0,
            )
        body = create_and_deliver_body(
            card,
            version=instance.version,
            template_id=template_id,
            out_track_id=row.handle,
            robot_code=self.robot_code,
            recipient=recipient,
        )
        try:
            await self.api.create_and_deliver(body)
        except ApiError as exc:
            if not exc.already_exists:
                raise
            if not reused:  # another replica took this outTrackId a moment ago
                await row.delete()
                return RetryLater(0.5, "outTrackId already in use", platform_down=False)
            # Our earlier attempt landed: bring that instance up to date.
            await self.api.update_card(
                update_body(card, version=instance.version, out_track_id=row.handle)
            )
        await CardDelivery.filter(id=row.id).update(rendered_version=instance.version)
        return Delivered(row.handle)

    async def _send_fallback(self, recipient: str, instance: CardInstance) -> DeliveryResult:
        card = CardStore.card_of(instance)
        group = recipient.startswith("chat:")
        urls: list[str] = []
        page_url = ""
        handle = f"md-{instance.id}-v{instance.version}"
        open_buttons = bool(card.buttons or card.submit) and not card.closed
        if open_buttons and not group and self.signer is not None and self.page is not None:
            # A link acts as the person it was sent to, so links go to 1:1 chats only.
            token, claims = self.signer.issue(
                app=self.app, card_id=instance.id, user_id=recipient, ttl_s=self.link_ttl_s
            )
            page_url = self.page.url(token)
            urls = [f"{page_url}?b={i}" for i in range(len(card.buttons))]
            handle = f"link-{claims.nonce}"
        msg_key, param = action_card(card, urls, page_url)
        if group and open_buttons:
            param["text"] += GROUP_NOTE
        result = await self.robot_send(recipient, msg_key, param)
        if isinstance(result, Delivered):
            await self._record(recipient, instance, handle)
        return result

    async def _record(self, recipient: str, instance: CardInstance, handle: str) -> None:
        row = await self._deliveries(instance.id).filter(recipient=recipient, handle=handle).first()
        if row is None:
            await CardDelivery.create(
                card_id=instance.id,
                platform=PLATFORM,
                app=self.app,
                recipient=recipient,
                handle=handle,
                rendered_version=instance.version,
            )
        else:
            await CardDelivery.filter(id=row.id).update(rendered_version=instance.version)
