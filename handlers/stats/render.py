"""Numbers → Chinese text a phone shows, and the table behind them for the Excel export."""

from __future__ import annotations

from dataclasses import dataclass, field

from handlers.stats.model import DIMENSION_LABELS, METRIC_LABELS, Dimension, LeaderMetric
from handlers.stats.queries import (
    ConversionRow,
    DwellRow,
    FunnelRow,
    LeaderRow,
    StalledDeal,
    Won,
)

Cell = str | int | float | None
MORE = "（仅显示前 {shown} 项，共 {total} 项；发送 /导出 获取完整数据）"


@dataclass(frozen=True)
class Sheet:
    title: str
    header: tuple[str, ...]
    rows: list[tuple[Cell, ...]] = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    title: str  # e.g. 漏斗 · 2026年11月 · 华东
    lines: list[str]
    sheet: Sheet


def wan(value: float) -> str:
    """Money for a phone screen: 123.4万 or 8,500元."""
    if abs(value) >= 10_000:
        return f"{value / 10_000:,.1f}万"
    return f"{value:,.0f}元"


def pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "—"


def top(lines: list[str], total: int, shown: int) -> list[str]:
    return [*lines, MORE.format(shown=shown, total=total)] if total > shown else lines


def funnel(
    title: str,
    rows: list[FunnelRow],
    stages: list[str],
    won_stage: str,
    closed: Won,
    average: float | None,
) -> Report:
    """The cohort of deals created in the period through the stages; then 成单 — the deals closed
    as won in the period, whenever created — with its amount and 客单价."""
    total = sum(r.deals for r in rows)
    won_n = sum(r.deals for r in rows if r.status == "won")
    lost = sum(r.deals for r in rows if r.status == "lost")
    reached = [sum(r.deals for r in rows if r.furthest >= k) for k in range(len(stages))]
    lines = [
        f"**{title}**",
        f"新建商机 {total} 个：赢单 {won_n}（{pct(won_n, total)}），输单 {lost}，"
        f"进行中 {total - won_n - lost}",
    ]
    sheet = Sheet("漏斗", ("阶段", "到达商机数", "较上一阶段", "占新建商机"))
    previous = total
    for name, n in [*zip(stages, reached, strict=True), (won_stage, won_n)]:
        lines.append(f"- {name}：{n}（较上一阶段 {pct(n, previous)}）")
        sheet.rows.append(
            (name, n, n / previous if previous else None, n / total if total else None)
        )
        previous = n
    lines.append(
        f"本期成单 {closed.deals} 单，成单金额 {wan(closed.amount)}"
        + (f"，客单价 {wan(average)}" if average else "")
        + "（按成交日期）"
    )
    return Report(title, lines, sheet)


def conversion(
    title: str,
    rows: list[ConversionRow],
    dimension: Dimension,
    names: dict[str, str],
    limit: int,
    note: str = "",
) -> Report:
    """``note``: a line under the title saying what the figures do not follow (a filter)."""
    label = DIMENSION_LABELS[dimension]
    header = [label, "新建商机", "赢单", "赢单率", "赢单金额"]  # of the deals created: a cohort
    if dimension == "source":
        header.insert(1, "有效线索")
    sheet = Sheet(f"转化-{label}", tuple(header))
    lines = [f"**{title}**", *([note] if note else []), f"按{label}：新建商机 → 赢单"]
    shown = len(lines) + limit
    for r in rows:
        key = names.get(r.key or "", r.key or "未知")
        leads = f"线索 {r.leads}，" if r.leads is not None else ""
        lines.append(
            f"- {key}：{leads}商机 {r.deals} → 赢单 {r.won}（{pct(r.won, r.deals)}），{wan(r.won_amount)}"
        )
        cells: list[Cell] = [key, r.deals, r.won, r.rate, r.won_amount]
        if r.leads is not None:
            cells.insert(1, r.leads)
        sheet.rows.append(tuple(cells))
    if not rows:
        lines.append("这段时间没有新建商机。")
    return Report(title, top(lines[:shown], len(rows), limit), sheet)


def dwell(title: str, rows: list[DwellRow], stages: list[str]) -> Report:
    by_stage = {r.stage: r for r in rows}
    lines = [f"**{title}**", "各阶段停留天数（本期离开该阶段的商机）："]
    sheet = Sheet("停留", ("阶段", "离开次数", "中位数（天）", "P80（天）"))
    for s in stages:
        r = by_stage.get(s)
        if r is None:
            lines.append(f"- {s}：暂无数据")
            continue
        lines.append(
            f"- {s}：中位数 {r.median_days:.1f} 天，P80 {r.p80_days:.1f} 天（{r.moves} 次）"
        )
        sheet.rows.append((s, r.moves, round(r.median_days, 2), round(r.p80_days, 2)))
    return Report(title, lines, sheet)


def leaderboard(
    title: str, rows: list[LeaderRow], metric: LeaderMetric, limit: int, note: str = ""
) -> Report:
    """``note``: a line under the title saying what the figures do not follow (a filter)."""
    label = METRIC_LABELS[metric]
    paired = {"won": "成单金额", "amount": "成单数"}.get(metric)  # the other 成单 figure, if any
    sheet = Sheet(f"排行-{label}", ("名次", "姓名", label, *([paired] if paired else [])))
    lines = [f"**{title}**", *([note] if note else []), f"按{label}："]
    for i, r in enumerate(rows, start=1):
        if metric == "won":
            text = f"{r.value:.0f} 单（{wan(r.amount)}）"
        elif metric == "amount":
            text = f"{wan(r.value)}（{r.amount:.0f} 单）"
        else:
            text = f"{r.value:.0f}"
        if i <= limit:
            lines.append(f"{i}. {r.name}：{text}")
        sheet.rows.append((i, r.name, r.value, *([r.amount] if paired else [])))
    if not rows:
        lines.append("这段时间还没有数据。")
    return Report(title, top(lines, len(rows), limit), sheet)


def stalled(title: str, count: int, deals: list[StalledDeal], limit: int) -> Report:
    sheet = Sheet("停滞", ("客户", "负责人", "阶段", "停留天数", "时限（天）", "金额"))
    lines = [f"**{title}**", f"停滞商机 {count} 个（超过阶段时限）："]
    for d in deals:
        amount = wan(d.amount) if d.amount is not None else "金额未定"
        if len(lines) < limit + 2:
            lines.append(
                f"- {d.client} · {d.owner} · {d.stage} 第 {d.days} 天（时限 {d.limit}）· {amount}"
            )
        sheet.rows.append((d.client, d.owner, d.stage, d.days, d.limit, d.amount))
    if count == 0:
        lines.append("没有停滞的商机。")
    return Report(title, top(lines, count, min(limit, count)), sheet)
