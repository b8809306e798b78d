"""The one place stats imports periods from: the shared periods every feature uses."""

from handlers.shared.periods import Period, find_period, parse_period, period_of

__all__ = ["Period", "find_period", "parse_period", "period_of"]
