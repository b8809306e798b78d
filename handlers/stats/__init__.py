"""Manager stats: funnel, conversion, dwell, leaderboard, stalled deals, forecast, heatmap, export."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.feature import Feature, permission
from handlers.stats.model import STATS_ROLES, VIEW
from handlers.stats.router import router

if TYPE_CHECKING:
    from bot.app import Runtime


def services(rt: Runtime) -> list[object]:
    from handlers.stats.forecast_data import ForecastRates

    return [ForecastRates(rt.db)]


FEATURE = Feature(
    "stats",
    router,
    permissions=(permission(VIEW, STATS_ROLES, "查看销售统计"),),
    services=services,
)
