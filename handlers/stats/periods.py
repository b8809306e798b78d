"""The one place stats imports periods from (a stand-in until handlers/shared/periods.py lands)."""

from handlers.stats._periods_stub import Period, find_period, parse_period, period_of

__all__ = ["Period", "find_period", "parse_period", "period_of"]
