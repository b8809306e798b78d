"""The LTV growth chart (matplotlib Agg, the stats module's CJK font; run in a thread)."""

from __future__ import annotations

import cn2an
from matplotlib.figure import Figure

from handlers.incentives.rules import ProjectedYear
from handlers.stats.charts import _png, cjk_font


def projection_title(years: int) -> str:
    """ "未来三年续费与分红预测": as many years as ``commission.projection_years`` projects."""
    return f"未来{cn2an.an2cn(years)}年续费与分红预测"


def projection_figure(years: list[ProjectedYear]) -> Figure:
    """Bars: expected renewing book per year (万元); line: expected dividend (元)."""
    font = cjk_font()
    fig = Figure(figsize=(4.8, 2.6))
    ax = fig.add_subplot()
    labels = [f"第{p.offset}年" for p in years]
    ax.bar(labels, [p.book / 1e4 for p in years], color="#4a90d9", label="续费额（万元）")
    ax.set_xticks(range(len(labels)), labels, fontproperties=font)
    ax.set_ylabel("续费额（万元）", fontproperties=font)
    right = ax.twinx()
    right.plot(labels, [p.dividend for p in years], color="#d0021b", marker="o", label="分红（元）")
    right.set_ylabel("分红（元）", fontproperties=font)
    right.set_ylim(bottom=0)
    ax.set_title(projection_title(len(years)), fontproperties=font)
    return fig


def projection_png(years: list[ProjectedYear]) -> bytes:
    return _png(projection_figure(years))
