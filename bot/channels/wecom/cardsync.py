"""Cards on WeCom: every send gets its own task id; updates spend single-use response codes.

A send's answer carries a response code for that copy; every tap brings a fresh one for the
tapper's copy (stored by the worker before handlers run). An update spends one code per holder
(cleared in the database first, so two replicas cannot spend it twice) and, when a holder has no
usable code left, sends the card to them anew instead of leaving a stale copy.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections import defaultdict
from datetime import timedelta
from typing import Any

from bot.channels.base import ChannelDeps, Delivered, DeliveryResult, RetryLater, Undeliverable
from bot.channels.wecom.client import (
    RATE_LIMITED,
    WecomApiError,
    WecomClient,
    WecomTransportError,
    failure_of,
    invalid_users,
)
from bot.config.channels import WecomApp
from cards.model import Card
from cards.store import CardStore
from cards.wecom import CardLimitError, render, replace_name
from storage.models import CardDelivery, CardInstance

log = logging.getLogger(__name__)

TASK_ID_EXISTS = 42014
_UNSAFE = re.compile(r"[^A-Za-z0-9_\-@]")


def new_handle(card_id: str) -> str:
    """``<card id>-<random>``: unique per send, within WeCom's task id charset and length."""
    suffix = secrets.token_hex(5)
    return _UNSAFE.sub("_", card_id)[: 128 - len(suffix) - 1] + "-" + suffix


class CardSync:
    def __init__(self, app: WecomApp, client: WecomClient, deps: ChannelDeps) -> None:
        self.app = app
        self.client = client
        self.deps = deps

    def _where(self) -> dict[str, Any]:
        return {"platform": "wecom", "app": self.app.name}

    async def send(self, recipient: str, card_id: str) -> DeliveryResult:
        instance = await self.deps.cards.get(card_id)
        if instance is None:
            return Undeliverable(f"card {card_id} does not exist")
        card = CardStore.card_of(instance)
        for attempt in range(2):
            handle = new_handle(card.id)
            try:
                body = render(card, handle, link=self.deps.public_url)
            except CardLimitError as exc:
                return Undeliverable(f"card cannot be shown on WeCom: {exc}")
            delivery = await CardDelivery.create(
                card_id=instance.id,
                recipient=recipient,
                handle=handle,
                rendered_version=instance.version,
                **self._where(),
            )
            try:
                answer = await self.client.send_to(recipient, "template_card", body)
            except WecomApiError as exc:
                await delivery.delete()
                if exc.errcode == TASK_ID_EXISTS and attempt == 0:
                    continue  # astronomically unlikely with a random suffix; a new one will do
                raise
            except WecomTransportError:
                await delivery.delete()
                raise
            if recipient in invalid_users(answer):
                await delivery.delete()
                return Undeliverable(f"WeCom does not know user {recipient}")
            code = answer.get("response_code") or None
            if code and card.closed:
                # A decided card shown anew: grey its buttons at once with its own code.
                code = await self._grey_now(recipient, code, card)
            delivery.response_code = code
            delivery.response_code_at = self.deps.clock.now() if code else None
            await delivery.save(update_fields=["response_code", "response_code_at"])
            return Delivered(handle)
        raise AssertionError("unreachable")

    async def update(self, card_id: str) -> DeliveryResult:
        instance = await self.deps.cards.get(card_id)
        if instance is None:
            return Undeliverable(f"card {card_id} does not exist")
        rows = await CardDelivery.filter(card_id=card_id, **self._where()).order_by("id")
        holders: dict[str, list[CardDelivery]] = defaultdict(list)
        for row in rows:
            holders[row.recipient].append(row)
        retry: list[str] = []
        for recipient, copies in holders.items():
            if max(c.rendered_version for c in copies) >= instance.version:
                continue  # already shows this version (an earlier, partly failed run did it)
            result = await self._update_holder(instance, recipient, copies)
            if isinstance(result, RetryLater):
                retry.append(recipient)
            elif isinstance(result, Undeliverable):
                log.warning(
                    "card copy could not be updated",
                    extra={"card_id": card_id, "recipient": recipient, "reason": result.reason},
                )
        if retry:
            return RetryLater(
                30, f"card update pending for {len(retry)} holder(s)", platform_down=False
            )
        return Delivered(card_id)

    async def _update_holder(
        self, instance: CardInstance, recipient: str, copies: list[CardDelivery]
    ) -> DeliveryResult:
        card = CardStore.card_of(instance)
        oldest = self.deps.clock.now() - timedelta(seconds=self.app.response_code_ttl_s)
        for copy in reversed(copies):  # the newest copy with a usable code
            code = copy.response_code
            if not code or copy.response_code_at is None or copy.response_code_at < oldest:
                continue
            spent = await CardDelivery.filter(id=copy.id, response_code=code).update(
                response_code=None, response_code_at=None
            )
            if not spent:
                continue  # another replica spent it first
            if card.closed:
                update = self._grey(recipient, code, card)
            else:
                try:
                    body = render(card, copy.handle, link=self.deps.public_url)
                except CardLimitError as exc:
                    return Undeliverable(f"card cannot be shown on WeCom: {exc}")
                update = {**self._base(recipient, code), "template_card": body}
            try:
                await self.client.update_template_card(update)
            except WecomApiError as exc:
                if exc.errcode == RATE_LIMITED:
                    return RetryLater(60, "WeCom API rate limit")
                log.info(
                    "response code refused; trying the next copy",
                    extra={"errcode": exc.errcode, "recipient": recipient},
                )
                continue
            except WecomTransportError as exc:
                return RetryLater(5, str(exc))
            await CardDelivery.filter(id=copy.id).update(rendered_version=instance.version)
            return Delivered(copy.handle)
        # No usable code for this holder: a fresh copy is better than a silently stale one.
        try:
            return await self.send(recipient, instance.id)
        except WecomApiError as exc:
            return failure_of(exc)
        except WecomTransportError as exc:
            return RetryLater(5, str(exc))

    async def _grey_now(self, recipient: str, code: str, card: Card) -> str | None:
        try:
            await self.client.update_template_card(self._grey(recipient, code, card))
        except (WecomApiError, WecomTransportError) as exc:
            # The card is out; keep the code so the next update can still grey it.
            log.warning("could not grey a re-sent card", extra={"error": str(exc)})
            return code
        return None

    def _base(self, recipient: str, code: str) -> dict[str, Any]:
        return {"userids": [recipient], "agentid": self.app.agent_id, "response_code": code}

    def _grey(self, recipient: str, code: str, card: Card) -> dict[str, Any]:
        return {**self._base(recipient, code), "button": {"replace_name": replace_name(card)}}
