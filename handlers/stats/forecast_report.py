"""The /预测 answer: gather the forecast's inputs, simulate, and say it in one short paragraph."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.config.models import AppConfig
from handlers.stats.compute import stage_names
from handlers.stats.forecast import (
    Interval,
    PipelineCell,
    interval,
    month_factors,
    simulate,
    win_rates,
)
from handlers.stats.forecast_data import (
    ForecastRates,
    open_pipeline,
    past_snapshots,
    pipeline_at,
    won_after_snapshots,
    won_between,
)
from handlers.stats.periods import period_of
from handlers.stats.render import Report, Sheet, wan
from handlers.stats.sql import Filters
from storage.db import Database


@dataclass(frozen=True)
class Forecast:
    month_label: str
    won: float
    pipeline_deals: int
    pipeline_amount: float
    range: Interval
    months: int  # past months the rates come from


async def forecast(
    db: Database,
    config: AppConfig,
    f: Filters,
    now: datetime,
    rates_source: ForecastRates,
    *,
    as_of_history: bool = False,
) -> Forecast:
    """This month's forecast at ``now``; ``as_of_history`` rebuilds the pipeline from stage
    history (for a backtest at a past moment) instead of reading today's open deals."""
    settings = config.metrics.forecast
    tz = ZoneInfo(config.timezone)
    month = period_of("month", now, tz)
    history = await rates_source.history(month, now, tz, settings)
    rates = win_rates(history.trials, settings.min_region_trials)
    open_stages, _ = stage_names(config)
    cells = await (pipeline_at(db, f, now) if as_of_history else open_pipeline(db, f, open_stages))
    pipeline: list[PipelineCell] = [c for c in cells if c.stage in open_stages]
    won = await won_between(db, f, month.start, now)
    new_values = await won_after_snapshots(db, f, past_snapshots(month, now, tz, history.months))
    factors = month_factors(history.by_month, rates)
    samples = simulate(won, pipeline, rates, new_values, runs=settings.simulations, factors=factors)
    return Forecast(
        month.label,
        won,
        sum(c.deals for c in pipeline),
        sum(c.amount for c in pipeline),
        interval(samples, settings.low_quantile, settings.high_quantile),
        history.months,
    )


def forecast_text(result: Forecast, covers: str, config: AppConfig) -> Report:
    s = config.metrics.forecast
    lo, hi = f"P{round(s.low_quantile * 100)}", f"P{round(s.high_quantile * 100)}"
    title = f"预测 · {result.month_label} · {covers}"
    r = result.range
    lines = [
        f"**{title}**",
        f"本月已成交 {wan(result.won)}；在途商机 {result.pipeline_deals} 个，金额 {wan(result.pipeline_amount)}",
        f"预计本月业绩 {wan(r.median)}，区间（{lo}–{hi}）{wan(r.low)} – {wan(r.high)}",
        f"假设：在途商机按过去 {result.months} 个月同一时点各阶段商机到月底的赢单率计"
        f"（分区域，样本少于 {s.min_region_trials} 个用全公司，波动按各月实际），新商机按过去同期水平，"
        "未填金额的商机按 0 计。",
    ]
    sheet = Sheet("预测", ("项目", "金额"))
    sheet.rows.extend(
        [
            ("已成交", result.won),
            ("在途商机数", result.pipeline_deals),
            ("在途商机金额", result.pipeline_amount),
            (f"{lo}", r.low),
            ("P50", r.median),
            (f"{hi}", r.high),
        ]
    )
    return Report(title, lines, sheet)
