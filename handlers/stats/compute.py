"""Run the query a StatsQuery names and render it: database in, Report out."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.config.crm import StageKind
from bot.config.models import AppConfig
from handlers.stats import queries, render
from handlers.stats.model import DIMENSION_LABELS, Kind, StatsQuery
from handlers.stats.periods import Period, period_of
from handlers.stats.render import Report
from handlers.stats.sql import Filters
from storage.db import Database


def period_for(query: StatsQuery, now: datetime, tz: ZoneInfo) -> Period:
    return query.period or period_of("month", now, tz)


def stage_names(config: AppConfig) -> tuple[list[str], str]:
    """Open stages in funnel order, and the won stage."""
    stages = config.funnel.stages
    won = next((s.name for s in stages if s.kind is StageKind.won), "赢单")
    return [s.name for s in stages if s.kind is StageKind.open], won


def key_names(config: AppConfig) -> dict[str, str]:
    return {r.id: r.name for r in config.regions}


# Visits and clients belong to no product line: a line asked for cannot narrow them, and the
# answer says so rather than show every line's figures under a title naming one.
BY_LINE_UNKNOWN: dict[str, str] = {"visits": "拜访", "new_clients": "新客户", "leads": "有效线索"}
NOT_BY_LINE = "（{what}不分产品线：“{line}”的筛选不适用，以下是全部产品线的{what}。）"


def line_note(metric: str, f: Filters) -> str:
    what = BY_LINE_UNKNOWN.get(metric)
    if what is None or f.product_line is None:
        return ""
    return NOT_BY_LINE.format(what=what, line=f.product_line)


async def build_report(
    db: Database,
    config: AppConfig,
    query: StatsQuery,
    f: Filters,
    now: datetime,
    covers: str,
) -> Report:
    """The text report of a funnel, conversion, dwell, leaderboard or stalled query."""
    tz = ZoneInfo(config.timezone)
    period = period_for(query, now, tz)
    limit = config.metrics.summary_rows
    open_stages, won_stage = stage_names(config)
    title = f"{query.kind.value} · {period.label} · {covers}"
    if query.kind is Kind.funnel:
        # The stages follow the deals created in the period (a cohort); 成单 and 客单价 are the
        # deals closed as won in it, the same figures /排行 and /预测 give.
        rows = await queries.funnel_rows(db, f, period.start, period.end, [*open_stages, won_stage])
        won = await queries.won_in(db, f, period.start, period.end)
        per = won.customers if config.metrics.average_order == "per_customer" else won.deals
        return render.funnel(
            title, rows, open_stages, won_stage, won, won.amount / per if per else None
        )
    if query.kind is Kind.conversion:
        dimension = query.dimension or "source"
        rows_c = await queries.conversion(
            db, f, period.start, period.end, dimension, config.metrics
        )
        title = f"转化（{DIMENSION_LABELS[dimension]}） · {period.label} · {covers}"
        note = line_note("leads", f) if dimension == "source" else ""
        return render.conversion(title, rows_c, dimension, key_names(config), limit, note)
    if query.kind is Kind.dwell:
        rows_d = await queries.dwell(db, f, period.start, period.end)
        return render.dwell(title, rows_d, open_stages)
    if query.kind is Kind.leaderboard:
        metric = query.metric or "won"
        rows_l = await queries.leaderboard(db, f, period.start, period.end, metric, config.metrics)
        return render.leaderboard(title, rows_l, metric, limit, line_note(metric, f))
    if query.kind is Kind.stalled:
        limits = {s.name: s.stall_days for s in config.funnel.open_stages if s.stall_days}
        count, stuck = await queries.stalled(db, f, now, limits, limit)
        return render.stalled(f"停滞 · {covers}", count, stuck, limit)
    raise ValueError(f"{query.kind} has no text report")
