"""CRM queries every feature shares: finding a client the asker may see, a client's open deal
and contacts, and how money and dates read to users (``formats.py``, re-exported here).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.config.org import Person
from handlers.shared.access import AccessPolicy, Scope
from handlers.shared.catalog import CatalogService
from handlers.shared.formats import END_OF_DAY, deadline_text, exact_money, money, when
from storage.models import Client, Contact, Deal, FollowUp

__all__ = [
    "END_OF_DAY",
    "ClientLookup",
    "contact_names",
    "deadline_text",
    "exact_money",
    "find_client",
    "money",
    "open_deal",
    "recent_clients",
    "when",
]

AMBIGUOUS_MARGIN = 0.02


async def open_deal(client_id: int, rep_id: str) -> Deal | None:
    """The client's open deal a note is about: the rep's own, else the most recently updated."""
    deals = await Deal.filter(client_id=client_id, status="open").order_by("-updated_at")
    return next((d for d in deals if d.owner_id == rep_id), deals[0] if deals else None)


async def contact_names(client_id: int) -> list[str]:
    return [
        c["name"]
        for c in await Contact.filter(client_id=client_id, valid=True).order_by("id").values("name")
    ]


async def recent_clients(person: Person, scope: Scope, limit: int = 5) -> list[Client]:
    """The clients ``person`` worked on lately, among those they may see: the clients of their
    newest visit notes, then their own clients most recently changed (one-tap choices)."""
    found: dict[int, Client] = {}
    visits = (
        await FollowUp.filter(
            scope.clients_q("client__"), rep_id=person.id, client_id__not_isnull=True
        )
        .order_by("-occurred_at", "-id")
        .limit(limit * 6)
        .prefetch_related("client")
    )
    for visit in visits:
        if visit.client is not None:
            found.setdefault(visit.client.id, visit.client)
    if len(found) < limit:
        own = (
            await Client.filter(owner_id=person.id).order_by("-updated_at", "-id").limit(limit * 2)
        )
        for client in own:
            found.setdefault(client.id, client)
    return list(found.values())[:limit]


@dataclass(frozen=True)
class ClientLookup:
    client: Client | None
    candidates: tuple[str, ...] = ()  # several close matches: ask which one

    @property
    def ambiguous(self) -> bool:
        return self.client is None and len(self.candidates) > 1


async def find_client(
    query: str,
    person: Person,
    *,
    catalogs: CatalogService,
    policy: AccessPolicy,
    scope: Scope | None = None,
) -> ClientLookup:
    """The client ``query`` names (characters or typed pinyin) among those ``person`` may see.

    ``scope`` overrides the person's own, for an action whose permission covers every client
    (finance recording a payment)."""
    catalog = await catalogs.get()
    scope = scope or policy.scope(person)
    matches = []
    for m in catalog.client_index.find(query, rep_id=person.id, limit=50):
        ref = catalog.client_index.get(m.client_id) if m.client_id is not None else None
        if ref is None:
            continue
        if scope.covers(ref.owner_id):
            matches.append(m)
        elif scope.via_approvals:
            client = await Client.get_or_none(id=int(ref.id))
            if client is not None and await policy.sees_client(person, client):
                matches.append(m)
    if not matches:
        return ClientLookup(None)
    best = matches[0]
    if len(matches) > 1 and matches[1].score >= best.score - AMBIGUOUS_MARGIN:
        return ClientLookup(None, tuple(m.name or "" for m in matches[:5]))
    return ClientLookup(await Client.get(id=int(best.client_id or 0)))
