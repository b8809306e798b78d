"""The append-only incentive ledger: write settlement entries once, correct by adding entries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from storage.db import Database
from storage.models import LedgerEntry


@dataclass(frozen=True)
class PlannedEntry:
    """An entry the settlement wants to exist; ``key`` makes writing it twice a no-op."""

    key: str
    person_id: str
    kind: str  # award | commission | allowance
    period: str
    ref: str
    amount: Decimal
    points: int = 0
    details: dict[str, Any] = field(default_factory=dict)


async def existing_keys(keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(keys), 500):  # keep each IN list well under the parameter limits
        chunk = list(keys[i : i + 500])
        rows = await LedgerEntry.filter(settlement_key__in=chunk).values_list(
            "settlement_key", flat=True
        )
        found |= {str(k) for k in rows}
    return found


async def write(entries: Sequence[PlannedEntry], now: datetime) -> list[PlannedEntry]:
    """Insert the entries not written yet; returns those inserted. A concurrent run inserting the
    same key loses quietly to the unique index (ignore_conflicts)."""
    have = await existing_keys([e.key for e in entries])
    new = [e for e in entries if e.key not in have]
    if new:
        await LedgerEntry.bulk_create(
            [
                LedgerEntry(
                    person_id=e.person_id,
                    kind=e.kind,
                    period=e.period,
                    ref=e.ref,
                    amount=e.amount,
                    points=e.points,
                    details=e.details,
                    settlement_key=e.key,
                    created_at=now,
                )
                for e in new
            ],
            ignore_conflicts=True,
        )
    return new


async def settled_before(period: str) -> bool:
    """Whether a settlement of ``period`` already wrote entries (corrections and redemptions
    carry no settlement key and do not count)."""
    return await LedgerEntry.filter(period=period, settlement_key__isnull=False).exists()


async def settled_entries(period: str) -> dict[str, list[tuple[PlannedEntry, int]]]:
    """What settlements of ``period`` wrote, per person, in the order written, each with when it
    was written (clock ms)."""
    out: dict[str, list[tuple[PlannedEntry, int]]] = {}
    rows = await LedgerEntry.filter(period=period, settlement_key__isnull=False).order_by("id")
    for r in rows:
        entry = PlannedEntry(
            str(r.settlement_key),
            r.person_id,
            r.kind,
            r.period,
            r.ref,
            r.amount,
            r.points,
            dict(r.details),
        )
        out.setdefault(r.person_id, []).append((entry, int(r.created_at.timestamp() * 1000)))
    return out


def award_key(award_id: str, person_id: str, judged: str) -> str:
    return f"award:{award_id}:{person_id}:{judged}"


async def settled_periods(award_id: str, person_id: str) -> set[str]:
    """Periods the ledger already paid this award for (their keys: 2026-W47, 2026-11)."""
    prefix = award_key(award_id, person_id, "")
    keys = await LedgerEntry.filter(settlement_key__startswith=prefix).values_list(
        "settlement_key", flat=True
    )
    return {str(k)[len(prefix) :] for k in keys}


class CorrectionError(ValueError):
    """The correction cannot be made; the message is for users (Chinese)."""


async def correct(
    entry_id: int,
    amount: Decimal,
    reason: str,
    by: str,
    now: datetime,
    points: int = 0,
) -> LedgerEntry:
    """Add a correction of ``amount`` (a difference: negative takes money back) to an entry.

    The corrected entry stays as it was; the balance is the sum of both."""
    original = await LedgerEntry.get_or_none(id=entry_id)
    if original is None:
        raise CorrectionError(f"没有编号为 {entry_id} 的激励记录")
    if not reason.strip():
        raise CorrectionError("更正需要写明原因")
    return await LedgerEntry.create(
        person_id=original.person_id,
        kind="correction",
        period=original.period,
        ref=original.ref,
        amount=amount,
        points=points,
        details={"reason": reason.strip(), "corrects_kind": original.kind},
        corrects_id=original.id,
        created_by=by,
        created_at=now,
    )


@dataclass(frozen=True)
class Balance:
    amount: Decimal
    points: int


async def balance(person_id: str, period: str | None = None) -> Balance:
    """Sum of a person's entries (corrections included), for one period or all time."""
    q = LedgerEntry.filter(person_id=person_id)
    if period is not None:
        q = q.filter(period=period)
    rows = await q.values_list("amount", "points")
    return Balance(sum((Decimal(str(a)) for a, _ in rows), Decimal(0)), sum(p for _, p in rows))


REDEEM_CN = {"leave_day": "年假", "training": "培训"}
REDEEM_UNIT = {"leave_day": "天", "training": "次"}


async def redeem(
    db: Database, person_id: str, what: str, count: int, cost: int, by: str, now: datetime
) -> LedgerEntry:
    """Spend points on ``count`` days of leave or training courses (``cost`` points each, from
    ``config.incentives.points``): a ``redemption`` entry with negative points. No shop: HR
    grants the leave or course; the ledger only keeps the balance honest — checked and spent in
    one transaction that holds the person's lock, so two redemptions at once cannot overdraw."""
    if count < 1:
        raise CorrectionError("兑换数量至少为 1")
    need = cost * count
    async with db.transaction() as tx:  # SQLite: BEGIN IMMEDIATE serialises the writers
        if db.dialect == "postgres":
            await tx.fetch("SELECT pg_advisory_xact_lock(hashtext(?))", f"redeem:{person_id}")
        have = (await balance(person_id)).points
        if need > have:
            raise CorrectionError(f"积分不足：需要 {need}，现有 {have}")
        return await LedgerEntry.create(
            person_id=person_id,
            kind="redemption",
            period=now.strftime("%Y-%m"),
            ref=what,
            points=-need,
            details={"what": REDEEM_CN.get(what, what), "count": count},
            created_by=by,
            created_at=now,
        )
