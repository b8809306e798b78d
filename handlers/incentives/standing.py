"""Where a rep stands now: each award in its current period, this month's pay so far, the
ledger balance and the 3-year projection. Read-only; the settlement writes the ledger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.config.incentives import Award
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
from handlers.incentives.rules import (
    AwardStatus,
    Measure,
    ProjectedYear,
    allowance,
    evaluate,
    judged_periods,
    project,
)
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
    # Awards reached in their current period, and this month's earlier weeks that earned a
    # weekly award not settled yet (the month's settlement pays them).
    bonus: Decimal
    ledger: Balance  # everything settled so far (corrections included)
    renewal_rate: float
    projection: list[ProjectedYear]

    @property
    def so_far(self) -> Decimal:
        return self.commission + self.allowance + self.bonus


async def judge(
    db: Database,
    config: AppConfig,
    award: Award,
    person_id: str,
    month: Period,
    current: Period,
    now: datetime,
) -> tuple[int, AwardStatus]:
    """The award in its ``current`` period, and how many of this month's earlier periods (a weekly
    award's past weeks) earned it and wait for the month's settlement — judged as the settlement
    will, oldest first, so a run paid in an earlier week is not paid again in this one."""
    tz = ZoneInfo(config.timezone)
    settled = await settled_periods(award.id, person_id)
    cache: dict[str, Measure] = {}
    earned = 0
    for judged in judged_periods(award, month, tz):
        if judged.end > current.start or judged.key in settled:
            continue
        past = await history(db, config.metrics, award, person_id, judged, now, tz, cache)
        if evaluate(award, past, settled).earned:
            settled.add(judged.key)
            earned += 1
    measures = await history(db, config.metrics, award, person_id, current, now, tz, cache)
    return earned, evaluate(award, measures, settled)


async def standing(
    db: Database, config: AppConfig, person_id: str, name: str, now: datetime
) -> Standing:
    tz = ZoneInfo(config.timezone)
    inc = config.incentives
    month = period_of("month", now, tz)
    statuses: list[AwardStatus] = []
    bonus = Decimal(0)
    for award in inc.awards:
        current = period_of(award.period, now, tz)  # type: ignore[arg-type]
        earlier, status = await judge(db, config, award, person_id, month, current, now)
        statuses.append(status)
        bonus += Decimal(str(award.bonus)) * (earlier + status.earned)
    paid = await paid_in(db, person_id, month)
    c = inc.commission
    rate = await historical_renewal_rate(db, person_id, now, c.default_renewal_rate)
    projection = project(await book(db, person_id, now), rate, c, c.projection_years)
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
