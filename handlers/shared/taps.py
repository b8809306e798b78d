"""The one step every card tap goes through, on either platform.

ask the access policy whether the tapper's role may do the tap's action at all (its
``permission``, checked like a command's) → load the card → refuse a closed card or a stale
drawing (the tapper gets a short note and the card redrawn as it is now) → only the card's
actors may act → run the feature's handler inside one transaction that first locks the card at
the version the button was drawn for → save the card with an optimistic version check → write
the audit entry. Every refusal by the policy is audited. Of two concurrent taps on one card,
the first to lock wins; the other finds the version moved and is told.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.clock import Clock
from bot.config.org import Person
from bot.events import CardActionEvent
from bot.pipeline.context import Context
from bot.pipeline.taps import Tap, TapResult, TapSpec
from bot.replies import CardUpdate, Text
from cards.actions import card_id_of
from cards.store import CardConflict, CardStore
from handlers.shared.access import (
    CARD_CLOSED,
    CARD_GONE,
    CARD_STALE,
    CARD_TAKEN,
    AccessPolicy,
)
from storage.db import Database
from storage.models import AuditLog, CardInstance
from storage.status import CardStatus, is_final

log = logging.getLogger(__name__)

STATUS_LABELS = {"saved": "已保存", "discarded": "已丢弃", "closed": "已关闭"}


class SharedTapStep:
    def __init__(self, db: Database, cards: CardStore, policy: AccessPolicy, clock: Clock) -> None:
        self.db = db
        self.cards = cards
        self.policy = policy
        self.clock = clock

    async def run(self, ctx: Context, spec: TapSpec) -> None:
        event = ctx.event
        assert isinstance(event, CardActionEvent)
        person = ctx.person
        if person is None:
            # A tap from someone not on the list (a stranger, another org's member) is refused
            # and audited like any other refused tap; the actor is their platform id, not a person.
            actor = f"{event.platform}:{event.user_id}"[:64]
            card_id = (card_id_of(event.payload) or "")[:64]  # a forged payload may be long
            await self._audit(event, actor, "card.refused", card_id, {"tap": spec.name})
            ctx.reply(Text(self.policy.unknown_user(event.platform, event.user_id)))
            return
        if await self._role_refused(ctx, event, person, spec):
            return
        action = spec.action.unpack(event.payload)
        instance = await self.cards.get(action.card) if action is not None else None
        if action is None or instance is None:
            ctx.reply(Text(CARD_GONE))
            return
        if is_final(CardStatus, instance.status):
            state = CardStore.card_of(instance).closed or STATUS_LABELS.get(instance.status, "")
            ctx.reply(Text(CARD_CLOSED.format(state=state)), CardUpdate(instance.id))
            return
        if action.v != instance.version:
            ctx.reply(Text(CARD_STALE), CardUpdate(instance.id))
            return
        refusal = self.policy.card_refusal(person, instance, CardStore.actors_of(instance))
        if refusal is not None:
            await self._audit(event, person.id, "card.refused", instance.id, {"tap": spec.name})
            ctx.reply(Text(refusal.text))
            return
        queued = len(ctx.pending)
        try:
            async with self.db.transaction():
                locked = await self._lock(instance.id, action.v)
                if locked is None:
                    raise CardConflict(instance.id)
                ctx.tap = Tap(action, locked, person, event)
                result = await spec.handler(ctx)
                details: dict[str, Any] = {"from_version": action.v}
                if isinstance(result, TapResult):
                    if result.changes_card:
                        await self.cards.save(
                            locked,
                            result.card or CardStore.card_of(locked),
                            result.data if result.data is not None else CardStore.data_of(locked),
                            result.status,
                            result.actors,
                        )
                    details |= dict(result.audit)
                details["to_version"] = locked.version
                await self._audit(event, person.id, spec.name, instance.id, details)
        except CardConflict:
            del ctx.pending[queued:]  # what the losing handler meant to say did not happen
            ctx.reply(Text(CARD_TAKEN), CardUpdate(instance.id))
        finally:
            ctx.tap = None

    async def _role_refused(
        self, ctx: Context, event: CardActionEvent, person: Person, spec: TapSpec
    ) -> bool:
        """May ``person``'s role make this kind of tap at all? Asked before the card is even
        loaded, so a role that may never do it learns nothing of the card."""
        if spec.permission is None:
            return False
        refusal = self.policy.action_refusal(person, spec.permission)
        if refusal is None:
            return False
        card_id = (card_id_of(event.payload) or "")[:64]
        details = {"tap": spec.name, "permission": spec.permission}
        await self._audit(event, person.id, "card.refused", card_id, details)
        ctx.reply(Text(refusal))
        return True

    async def _lock(self, card_id: str, version: int) -> CardInstance | None:
        # PostgreSQL: the row lock makes a concurrent tap wait, then see the new version.
        # SQLite: the transaction began IMMEDIATE, so it already holds the write lock.
        query = CardInstance.filter(id=card_id, version=version)
        if self.db.dialect == "postgres":
            query = query.select_for_update()
        return await query.first()

    async def _audit(
        self,
        event: CardActionEvent,
        actor: str,
        action: str,
        card_id: str,
        details: dict[str, Any],
    ) -> None:
        await AuditLog.create(
            at=self.clock.now(),
            actor=actor,
            action=action,
            subject_type="card",
            subject_id=card_id,
            details={
                "platform": event.platform,
                "app": event.app,
                "user": event.user_id,
                "payload": event.payload,
                **details,
            },
        )
