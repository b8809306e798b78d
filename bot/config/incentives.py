"""Incentive awards and the LTV commission scheme."""

from pydantic import Field

from bot.config.base import Frozen


class Award(Frozen):
    id: str
    name: str
    metric: str
    period: str = Field(default="month", pattern=r"^(week|month|quarter)$")
    threshold: float
    comparison: str = Field(default=">=", pattern=r"^(>=|<=)$")
    consecutive_periods: int = Field(default=1, ge=1)
    bonus: float = Field(default=0, ge=0)


class Commission(Frozen):
    base_rate: float = Field(default=0.05, ge=0, le=1)
    renewal_rates: tuple[float, ...] = (0.02, 0.03, 0.04)
    projection_years: int = Field(default=3, ge=1, le=10)


class Incentives(Frozen):
    awards: tuple[Award, ...] = ()
    commission: Commission = Commission()
