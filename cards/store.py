"""Cards in the database: created once with a stable id, redrawn by bumping their version."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from bot.clock import Clock
from cards.model import Card
from storage.models import CardDelivery, CardInstance


def new_card_id(prefix: str) -> str:
    # Ids double as WeCom task ids (letters, digits, _-@; never reused within an app).
    return f"{prefix}-{secrets.token_hex(8)}"


class CardStore:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    async def create(
        self,
        card: Card,
        *,
        kind: str,
        owner_id: str | None,
        data: dict[str, Any],
        subject: tuple[str, str] | None = None,
        status: str = "open",
    ) -> CardInstance:
        now = self.clock.now()
        return await CardInstance.create(
            id=card.id,
            kind=kind,
            owner_id=owner_id,
            status=status,
            subject_type=subject[0] if subject else None,
            subject_id=subject[1] if subject else None,
            state={"card": card.to_dict(), "data": data},
            created_at=now,
            updated_at=now,
        )

    async def get(self, card_id: str) -> CardInstance | None:
        return await CardInstance.get_or_none(id=card_id)

    async def save(
        self, instance: CardInstance, card: Card, data: dict[str, Any], status: str | None = None
    ) -> CardInstance:
        instance.state = {"card": card.to_dict(), "data": data}
        instance.version += 1
        instance.updated_at = self.clock.now()
        if status is not None:
            instance.status = status
        await instance.save()
        return instance

    @staticmethod
    def card_of(instance: CardInstance) -> Card:
        return Card.from_dict(instance.state["card"])

    @staticmethod
    def data_of(instance: CardInstance) -> dict[str, Any]:
        return dict(instance.state.get("data", {}))

    async def note_response_code(
        self, platform: str, app: str, handle: str, recipient: str, code: str, at: datetime
    ) -> None:
        """A tap brings a fresh single-use code for updating the tapper's copy of the card."""
        await CardDelivery.filter(
            platform=platform, app=app, handle=handle, recipient=recipient
        ).update(response_code=code, response_code_at=at)
