"""The extractor's view of the organisation, built from config and the clients table.

Rebuilt only when the clients or contacts change (checked with one cheap query per note), so a
client saved on another replica is recognised here too.
"""

from __future__ import annotations

import asyncio

from bot.config.models import AppConfig
from nlp.extract.entities import ProductRef
from nlp.extract.model import Catalog
from nlp.extract.stages import DEFAULT_FUNNEL, StageDef
from nlp.names import ClientRef
from storage.db import Database
from storage.models import Client, Contact


def stage_defs(config: AppConfig) -> list[StageDef]:
    defaults = {name: cues for name, _, cues in DEFAULT_FUNNEL}
    return [
        StageDef(s.name, s.cues or defaults.get(s.name, (s.name,)), s.kind.value, order)
        for order, s in enumerate(config.funnel.stages)
    ]


class CatalogService:
    def __init__(self, config: AppConfig, db: Database) -> None:
        self.config = config
        self.db = db
        self._catalog: Catalog | None = None
        self._stamp: tuple[object, ...] | None = None
        self._lock = asyncio.Lock()
        self._products = tuple(ProductRef(p.name, p.aliases) for p in config.products)
        self._stages = tuple(stage_defs(config))

    async def _fingerprint(self) -> tuple[object, ...]:
        rows = await self.db.fetch(
            "SELECT (SELECT COUNT(*) FROM clients) AS c, (SELECT MAX(updated_at) FROM clients) AS u,"
            " (SELECT COUNT(*) FROM contacts) AS k"
        )
        row = rows[0]
        return (row["c"], str(row["u"]), row["k"])

    async def get(self) -> Catalog:
        async with self._lock:
            stamp = await self._fingerprint()
            if self._catalog is None or stamp != self._stamp:
                self._catalog = await self._build()
                self._stamp = stamp
            return self._catalog

    async def _build(self) -> Catalog:
        contacts: dict[int, list[str]] = {}
        for c in await Contact.filter(valid=True).order_by("id").values("client_id", "name"):
            contacts.setdefault(c["client_id"], []).append(c["name"])
        clients = [
            ClientRef(
                id=str(c["id"]),
                name=c["name"],
                aliases=tuple(c["aliases"] or ()),
                owner_id=c["owner_id"],
                contacts=tuple(contacts.get(c["id"], ())),
            )
            for c in await Client.all().order_by("id").values("id", "name", "aliases", "owner_id")
        ]
        return Catalog(
            clients=clients,
            products=self._products,
            competitors=tuple(self.config.competitors),
            stages=self._stages,
            match_threshold=self.config.nlp.match_threshold,
        )
