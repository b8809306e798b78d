"""Export clients, contacts, deals or payments with the very columns the importer reads, so an
exported file imports back unchanged (and an admin can edit it and import the changes).

A deal without a 商机编号 (every deal recorded in chat) is written as "#<id>": a client's won deal
and its next open one share client and title, and a payment must keep pointing at its deal."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from bot.ops.cells import Cell
from bot.ops.kinds import PAYMENT_KIND_LABELS, Kind, internal_ref
from storage.models import Client, Contact, Deal, Payment

# The field each kind is filtered on by --period.
PERIOD_FIELD = {
    "clients": "created_at",
    "contacts": "created_at",
    "deals": "created_at",
    "payments": "paid_at",
}


def _local(value: datetime | None, tz: ZoneInfo) -> datetime | None:
    # Excel has no timezones: write the organisation's wall-clock time, which the importer reads
    # back; to the second, as the importer compares (Excel would round microseconds to ms).
    if value is None:
        return None
    return value.astimezone(tz).replace(tzinfo=None, microsecond=0)


def _cell(value: Any) -> Cell:
    if isinstance(value, list):
        return "、".join(value) or None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return value
    return value if value != "" else None


async def export_rows(
    kind: Kind, tz: ZoneInfo, start: datetime | None = None, end: datetime | None = None
) -> Iterator[list[Cell]]:
    """Rows in column order; ``start``/``end`` bound the kind's ``PERIOD_FIELD`` (end exclusive)."""
    period: dict[str, datetime] = {}
    if start is not None:
        period[PERIOD_FIELD[kind.name] + "__gte"] = start
    if end is not None:
        period[PERIOD_FIELD[kind.name] + "__lt"] = end
    names = {r["id"]: r["name"] for r in await Client.all().values("id", "name")}
    rows: list[dict[str, Any]]
    if kind.name == "clients":
        rows = await Client.filter(**period).order_by("id").values()
    elif kind.name == "contacts":
        rows = await Contact.filter(**period).order_by("id").values()
        for r in rows:
            r["client"] = names[r["client_id"]]
    elif kind.name == "deals":
        rows = await Deal.filter(**period).order_by("id").values()
        for r in rows:
            r["client"] = names[r["client_id"]]
            r["external_ref"] = r["external_ref"] or internal_ref(r["id"])
            r["created_at"], r["closed_at"] = (
                _local(r["created_at"], tz),
                _local(r["closed_at"], tz),
            )
    else:
        refs = {
            r["id"]: r["external_ref"]
            for r in await Deal.filter(external_ref__not_isnull=True).values("id", "external_ref")
        }
        rows = await Payment.filter(**period).order_by("id").values()
        for r in rows:
            r["client"] = names[r["client_id"]]
            deal = r["deal_id"]
            r["deal_ref"] = None if deal is None else refs.get(deal) or internal_ref(deal)
            r["kind"] = PAYMENT_KIND_LABELS.get(r["kind"], r["kind"])
            r["paid_at"] = _local(r["paid_at"], tz)
    keys = [c.key for c in kind.columns]
    return iter([[_cell(r.get(k)) for k in keys] for r in rows])
