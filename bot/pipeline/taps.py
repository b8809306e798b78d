"""What a card-tap handler gets and gives back; the shared step lives in handlers/shared/taps.py.

A feature declares a typed action (``cards.actions.CardAction``) and registers a handler for it
with ``router.tap(ActionClass, name, permission=...)``. The handler never decodes the payload,
never checks who tapped (the role's permission, then the card's actors) and never saves the card
with a version check itself: the shared step does, around it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from bot.config.org import Person
from bot.events import CardActionEvent
from cards.actions import CardAction
from cards.model import Card
from cards.store import CardStore
from storage.models import CardInstance

if TYPE_CHECKING:
    from bot.pipeline.context import Context
    from bot.pipeline.router import Handler

A = TypeVar("A", bound=CardAction)


@dataclass
class Tap(Generic[A]):
    """One authorised tap on a card that is open and current, inside the tap's transaction."""

    action: A
    instance: CardInstance  # locked at the version the button was drawn for
    person: Person
    event: CardActionEvent

    @property
    def card(self) -> Card:
        return CardStore.card_of(self.instance)

    @property
    def data(self) -> dict[str, Any]:
        return CardStore.data_of(self.instance)


@dataclass(frozen=True)
class TapResult:
    """What the tap changed: saved with the version check by the shared step."""

    card: Card | None = None
    data: dict[str, Any] | None = None
    status: str | None = None
    actors: Sequence[str] | None = None
    audit: Mapping[str, Any] = field(default_factory=dict)

    @property
    def changes_card(self) -> bool:
        return any(v is not None for v in (self.card, self.data, self.status, self.actors))


@dataclass(frozen=True)
class TapSpec:
    action: type[CardAction]
    name: str  # audit action, e.g. "followup.tap"
    handler: Handler
    permission: str | None = None  # the access policy's action the tapper's role must have


class TapRunner(Protocol):
    async def run(self, ctx: Context, spec: TapSpec) -> None: ...
