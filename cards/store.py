"""Cards in the database: created once with a stable id, redrawn by bumping their version.

Every save is optimistic (``UPDATE … WHERE version = ?``): of two writers that read the same
version, exactly one succeeds and the other gets ``CardConflict``. The store stamps the stored
version into the card's button payloads, so a tap says which drawing it was made on.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.clock import Clock
from cards.actions import restamp
from cards.model import Card
from storage.models import CardDelivery, CardInstance
from storage.status import CardStatus, check


class CardConflict(RuntimeError):
    """Someone else changed the card since it was read."""


def new_card_id(prefix: str) -> str:
    # Ids double as WeCom task ids (letters, digits, _-@; never reused within an app).
    return f"{prefix}-{secrets.token_hex(8)}"


def stamp(card: Card, version: int) -> Card:
    """``card`` with every button of its own carrying ``version``."""
    buttons = tuple(replace(b, payload=restamp(b.payload, card.id, version)) for b in card.buttons)
    submit = card.submit
    if submit is not None:
        submit = replace(submit, payload=restamp(submit.payload, card.id, version))
    return replace(card, buttons=buttons, submit=submit)


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
        status: str = CardStatus.open,
        actors: Sequence[str] | None = None,
    ) -> CardInstance:
        """Store a new card. ``actors`` may tap it (default: its owner)."""
        now = self.clock.now()
        CardStatus(status)
        return await CardInstance.create(
            id=card.id,
            kind=kind,
            owner_id=owner_id,
            status=status,
            subject_type=subject[0] if subject else None,
            subject_id=subject[1] if subject else None,
            state=_state(stamp(card, 1), data, actors),
            version=1,
            created_at=now,
            updated_at=now,
        )

    async def get(self, card_id: str) -> CardInstance | None:
        return await CardInstance.get_or_none(id=card_id)

    async def save(
        self,
        instance: CardInstance,
        card: Card,
        data: dict[str, Any],
        status: str | None = None,
        actors: Sequence[str] | None = None,
    ) -> CardInstance:
        """Redraw ``instance`` if nobody changed it since it was read; else ``CardConflict``."""
        if status is not None:
            check(CardStatus, instance.status, status)
        version = instance.version + 1
        keep = actors if actors is not None else instance.state.get("actors")
        state = _state(stamp(card, version), data, keep)
        now = self.clock.now()
        changes: dict[str, Any] = {"state": state, "version": version, "updated_at": now}
        if status is not None:
            changes["status"] = status
        count = await CardInstance.filter(id=instance.id, version=instance.version).update(
            **changes
        )
        if count != 1:
            raise CardConflict(instance.id)
        instance.state, instance.version, instance.updated_at = state, version, now
        if status is not None:
            instance.status = status
        return instance

    @staticmethod
    def card_of(instance: CardInstance) -> Card:
        return Card.from_dict(instance.state["card"])

    @staticmethod
    def data_of(instance: CardInstance) -> dict[str, Any]:
        return dict(instance.state.get("data", {}))

    @staticmethod
    def actors_of(instance: CardInstance) -> list[str]:
        """Who may tap the card now: the stored list, else the owner."""
        actors = instance.state.get("actors")
        if actors is not None:
            return list(actors)
        return [instance.owner_id] if instance.owner_id else []

    async def note_response_code(
        self, platform: str, app: str, handle: str, recipient: str, code: str, at: datetime
    ) -> None:
        """A tap brings a fresh single-use code for updating the tapper's copy of the card."""
        await CardDelivery.filter(
            platform=platform, app=app, handle=handle, recipient=recipient
        ).update(response_code=code, response_code_at=at)


def _state(card: Card, data: dict[str, Any], actors: Sequence[str] | None) -> dict[str, Any]:
    state: dict[str, Any] = {"card": card.to_dict(), "data": data}
    if actors is not None:
        state["actors"] = list(actors)
    return state
