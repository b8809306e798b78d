"""The typed stats query both the slash commands and the plain-language path build."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from bot.config.org import Role
from handlers.stats.periods import Period

Dimension = Literal["source", "region", "product"]
LeaderMetric = Literal["won", "amount", "visits", "new_clients"]


class Kind(StrEnum):
    funnel = "漏斗"
    conversion = "转化"
    dwell = "停留"
    leaderboard = "排行"
    stalled = "停滞"
    forecast = "预测"
    heatmap = "热力图"
    export = "导出"


# English aliases, usage and one-line help for each command.
ALIASES: dict[Kind, tuple[str, ...]] = {
    Kind.funnel: ("funnel",),
    Kind.conversion: ("conversion", "conv"),
    Kind.dwell: ("dwell",),
    Kind.leaderboard: ("rank", "leaderboard"),
    Kind.stalled: ("stalled", "stuck"),
    Kind.forecast: ("forecast",),
    Kind.heatmap: ("heatmap",),
    Kind.export: ("export",),
}
USAGE: dict[Kind, tuple[str, str]] = {
    Kind.funnel: (
        "/漏斗 [本周|本月|上月|本季|YYYY-MM] [区域|团队|人] [产品线]",
        "阶段漏斗与转化率",
    ),
    Kind.conversion: ("/转化 渠道|区域|产品 [期间]", "按渠道、区域或产品线看赢单转化"),
    Kind.dwell: ("/停留 [期间]", "各阶段停留天数（中位数与 P80）"),
    Kind.leaderboard: ("/排行 [成单|金额|拜访|新客户] [期间]", "销售排行"),
    Kind.stalled: ("/停滞", "超过阶段时限的停滞商机"),
    Kind.forecast: ("/预测", "本月业绩预测（区间）"),
    Kind.heatmap: ("/热力图 [期间]", "各城市赢单转化热力图"),
    Kind.export: ("/导出 [期间]", "导出以上全部数据的 Excel"),
}
DIMENSION_LABELS: dict[Dimension, str] = {"source": "渠道", "region": "区域", "product": "产品线"}
METRIC_LABELS: dict[LeaderMetric, str] = {
    "won": "成单数",
    "amount": "成单金额",
    "visits": "拜访数",
    "new_clients": "新客户（有效线索）",
}
# The feature kit's intent topics (nlp.intent) for each command, for the dispatcher's wiring.
INTENT_TOPICS: dict[str, Kind] = {
    "funnel": Kind.funnel,
    "conversion": Kind.conversion,
    "dwell": Kind.dwell,
    "ranking": Kind.leaderboard,
    "stall": Kind.stalled,
    "forecast": Kind.forecast,
    "heatmap": Kind.heatmap,
    "export": Kind.export,
}
VIEW = "stats.view"  # the access policy's action for every stats answer
# Legal and finance see contracts, not the sales numbers.
STATS_ROLES: tuple[Role, ...] = (
    Role.rep,
    Role.supervisor,
    Role.manager,
    Role.director,
    Role.admin,
)


@dataclass(frozen=True)
class StatsQuery:
    kind: Kind
    period: Period | None = None  # None: the command's default (this month)
    region: str | None = None  # region id
    team: str | None = None  # team id
    person: str | None = None  # person id
    product_line: str | None = None
    dimension: Dimension | None = None
    metric: LeaderMetric | None = None
