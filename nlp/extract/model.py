"""Plain input and output types of the extractor (no DB, no platform)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any

from nlp.extract.entities import ProductRef, TermMatcher, competitor_matcher, product_matcher
from nlp.extract.sentiment import Sentiment
from nlp.extract.stages import StageDef, StageRules, default_stages
from nlp.names import ClientIndex, ClientMatch, ClientRef

# Fields a follow-up record cannot be saved without; the confirm card asks for these.
# client: the record hangs off an account; stage: the funnel and stall rules need it;
# next_action + its due date: every visit must end with a dated next step, which becomes the
# reminder task. Amount, contact and products are valuable but often unknown early on, and
# history autofill covers them, so asking would make speaking cost more than typing.
REQUIRED_FIELDS = ("client", "stage", "next_action", "next_action_due")
CONTRACT_KEYS = (
    "client",
    "contact",
    "stage",
    "amount",
    "products",
    "competitors",
    "next_action",
    "next_action_due",
    "sentiment",
    "missing",
)


@dataclass(frozen=True)
class Catalog:
    """What the org knows: clients, products, competitors and the funnel. Build once, reuse:
    the name index and cue patterns are compiled on first use and cached on the instance."""

    clients: Sequence[ClientRef] = ()
    products: Sequence[ProductRef] = ()
    competitors: Sequence[str] = ()
    stages: Sequence[StageDef] = field(default_factory=default_stages)
    match_threshold: float = 0.8

    def __post_init__(self) -> None:
        for name in ("clients", "products", "competitors", "stages"):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    @classmethod
    def from_client_names(
        cls, names: Iterable[str], products: Sequence[ProductRef] = (), **kwargs: Any
    ) -> Catalog:
        """A catalogue from bare names (the CLI's --clients file): ids are the names."""
        clean = [n.strip() for n in names if n.strip()]
        clients = [ClientRef(id=n, name=n) for n in dict.fromkeys(clean)]
        return cls(clients=clients, products=products, **kwargs)

    @cached_property
    def client_index(self) -> ClientIndex:
        return ClientIndex(self.clients, threshold=self.match_threshold)

    @cached_property
    def stage_rules(self) -> StageRules:
        return StageRules(self.stages)

    @cached_property
    def product_terms(self) -> TermMatcher:
        return product_matcher(self.products)

    @cached_property
    def competitor_terms(self) -> TermMatcher:
        return competitor_matcher(self.competitors)


@dataclass(frozen=True)
class Extraction:
    client: ClientMatch
    contact: str | None
    stage: str | None
    amount: int | float | None
    products: tuple[str, ...]
    competitors: tuple[str, ...]
    next_action: str | None
    next_action_due: date | None
    next_action_at: datetime | None  # when a clock time was said (明天下午三点)
    sentiment: Sentiment
    risks: tuple[str, ...]
    needs: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def client_name(self) -> str | None:
        """Catalogue name when matched, else what was heard (a new or ambiguous client)."""
        return self.client.name if self.client.matched else self.client.heard

    def to_json(self) -> dict[str, Any]:
        """The `salesbot parse` contract: exactly CONTRACT_KEYS, JSON-ready values."""
        due = self.next_action_due.isoformat() if self.next_action_due else None
        return {
            "client": self.client_name,
            "contact": self.contact,
            "stage": self.stage,
            "amount": self.amount,
            "products": list(self.products),
            "competitors": list(self.competitors),
            "next_action": self.next_action,
            "next_action_due": due,
            "sentiment": self.sentiment,
            "missing": list(self.missing),
        }


def missing_fields(
    client: ClientMatch, stage: str | None, action: str | None, due: date | None
) -> tuple[str, ...]:
    present = {
        "client": client.matched or client.kind == "new",
        "stage": stage is not None,
        "next_action": action is not None,
        "next_action_due": due is not None,
    }
    return tuple(name for name in REQUIRED_FIELDS if not present[name])
