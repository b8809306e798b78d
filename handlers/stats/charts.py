"""Charts as PNG bytes: matplotlib's Agg backend with a CJK font, no pyplot global state.

Rendering is CPU work: callers run these functions in a thread (``asyncio.to_thread``).
"""

from __future__ import annotations

import io
from functools import lru_cache

from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, fontManager

from bot.fonts import find_cjk_font
from handlers.stats.queries import CityCell

NO_FONT = (
    "找不到中文字体，无法生成图表：请安装 fonts-wqy-microhei 或 fonts-noto-cjk "
    "（Debian：apt-get install fonts-wqy-microhei，或运行 make system-deps）。"
)


class ChartError(RuntimeError):
    """A chart cannot be drawn; the message is for users (Chinese)."""


@lru_cache(maxsize=1)
def cjk_font() -> FontProperties:
    """The CJK font ``salesbot doctor`` reports (``bot.fonts``), once per process."""
    found = find_cjk_font(fontManager.ttflist)
    if found is None:
        raise ChartError(NO_FONT)
    return FontProperties(fname=found[1])


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    return buf.getvalue()


def heatmap_png(title: str, cells: list[CityCell], max_cities: int = 30) -> bytes:
    """Win rate by city (rows) and lead source (columns); each cell shows rate and deal count."""
    font = cjk_font()
    totals: dict[str, int] = {}
    for c in cells:
        totals[c.city] = totals.get(c.city, 0) + c.deals
    cities = sorted(totals, key=lambda k: (-totals[k], k))[:max_cities]
    sources = sorted({c.source for c in cells})
    grid = {(c.city, c.source): c for c in cells}
    values = [
        [
            (grid[(city, s)].won / grid[(city, s)].deals) if (city, s) in grid else float("nan")
            for s in sources
        ]
        for city in cities
    ]
    fig = Figure(figsize=(1.4 + 1.1 * max(len(sources), 1), 1.2 + 0.42 * max(len(cities), 1)))
    ax = fig.add_subplot()
    rates = [v for row in values for v in row if v == v]  # NaN is not equal to itself
    top = max([0.05, *rates])  # colour the range that occurs, not 0–100 %
    image = ax.imshow(values or [[float("nan")]], cmap="YlOrRd", vmin=0, vmax=top, aspect="auto")
    ax.set_xticks(range(len(sources)), sources, fontproperties=font)
    ax.set_yticks(range(len(cities)), cities, fontproperties=font)
    ax.xaxis.tick_top()
    for i, city in enumerate(cities):
        for j, s in enumerate(sources):
            cell = grid.get((city, s))
            if cell is not None:
                rate = cell.won / cell.deals
                ax.text(
                    j,
                    i,
                    f"{rate:.0%}\n{cell.deals}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if rate > 0.6 * top else "black",
                )
    bar = fig.colorbar(image, ax=ax, fraction=0.04)
    bar.ax.set_title("赢单率", fontproperties=font, fontsize=8)
    ax.set_title(title, fontproperties=font, pad=28)
    return _png(fig)


def forecast_png(title: str, won: float, p10: float, p50: float, p90: float) -> bytes:
    """One bar: won so far, and the P10–P90 range with the median."""
    font = cjk_font()
    fig = Figure(figsize=(5.5, 1.8))
    ax = fig.add_subplot()
    ax.barh([0], [won / 1e4], color="#4a90d9", label="已成交")
    ax.barh([0], [(p90 - p10) / 1e4], left=[p10 / 1e4], color="#f5a623", alpha=0.5, label="P10–P90")
    ax.axvline(p50 / 1e4, color="#d0021b", label="P50")
    ax.set_yticks([])
    ax.set_xlabel("万元", fontproperties=font)
    ax.set_title(title, fontproperties=font)
    ax.legend(prop=font, loc="upper center", bbox_to_anchor=(0.5, -0.45), ncol=3, frameon=False)
    return _png(fig)
