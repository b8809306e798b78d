"""Reading the payments table for commission, the rep's book and the renewal rate.

Payments arrive by import (``salesbot import payments``, the operations feature) and by finance's
/回款 command; this module only reads them. Each payment is credited to ``payments.owner_id``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from bot.config.incentives import Commission
from handlers.incentives.rules import BookItem, commission, renewal_rate
from handlers.shared.periods import Period
from handlers.stats.sql import utc
from storage.db import Database

YEAR = timedelta(days=365)


@dataclass(frozen=True)
class PaidGroup:
    kind: str
    contract_year: int
    amount: Decimal
    payments: int


async def paid_in(db: Database, person_id: str, period: Period) -> list[PaidGroup]:
    rows = await db.fetch(
        """SELECT kind, contract_year, SUM(amount) AS amount, COUNT(*) AS n FROM payments
           WHERE owner_id = ? AND paid_at >= ? AND paid_at < ?
           GROUP BY kind, contract_year ORDER BY contract_year, kind""",
        person_id,
        utc(period.start),
        utc(period.end),
    )
    return [
        PaidGroup(str(r["kind"]), int(r["contract_year"]), Decimal(str(r["amount"])), int(r["n"]))
        for r in rows
    ]


def commission_of(c: Commission, groups: list[PaidGroup]) -> Decimal:
    return sum((commission(c, g.kind, g.contract_year, g.amount) for g in groups), Decimal(0))


async def book(db: Database, person_id: str, now: datetime) -> list[BookItem]:
    """What each client paid the rep over the last 365 days, at the latest contract year."""
    rows = await db.fetch(
        """SELECT client_id, MAX(contract_year) AS y, SUM(amount) AS amount FROM payments
           WHERE owner_id = ? AND paid_at >= ? AND paid_at < ? GROUP BY client_id""",
        person_id,
        utc(now - YEAR),
        utc(now),
    )
    return [BookItem(float(str(r["amount"])), int(r["y"])) for r in rows]


async def historical_renewal_rate(
    db: Database, person_id: str, now: datetime, default: float
) -> float:
    """Of the clients who paid the rep in the year before last, the share who paid again in the
    last year (renewal or upsell)."""
    rows = await db.fetch(
        """SELECT COUNT(DISTINCT p.client_id) AS prior,
                  COUNT(DISTINCT CASE WHEN EXISTS (
                      SELECT 1 FROM payments q WHERE q.client_id = p.client_id
                        AND q.paid_at >= ? AND q.paid_at < ?) THEN p.client_id END) AS renewed
           FROM payments p WHERE p.owner_id = ? AND p.paid_at >= ? AND p.paid_at < ?""",
        utc(now - YEAR),
        utc(now),
        person_id,
        utc(now - 2 * YEAR),
        utc(now - YEAR),
    )
    row = rows[0] if rows else {}
    return renewal_rate(int(row.get("prior") or 0), int(row.get("renewed") or 0), default)


@dataclass(frozen=True)
class UnsettledPayment:
    id: int
    owner_id: str
    kind: str
    contract_year: int
    amount: Decimal
    paid_at: object


async def unsettled(
    db: Database, owners: list[str], month: Period, since: datetime
) -> list[UnsettledPayment]:
    """Payments paid in ``[since, month.end)`` with no commission entry yet.

    Which payments earn commission depends on when they were paid, never on when they were
    recorded: a late import of a recent payment is paid in the next settlement, while a first
    backfill of years of history (all recorded "now") earns nothing. ``since`` is where
    commissioned history starts (``settle.commission_floor``)."""
    if not owners:
        return []
    marks = ", ".join("?" * len(owners))
    rows = await db.fetch(
        f"""SELECT p.id, p.owner_id, p.kind, p.contract_year, p.amount, p.paid_at FROM payments p
            WHERE p.paid_at < ? AND p.paid_at >= ?
              AND p.owner_id IN ({marks})
              AND NOT EXISTS (SELECT 1 FROM incentive_entries e
                              WHERE e.settlement_key = 'pay:' || CAST(p.id AS VARCHAR(20)))
            ORDER BY p.id""",
        utc(month.end),
        utc(since),
        *owners,
    )
    return [
        UnsettledPayment(
            int(r["id"]),
            str(r["owner_id"]),
            str(r["kind"]),
            int(r["contract_year"]),
            Decimal(str(r["amount"])),
            r["paid_at"],
        )
        for r in rows
    ]
