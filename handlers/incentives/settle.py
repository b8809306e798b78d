"""Monthly settlement: awards, commissions and allowances of a closed month, written once.

``settle`` is idempotent: every entry has a settlement key (award × person × judged period,
``pay:<payment id>``, allowance × person × month), so a second run inserts nothing and reports
the same people. Weekly awards are judged for the weeks that end in the month; a payment is
settled in the first settlement after it was paid, or imported late — up to the month before
(``commission_floor``): an import of older payments is history and earns nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.config.models import AppConfig
from handlers.incentives.ledger import (
    PlannedEntry,
    award_key,
    existing_keys,
    settled_before,
    settled_periods,
    write,
)
from handlers.incentives.metrics import history
from handlers.incentives.payments import unsettled
from handlers.incentives.rules import (
    Measure,
    allowance,
    commission,
    commission_rate,
    evaluate,
    judged_periods,
)
from handlers.shared.periods import Period, previous
from storage.db import Database


@dataclass
class PersonResult:
    person_id: str
    name: str
    entries: list[PlannedEntry] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((e.amount for e in self.entries), Decimal(0))

    @property
    def points(self) -> int:
        return sum(e.points for e in self.entries)


@dataclass
class SettlementResult:
    period: Period
    dry_run: bool
    people: list[PersonResult]
    created: int  # entries written by this run (would be written, on a dry run)
    existing: int  # entries an earlier run wrote already
    # Keys of the entries this run wrote (would write); and whether it is the month's first
    # settlement (no earlier run wrote any entry of it): later runs only add late entries.
    fresh: frozenset[str] = frozenset()
    first: bool = True


async def plan_awards(
    db: Database, config: AppConfig, pid: str, month: Period, now: datetime
) -> list[PlannedEntry]:
    tz = ZoneInfo(config.timezone)
    out: list[PlannedEntry] = []
    for award in config.incentives.awards:
        settled = await settled_periods(award.id, pid)
        cache: dict[str, Measure] = {}
        for judged in judged_periods(award, month, tz):
            measures = await history(db, config.metrics, award, pid, judged, now, tz, cache)
            status = evaluate(award, measures, settled)
            if not status.earned:
                continue
            settled.add(judged.key)  # a later week of this month sees this run as paid
            out.append(
                PlannedEntry(
                    key=award_key(award.id, pid, judged.key),
                    person_id=pid,
                    kind="award",
                    period=month.key,
                    ref=award.id,
                    amount=Decimal(str(award.bonus)).quantize(Decimal("0.01")),
                    points=award.points,
                    details={
                        "award": award.name,
                        "judged": judged.key,
                        "value": status.current.value,
                    },
                )
            )
    return out


def commission_floor(config: AppConfig, month: Period) -> datetime:
    """Payments paid before this are history when ``month`` is settled: from
    ``incentives.commission_from`` when set, else the start of the month before ``month`` (a
    payment recorded up to a month late is still paid; a backfill of past years is not)."""
    tz = ZoneInfo(config.timezone)
    start = config.incentives.commission_from
    if start is not None:
        return datetime.combine(start, time(0), tzinfo=tz)
    return previous(month, tz).start


async def settle(
    db: Database,
    config: AppConfig,
    month: Period,
    now: datetime,
    *,
    dry_run: bool = False,
) -> SettlementResult:
    """Settle the closed ``month`` (its end must be before ``now``)."""
    if month.end > now:
        raise ValueError(f"{month.label} 还没有结束，不能结算")
    inc = config.incentives
    roles = set(inc.roles)
    people = {p.id: PersonResult(p.id, p.name) for p in config.people if p.role in roles}
    c = inc.commission
    for pid, result in people.items():
        result.entries += await plan_awards(db, config, pid, month, now)
        held = len(inc.certificates.get(pid, ()))
        if held and c.certificate_allowance:
            result.entries.append(
                PlannedEntry(
                    f"cert:{pid}:{month.key}",
                    pid,
                    "allowance",
                    month.key,
                    str(held),
                    allowance(c, held),
                    details={"certificates": list(inc.certificates[pid])},
                )
            )
    names = {p.id: p.name for p in config.people}
    for pay in await unsettled(db, sorted(names), month, commission_floor(config, month)):
        result = people.setdefault(
            pay.owner_id, PersonResult(pay.owner_id, names.get(pay.owner_id, pay.owner_id))
        )
        result.entries.append(
            PlannedEntry(
                f"pay:{pay.id}",
                pay.owner_id,
                "commission",
                month.key,
                str(pay.id),
                commission(c, pay.kind, pay.contract_year, pay.amount),
                details={
                    "kind": pay.kind,
                    "contract_year": pay.contract_year,
                    "basis": str(pay.amount),
                    "rate": commission_rate(c, pay.kind, pay.contract_year),
                },
            )
        )
    planned = [e for r in people.values() for e in r.entries]
    first = not await settled_before(month.key)
    if dry_run:
        have = await existing_keys([e.key for e in planned])
        fresh = frozenset(e.key for e in planned if e.key not in have)
    else:
        fresh = frozenset(e.key for e in await write(planned, now))
    ordered = sorted(people.values(), key=lambda r: r.person_id)
    created = len(fresh)
    return SettlementResult(month, dry_run, ordered, created, len(planned) - created, fresh, first)
