"""Incentive awards, composite pay (base commission, LTV dividend, certificate allowance), points.

Amounts, thresholds and periods live here, never in code. Metric names refer to the definitions in
``handlers.incentives.metrics`` (which reuse ``config.metrics`` where stats counts the same thing).
"""

from datetime import date

from pydantic import Field, model_validator

from bot.config.base import Frozen
from bot.config.org import Role

# The metrics an award may name; check-config reports any other name (in Chinese).
AWARD_METRICS: dict[str, str] = {
    "new_valid_contacts": "新增有效客户数",
    "demo_completion_rate": "方案演示按时完成率",
    "avg_ticket_hours": "跨部门工单平均处理时长（小时）",
}


class Award(Frozen):
    id: str
    name: str
    metric: str
    period: str = Field(default="month", pattern=r"^(week|month|quarter)$")
    threshold: float
    comparison: str = Field(default=">=", pattern=r"^(>=|<=)$")
    # Met this many periods running; paid once per full run (weeks 3, 6, 9 … of a streak).
    consecutive_periods: int = Field(default=1, ge=1)
    bonus: float = Field(default=0, ge=0)
    points: int = Field(default=0, ge=0)  # points credited with the award
    stage: str | None = None  # demo_completion_rate: the stage whose planned actions count


class LtvTier(Frozen):
    year: int = Field(ge=2)  # renewal year from which the rate applies (the last tier: and later)
    rate: float = Field(ge=0, le=1)


class Commission(Frozen):
    base_rate: float = Field(default=0.05, ge=0, le=1)  # on first-year contract value
    # LTV dividend on renewals and upsell, rising with the contract year; the last tier is "N+".
    ltv_tiers: tuple[LtvTier, ...] = (
        LtvTier(year=2, rate=0.03),
        LtvTier(year=3, rate=0.05),
        LtvTier(year=4, rate=0.07),
    )
    certificate_allowance: float = Field(default=0, ge=0)  # per certificate held, per month
    projection_years: int = Field(default=3, ge=1, le=10)
    # Used for the projection when the payments hold no year-on-year history yet.
    default_renewal_rate: float = Field(default=0.7, ge=0, le=1)

    @model_validator(mode="after")
    def _tiers_rise(self) -> "Commission":
        years = [t.year for t in self.ltv_tiers]
        if years != sorted(set(years)):
            raise ValueError("ltv_tiers 的 year 必须从小到大且不重复")
        return self


class Points(Frozen):
    leave_day: int = Field(default=100, ge=1)  # points for one day of leave
    training: int = Field(default=50, ge=1)  # points for one training course


class Incentives(Frozen):
    awards: tuple[Award, ...] = ()
    commission: Commission = Commission()
    points: Points = Points()
    roles: tuple[Role, ...] = (Role.rep,)  # who is settled and sees /我的激励 as a participant
    # Certificates held, by person id (the allowance is paid per certificate).
    certificates: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    # Payments paid on or after this day earn commission when first settled. Unset, a settlement
    # of month M pays those paid since the start of M-1: older ones are history (a backfill).
    commission_from: date | None = None
