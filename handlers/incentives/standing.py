"""Where a rep stands now: each award in its current period, this month's pay so far, the
ledger balance and the 3-year projection. Read-only; the settlement writes the ledger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.config.models import AppConfig
from handlers.incentives.ledger import Balance, balance, settled_periods
from handlers.incentives.metrics import history
from handlers.incentives.payments import (
    PaidGroup,
    book,
    commission_of,
    historical_renewal_rate,
    paid_in,
)
from handlers.incentives.rules import AwardStatus, ProjectedYear, allowance, evaluate, project
from handlers.shared.periods import Period, period_of
from storage.db import Database


@dataclass(frozen=True)
class Standing:
    person_id: str
    name: str
    month: Period
    awards: list[AwardStatus]
    paid: list[PaidGroup]  # payments credited this month
    commission: Decimal  # on this month's payments
    allowance: Decimal
    bonus: Decimal  # awards already reached in their current period
    ledger: Balance  # everything settled so far (corrections included)
    renewal_rate: float
    projection: list[ProjectedYear]

    @property
    def so_far(self) -> Decimal:
        return self.commission + self.allowance + self.bonus


async def standing(
    db: Database, config: AppConfig, person_id: str, name: str, now: datetime
) -> Standing:
    tz = ZoneInfo(config.timezone)
    inc = config.incentives
    statuses: list[AwardStatus] = []
    for award in inc.awards:
        current = period_of(award.period, now, tz)  # type: ignore[arg-type]
        measures = await history(db, config.metrics, award, person_id, current, now, tz)
        statuses.append(evaluate(award, measures, await settled_periods(award.id, person_id)))
    month = period_of("month", now, tz)
    paid = await paid_in(db, person_id, month)
    c = inc.commission
    rate = await historical_renewal_rate(db, person_id, now, c.default_renewal_rate)
    projection = project(await book(db, person_id, now), rate, c, c.projection_years)
    bonus = sum((Decimal(str(s.award.bonus)) for s in statuses if s.earned), Decimal(0))
    return Standing(
        person_id,
        name,
        month,
        statuses,
        paid,
        commission_of(c, paid),
        allowance(c, len(inc.certificates.get(person_id, ()))),
        bonus,
        await balance(person_id),
        rate,
        projection,
    )
