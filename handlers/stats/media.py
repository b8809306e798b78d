"""Answers that carry an image or a file: /热力图, /预测 and /导出.

The text always stands on its own; the image or workbook comes after it. Charts and workbooks
are built in a worker thread, never on the event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.config.models import AppConfig
from bot.pipeline.context import Context
from bot.replies import File, Image, Markdown, Text
from handlers.stats import charts, queries, render
from handlers.stats.compute import build_report, period_for
from handlers.stats.export import XLSX, workbook_bytes
from handlers.stats.forecast_data import ForecastRates
from handlers.stats.forecast_report import forecast, forecast_text
from handlers.stats.model import Kind, StatsQuery
from handlers.stats.render import MORE, Report, Sheet, pct
from handlers.stats.sql import Filters
from storage.db import Database
from storage.media import MediaStore


def heatmap_report(title: str, cells: list[queries.CityCell], limit: int) -> Report:
    by_city: dict[str, list[int]] = {}
    for c in cells:
        total = by_city.setdefault(c.city, [0, 0])
        total[0] += c.deals
        total[1] += c.won
    ranked = sorted(by_city.items(), key=lambda kv: (-kv[1][0], kv[0]))
    lines = [f"**{title}**", "各城市新建商机 → 赢单："]
    lines += [f"- {city}：{n} → {w}（{pct(w, n)}）" for city, (n, w) in ranked[:limit]]
    if not ranked:
        lines.append("这段时间没有新建商机。")
    if len(ranked) > limit:
        lines.append(MORE.format(shown=limit, total=len(ranked)))
    sheet = Sheet("热力图", ("城市", "渠道", "新建商机", "赢单", "赢单率"))
    for c in sorted(cells, key=lambda c: (c.city, c.source)):
        sheet.rows.append((c.city, c.source, c.deals, c.won, c.won / c.deals if c.deals else None))
    return Report(title, lines, sheet)


async def answer_with_media(
    ctx: Context, query: StatsQuery, f: Filters, now: datetime, covers: str
) -> None:
    db = ctx.services.get(Database)
    media = ctx.services.get(MediaStore)
    config = ctx.config
    tz = ZoneInfo(config.timezone)
    if query.kind is Kind.forecast:
        result = await forecast(db, config, f, now, ctx.services.get(ForecastRates))
        report = forecast_text(result, covers, config)
        ctx.reply(Markdown(report.title, "\n".join(report.lines)))
        r = result.range
        png = await _chart(charts.forecast_png, report.title, result.won, r.low, r.median, r.high)
        if isinstance(png, str):
            ctx.reply(Text(png))
            return
        stored = await media.save(png, "image/png")
        ctx.reply(Image(stored.id, "本月业绩预测区间"))
        return
    period = period_for(query, now, tz)
    if query.kind is Kind.heatmap:
        title = f"热力图 · {period.label} · {covers}"
        cells = await queries.city_conversion(db, f, period.start, period.end)
        report = heatmap_report(title, cells, config.metrics.summary_rows)
        ctx.reply(Markdown(title, "\n".join(report.lines)))
        png = await _chart(charts.heatmap_png, f"各城市赢单率（{period.label}）", cells)
        if isinstance(png, str):
            ctx.reply(Text(png))
            return
        stored = await media.save(png, "image/png")
        ctx.reply(Image(stored.id, f"各城市赢单率 · {period.label}"))
        return
    # export: every figure for the period, one sheet each
    rates = ctx.services.get(ForecastRates)
    sheets = await export_sheets(db, config, query, f, now, covers, rates)
    about = [
        ("范围", covers),
        ("期间", period.label),
        ("生成时间", now.astimezone(tz).strftime("%Y-%m-%d %H:%M")),
        ("口径", "有效线索、成交客户、客单价、拜访的定义见 config.yaml 的 metrics 一节"),
        (
            "成单",
            "成单数、成单金额按成交日期计入期间；漏斗各阶段、转化、热力图按期间内新建的商机计其赢单",
        ),
        ("预测", "“预测”表是生成时本月的预测，不随所选期间变化"),
    ]
    if f.product_line is not None:
        about.append(
            (
                "产品线",
                f"其余各表只含“{f.product_line}”；“排行-拜访数”和“排行-新客户（有效线索）”"
                "不分产品线，是全部产品线的数据",
            )
        )
    data = await asyncio.to_thread(workbook_bytes, about, sheets)
    stored = await media.save(data, XLSX)
    filename = f"销售统计-{period.key}.xlsx"
    ctx.reply(Text(f"已导出 {period.label} 的统计数据（{len(sheets)} 张表），见附件 {filename}。"))
    ctx.reply(File(stored.id, filename))


async def export_sheets(
    db: Database,
    config: AppConfig,
    query: StatsQuery,
    f: Filters,
    now: datetime,
    covers: str,
    rates: ForecastRates,
) -> list[Sheet]:
    """The tables behind every command, in full (no row limit). The forecast is this month's at
    ``now``, whatever period the rest covers: it is the only month there is a forecast for."""
    base = replace(query, kind=Kind.funnel)
    sheets: list[Sheet] = []
    plan: list[StatsQuery] = [
        base,
        replace(base, kind=Kind.conversion, dimension="source"),
        replace(base, kind=Kind.conversion, dimension="region"),
        replace(base, kind=Kind.conversion, dimension="product"),
        replace(base, kind=Kind.dwell),
        *(replace(base, kind=Kind.leaderboard, metric=m) for m in ("won", "amount", "visits", "new_clients")),
    ]  # fmt: skip
    for q in plan:
        sheets.append((await build_report(db, config, q, f, now, covers)).sheet)  # sheets are whole
    limits = {s.name: s.stall_days for s in config.funnel.open_stages if s.stall_days}
    count, stuck = await queries.stalled(db, f, now, limits, None)
    sheets.append(render.stalled("停滞", count, stuck, 0).sheet)
    sheets.append(forecast_text(await forecast(db, config, f, now, rates), covers, config).sheet)
    period = period_for(query, now, ZoneInfo(config.timezone))
    cells = await queries.city_conversion(db, f, period.start, period.end)
    sheets.append(heatmap_report("热力图", cells, 0).sheet)
    return sheets


async def _chart(draw: Callable[..., bytes], *args: object) -> bytes | str:
    """Render in a worker thread; a missing CJK font becomes its Chinese explanation."""
    try:
        return await asyncio.to_thread(draw, *args)
    except charts.ChartError as exc:
        return str(exc)
