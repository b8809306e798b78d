"""Forecast maths on plain numbers, and its inputs read from the hand-computed world."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from bot.config.models import AppConfig
from handlers.stats.forecast import (
    PipelineCell,
    Trial,
    interval,
    month_factors,
    simulate,
    win_rates,
)
from handlers.stats.forecast_data import ForecastRates
from handlers.stats.forecast_report import forecast, forecast_text
from handlers.stats.sql import Filters
from storage.db import Database
from tests.handlers.stats.world import NOW


def test_rates_per_region_with_pooling_below_the_minimum() -> None:
    trials = [
        Trial("方案演示", "east", 30, 12),
        Trial("方案演示", "east", 10, 0),  # another month: east has 40 deals, 12 won
        Trial("方案演示", "west", 5, 5),  # too few: west uses the pooled 17/45
        Trial("报价谈判", "east", 2, 1),
    ]
    rates = win_rates(trials, min_region_trials=30)
    assert rates.of("方案演示", "east") == 12 / 40
    assert rates.of("方案演示", "west") == 17 / 45
    assert rates.of("方案演示", "north") == 17 / 45
    assert rates.of("报价谈判", "east") == 0.5  # pooled (2 deals < 30) is also 1/2
    assert rates.of("首次接触", "east") == 0.0  # never seen: no credit


def test_certain_and_impossible_pipelines_are_exact() -> None:
    sure = win_rates([Trial("报价谈判", None, 10, 10)], 1)
    cells = [PipelineCell("报价谈判", None, 4, 400_000, 4 * 100_000**2)]  # four deals of 10万
    totals = simulate(50_000, cells, sure, [], runs=500)
    assert np.all(totals == 450_000)
    never = win_rates([Trial("报价谈判", None, 10, 0)], 1)
    assert np.all(simulate(50_000, cells, never, [], runs=500) == 50_000)


def test_binomial_pipeline_range() -> None:
    # 100 deals of 1万 at a 50% rate: mean 50万, sd sqrt(100·0.25) = 5 deals = 5万, so the
    # 10th and 90th percentiles sit near 50 ∓ 1.2816·5 = 43.6 and 56.4万.
    rates = win_rates([Trial("方案演示", None, 100, 50)], 1)
    cells = [PipelineCell("方案演示", None, 100, 1_000_000, 100 * 10_000**2)]
    r = interval(simulate(0, cells, rates, [], runs=20_000), 0.1, 0.9)
    assert abs(r.median - 500_000) <= 10_000
    assert abs(r.low - 436_000) <= 12_000 and abs(r.high - 564_000) <= 12_000
    again = interval(simulate(0, cells, rates, [], runs=20_000), 0.1, 0.9)
    assert again == r  # same inputs, same answer


def test_new_deals_drawn_from_past_months() -> None:
    rates = win_rates([], 1)
    r = interval(simulate(10, [], rates, [0.0, 100.0], runs=4000), 0.1, 0.9)
    assert (r.low, r.high) == (10.0, 110.0)


async def test_forecast_inputs_from_the_world(world_db: Database, config: AppConfig) -> None:
    # Won in November before NOW: D1 30万 + D4 50万 + D6 8万 = 88万. Open now: D2 10万
    # (需求确认), D5 15万 (方案演示), D7 no amount. The only deal open on 27 October at 10:00 was D6
    # in 需求确认, not won by 31 October: every past rate is 0, and no deal was created and won
    # after the 27th in any past month, so the range is exactly what is won.
    rates = ForecastRates(world_db)
    result = await forecast(world_db, config, Filters(), NOW, rates)
    assert (result.won, result.pipeline_deals, result.pipeline_amount) == (880_000, 3, 250_000)
    assert (result.range.low, result.range.high) == (880_000, 880_000)
    text = forecast_text(result, "全公司", config).lines
    assert text[1] == "本月已成交 88.0万；在途商机 3 个，金额 25.0万"
    assert text[2] == "预计本月业绩 88.0万，区间（P10–P90）88.0万 – 88.0万"
    assert text[3].startswith("假设：在途商机按过去 12 个月同一时点")
    own = await forecast(world_db, config, Filters(owners=frozenset({"zhang.wei"})), NOW, rates)
    assert (own.won, own.pipeline_deals, own.pipeline_amount) == (300_000, 2, 100_000)
    # As of 27 October the pipeline is rebuilt from history: D6 in 需求确认 (8万).
    october = await forecast(
        world_db,
        config,
        Filters(),
        datetime(2026, 10, 27, 2, tzinfo=UTC),
        rates,
        as_of_history=True,
    )
    assert (october.won, october.pipeline_deals, october.pipeline_amount) == (0, 1, 80_000)


def test_month_factors_widen_the_range_by_past_months() -> None:
    months = [
        [Trial("方案演示", None, 10, 2, amount=1_000_000, won_amount=100_000)],
        [Trial("方案演示", None, 10, 6, amount=1_000_000, won_amount=700_000)],
        [],  # nothing open that month: neutral
    ]
    rates = win_rates([t for m in months for t in m], 1)  # 8 / 20 = 0.4
    # Expected each month 0.4 × 100万 = 40万; realised 10万 and 70万.
    factors = month_factors(months, rates)
    assert factors == [0.25, 1.75, 1.0]
    sure = win_rates([Trial("方案演示", None, 1, 1)], 1)
    cells = [PipelineCell("方案演示", None, 2, 200_000, 2 * 100_000**2)]
    totals = simulate(0, cells, sure, [0.0, 10.0, 20.0], runs=3000, factors=factors)
    # Each run takes one month: 20万 × factor + that month's new-deal figure.
    assert set(np.unique(totals)) == {50_000.0, 350_010.0, 200_020.0}
