"""The award, commission and projection rules as tables: at and around each threshold."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bot.config.incentives import Award, Commission, LtvTier
from handlers.incentives.rules import (
    BookItem,
    Measure,
    bar,
    commission,
    commission_rate,
    evaluate,
    judged_periods,
    paid_periods,
    progress,
    project,
    renewal_rate,
    tier_rate,
)
from handlers.shared.periods import period_of

TZ = ZoneInfo("Asia/Shanghai")
CONTACTS = Award(id="c", name="月度拓客奖", metric="new_valid_contacts", threshold=15, bonus=2000)
PROCESS = Award(
    id="p",
    name="流程规范奖",
    metric="demo_completion_rate",
    period="week",
    threshold=1.0,
    consecutive_periods=3,
    bonus=1000,
)
TICKETS = Award(
    id="t", name="协作之星奖", metric="avg_ticket_hours", threshold=2, comparison="<=", bonus=1500
)
C = Commission(
    base_rate=0.05,
    ltv_tiers=(LtvTier(year=2, rate=0.03), LtvTier(year=3, rate=0.05), LtvTier(year=4, rate=0.07)),
)


def m(value: float | None, done: int = 0, total: int = 0, pending: int = 0) -> Measure:
    return Measure("k", value, done, total, pending)


@pytest.mark.parametrize(
    ("value", "earned", "missing"),
    [
        (14, False, "还差 1 个（当前 14/15）"),
        (15, True, ""),
        (16, True, ""),
        (0, False, "还差 15 个（当前 0/15）"),
    ],
)
def test_contacts_award_at_and_around_15(value: int, earned: bool, missing: str) -> None:
    status = evaluate(CONTACTS, [m(value)])
    assert status.earned is earned
    assert status.missing == missing


@pytest.mark.parametrize(
    ("hours", "earned"),
    [(1.0, True), (2.0, True), (2.01, False), (None, False)],  # None: no work order handled
)
def test_collaboration_award_at_and_around_2_hours(hours: float | None, earned: bool) -> None:
    assert evaluate(TICKETS, [m(hours)]).earned is earned


def test_collaboration_missing_names_the_average() -> None:
    assert evaluate(TICKETS, [m(3.14)]).missing == "平均处理时长需 ≤2 小时（当前 3.1 小时）"
    assert evaluate(TICKETS, [m(None)]).missing == "本月还没有处理过工单"


FULL, MISS, NONE = m(1.0, 2, 2), m(0.5, 1, 2), m(None)


@pytest.mark.parametrize(
    ("weeks", "earned", "streak"),
    [
        ([FULL, FULL, FULL], True, 3),
        ([MISS, FULL, FULL], False, 2),  # a missed week breaks "three running"
        ([FULL, MISS, FULL], False, 1),
        ([FULL, FULL, MISS], False, 0),
        ([NONE, FULL, FULL], False, 2),  # a week without a planned demo meets nothing
        ([FULL, FULL, FULL, FULL], False, 4),  # paid once per full run, not every week after
        ([FULL] * 6, True, 6),
    ],
)
def test_process_award_needs_three_weeks_running(
    weeks: list[Measure], earned: bool, streak: int
) -> None:
    status = evaluate(PROCESS, weeks)
    assert (status.earned, status.streak) == (earned, streak)


def week(n: int, value: float | None = 1.0) -> Measure:
    return Measure(f"2026-W{n:02d}", value, 2 if value else 0, 2 if value is not None else 0)


def test_a_run_is_paid_once_even_across_settlements() -> None:
    five = [week(n) for n in range(44, 49)]
    assert paid_periods(PROCESS, five) == [False, False, True, False, False]
    assert evaluate(PROCESS, five).missing == "已连续 2 周达标，还需再保持 1 周"
    # the window holds 2N-1 weeks; a run the ledger paid before it still counts as paid
    assert not evaluate(PROCESS, five[2:], settled={"2026-W46"}).earned
    assert evaluate(PROCESS, five[2:]).earned  # without the ledger it would pay again
    assert paid_periods(PROCESS, [week(44), week(45, 0.5), *five[2:]]) == [
        False,
        False,
        False,
        False,
        True,
    ]


def test_process_missing_says_what_is_left() -> None:
    status = evaluate(PROCESS, [FULL, FULL, m(0.5, 1, 2, pending=1)])
    assert (
        status.missing
        == "本周计划 2 个方案演示，按时完成 1 个，还有 1 个待按时完成；之前已连续 2 周达标，本周达标即可获奖"
    )
    late = evaluate(PROCESS, [MISS, FULL, m(0.5, 1, 2)])
    assert late.missing.startswith("本周计划 2 个方案演示，按时完成 1 个，1 个已逾期")
    assert evaluate(PROCESS, [MISS, FULL, FULL]).missing == "已连续 2 周达标，还需再保持 1 周"


@pytest.mark.parametrize(
    ("fraction", "drawn"),
    [
        (0, "░░░░░"),
        (0.19, "░░░░░"),
        (0.2, "▓░░░░"),
        (0.8, "▓▓▓▓░"),
        (12 / 15, "▓▓▓▓░"),
        (1, "▓▓▓▓▓"),
        (2, "▓▓▓▓▓"),
    ],
)
def test_bar(fraction: float, drawn: str) -> None:
    assert bar(fraction) == drawn


def test_progress_lines() -> None:
    assert progress(CONTACTS, m(12)) == "▓▓▓▓░ 12/15"
    assert progress(PROCESS, m(0.6, 3, 5)) == "▓▓▓░░ 3/5 按时"
    assert progress(TICKETS, m(1.5)) == "▓▓▓▓▓ 1.5h/≤2h"
    assert progress(TICKETS, m(4.0)) == "▓▓░░░ 4.0h/≤2h"


@pytest.mark.parametrize(
    ("kind", "year", "rate"),
    [
        ("first_year", 1, 0.05),
        ("renewal", 2, 0.03),
        ("renewal", 3, 0.05),
        ("renewal", 4, 0.07),
        ("renewal", 9, 0.07),  # the last tier is "4+"
        ("upsell", 3, 0.05),
        ("upsell", 1, 0.05),  # upsell in the first contract year is first-year value
    ],
)
def test_ltv_tiers_by_renewal_year(kind: str, year: int, rate: float) -> None:
    assert commission_rate(C, kind, year) == rate


def test_tier_below_the_first_is_zero_and_amounts_round_to_cents() -> None:
    assert tier_rate((LtvTier(year=3, rate=0.05),), 2) == 0.0
    assert commission(C, "renewal", 2, Decimal("333333.33")) == Decimal("10000.00")
    assert commission(C, "first_year", 1, Decimal("300000")) == Decimal("15000.00")


def test_projection_multiplies_book_rate_and_tiers() -> None:
    # one client in year 1 paying 100k, one in year 3 paying 200k; 80 % renew each year
    years = project([BookItem(100_000, 1), BookItem(200_000, 3)], 0.8, C, 3)
    assert [round(y.book) for y in years] == [240_000, 192_000, 153_600]
    # year 1: 80k at the year-2 tier 3 % + 160k at year 4 (7 %) = 2,400 + 11,200
    # year 2: 64k at year 3 (5 %) + 128k at year 5 (7 %) = 3,200 + 8,960
    # year 3: 51.2k at year 4 (7 %) + 102.4k at year 6 (7 %) = 3,584 + 7,168
    assert [round(y.dividend) for y in years] == [13_600, 12_160, 10_752]


@pytest.mark.parametrize(
    ("prior", "renewed", "rate"), [(0, 0, 0.7), (10, 7, 0.7), (4, 1, 0.25), (3, 3, 1.0)]
)
def test_renewal_rate(prior: int, renewed: int, rate: float) -> None:
    assert renewal_rate(prior, renewed, 0.7) == rate


def keys(award: Award, year: int, month: int) -> list[str]:
    return [
        p.key
        for p in judged_periods(
            award, period_of("month", datetime(year, month, 10, tzinfo=TZ), TZ), TZ
        )
    ]


def test_weeks_settle_in_the_month_their_sunday_falls_in() -> None:
    # Nov 2026: Sunday Nov 1 ends W44 (Oct 26–Nov 1); Nov 30 is a Monday (W49 ends in December)
    assert keys(PROCESS, 2026, 11) == ["2026-W44", "2026-W45", "2026-W46", "2026-W47", "2026-W48"]
    assert keys(PROCESS, 2026, 12)[0] == "2026-W49"


def test_leap_february_and_year_boundary_weeks() -> None:
    # 2028 is a leap year: Feb 29 is a Tuesday, so W09 (Feb 28–Mar 5) settles in March
    assert keys(PROCESS, 2028, 2) == ["2028-W05", "2028-W06", "2028-W07", "2028-W08"]
    assert keys(PROCESS, 2028, 3)[0] == "2028-W09"
    # Jan 3 2027 is a Sunday: ISO week 2026-W53 settles with January 2027
    assert keys(PROCESS, 2027, 1)[0] == "2026-W53"
    assert keys(CONTACTS, 2028, 2) == ["2028-02"]
    quarterly = CONTACTS.model_copy(update={"period": "quarter"})
    assert keys(quarterly, 2026, 11) == [] and keys(quarterly, 2026, 12) == ["2026-Q4"]


@pytest.mark.parametrize(
    ("years", "title"), [(3, "未来三年续费与分红预测"), (5, "未来五年续费与分红预测")]
)
def test_the_chart_title_names_the_configured_years(years: int, title: str) -> None:
    from handlers.incentives.chart import projection_figure

    c = Commission(projection_years=years)
    projection = project([BookItem(100_000, 2)], 0.5, c, c.projection_years)
    assert projection_figure(projection).axes[0].get_title() == title
