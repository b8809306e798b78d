"""Award and commission rules as plain functions over plain data (no database, no aiohttp).

An award is judged per period from a ``Measure`` (the metric's value for that period). "Three weeks
running" is a run of met periods ending with the one judged; a run is paid once (weeks 3, 6, 9 …
of a long streak), so a long streak is not paid every week after the third.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from bot.config.incentives import Award, Commission, LtvTier
from handlers.shared.periods import Period, period_of, shift

PERIOD_WORDS = {"week": "周", "month": "月", "quarter": "季度"}
THIS_PERIOD = {"week": "本周", "month": "本月", "quarter": "本季度"}
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Measure:
    """A metric's value for one period. ``value`` None: nothing to measure (no demo planned, no
    work order handled) — such a period does not meet any threshold."""

    period_key: str
    value: float | None
    done: int = 0  # rates: actions done on time
    total: int = 0  # rates: actions planned
    pending: int = 0  # rates: planned actions not yet due (the current period only)


def meets(value: float | None, threshold: float, comparison: str) -> bool:
    if value is None:
        return False
    # A rate of 14/14 computed in floating point is exactly 1.0; the epsilon guards sums like 0.1*3.
    if comparison == "<=":
        return value <= threshold + 1e-9
    return value >= threshold - 1e-9


def streak(history: Sequence[Measure], award: Award) -> int:
    """Consecutive periods meeting the threshold, ending with the last one of ``history``."""
    n = 0
    for m in reversed(history):
        if not meets(m.value, award.threshold, award.comparison):
            break
        n += 1
    return n


def history_length(award: Award) -> int:
    """Periods to measure for judging one: the run itself and the N-1 before it, which say
    whether an earlier run was already paid (a run is paid once)."""
    return 2 * award.consecutive_periods - 1


def paid_periods(
    award: Award, history: Sequence[Measure], settled: Collection[str] = ()
) -> list[bool]:
    """For each period of ``history`` (oldest first), whether the award is paid for it: the
    period closes N met periods running, and none of the N-1 before it was paid. ``settled``
    names periods the ledger already paid (reaching back before the window)."""
    need = award.consecutive_periods
    paid: list[bool] = []
    for i, m in enumerate(history):
        if m.period_key in settled:
            paid.append(True)
            continue
        window = history[i - need + 1 : i + 1] if i >= need - 1 else []
        paid.append(
            bool(window)
            and all(meets(w.value, award.threshold, award.comparison) for w in window)
            and not any(paid[max(0, i - need + 1) : i])
        )
    return paid


def since_paid(award: Award, history: Sequence[Measure], paid: Sequence[bool]) -> int:
    """Met periods running at the end of ``history`` since the last paid one."""
    n = 0
    for m, was_paid in zip(reversed(history), reversed(paid), strict=True):
        if was_paid or not meets(m.value, award.threshold, award.comparison):
            break
        n += 1
    return n


@dataclass(frozen=True)
class AwardStatus:
    award: Award
    current: Measure
    met: bool  # the judged period meets the threshold
    streak: int  # met periods running, the judged one included
    earned: bool  # the award is paid for the judged period
    missing: str  # what is still missing, for the rep (empty when earned)


def evaluate(
    award: Award, history: Sequence[Measure], settled: Collection[str] = ()
) -> AwardStatus:
    """Judge the last period of ``history`` (oldest first, ``history_length(award)`` long so an
    earlier paid run is seen; ``settled``: period keys the ledger already paid)."""
    if not history:
        raise ValueError("history needs at least the judged period")
    current = history[-1]
    met = meets(current.value, award.threshold, award.comparison)
    paid = paid_periods(award, history, settled)
    earned = paid[-1]
    text = ""
    if not earned:
        text = missing(award, current, since_paid(award, history[:-1], paid[:-1]))
    return AwardStatus(award, current, met, streak(history, award), earned, text)


def missing(award: Award, current: Measure, before: int) -> str:
    """What stands between the rep and the award, in one Chinese sentence; ``before`` counts the
    met periods running just before the judged one (since the last paid run)."""
    this = THIS_PERIOD.get(award.period, "本期")
    word = PERIOD_WORDS.get(award.period, "期")
    parts: list[str] = []
    met = meets(current.value, award.threshold, award.comparison)
    if not met:
        parts.append(_gap(award, current, this))
    need = award.consecutive_periods
    if need > 1:
        if met:
            parts.append(f"已连续 {before + 1} {word}达标，还需再保持 {need - before - 1} {word}")
        elif before + 1 == need:
            parts.append(f"之前已连续 {before} {word}达标，{this}达标即可获奖")
        else:
            parts.append(f"需连续 {need} {word}达标，之前已连续 {before} {word}")
    return "；".join(parts)


def _gap(award: Award, m: Measure, this: str) -> str:
    if award.metric == "demo_completion_rate":
        if m.total == 0:
            return f"{this}还没有计划中的方案演示"
        late = m.total - m.done - m.pending
        text = f"{this}计划 {m.total} 个方案演示，按时完成 {m.done} 个"
        if m.pending:
            text += f"，还有 {m.pending} 个待按时完成"
        if late > 0 and award.threshold >= 1:
            text += f"，{late} 个已逾期（{this}已无法达到 100%）"
        return text
    if award.metric == "avg_ticket_hours":
        if m.value is None:
            return f"{this}还没有处理过工单"
        return f"平均处理时长需 ≤{award.threshold:g} 小时（当前 {m.value:.1f} 小时）"
    value = m.value or 0.0
    if award.comparison == "<=":
        return f"需降到 {award.threshold:g} 以下（当前 {value:g}）"
    return (
        f"还差 {math.ceil(award.threshold - value - 1e-9)} 个（当前 {value:g}/{award.threshold:g}）"
    )


def bar(fraction: float, width: int = 5) -> str:
    """ "▓▓▓▓░" for 0.8: filled cells rounded down, so a full bar means the goal is reached."""
    filled = max(0, min(width, math.floor(fraction * width + 1e-9)))
    return "▓" * filled + "░" * (width - filled)


def progress(award: Award, m: Measure) -> str:
    """The progress bar with its figures: "▓▓▓▓░ 12/15", "▓▓▓░░ 3/5 按时", "▓▓▓▓▓ 1.5h/≤2h"."""
    if award.metric == "demo_completion_rate":
        frac = m.done / m.total if m.total else 0.0
        return f"{bar(frac)} {m.done}/{m.total} 按时"
    if award.comparison == "<=":
        if m.value is None:
            return f"{bar(0)} —/≤{award.threshold:g}h"
        frac = 1.0 if m.value <= award.threshold else award.threshold / m.value
        return f"{bar(frac)} {m.value:.1f}h/≤{award.threshold:g}h"
    value = m.value or 0.0
    frac = value / award.threshold if award.threshold else 1.0
    return f"{bar(frac)} {value:g}/{award.threshold:g}"


def judged_periods(award: Award, month: Period, tz: ZoneInfo) -> list[Period]:
    """The award's periods settled with ``month``: the weeks ending in it, the month itself, or
    the quarter when the month closes it."""
    if award.period == "month":
        return [month]
    if award.period == "quarter":
        quarter = period_of("quarter", month.start, tz)
        return [quarter] if quarter.end == month.end else []
    out: list[Period] = []
    week = period_of("week", month.start, tz)
    while week.start < month.end:
        if month.contains(week.start + timedelta(days=6)):  # the week's Sunday
            out.append(week)
        week = shift(week, 1, tz)
    return out


# ---------------------------------------------------------------- commission and LTV dividend
def tier_rate(tiers: Sequence[LtvTier], contract_year: int) -> float:
    """The dividend rate of a renewal year: the highest tier starting at or before it ("4+")."""
    rate = 0.0
    for tier in sorted(tiers, key=lambda t: t.year):
        if tier.year <= contract_year:
            rate = tier.rate
    return rate


def commission_rate(c: Commission, kind: str, contract_year: int) -> float:
    """First-year value earns the base rate; renewals and upsell the LTV tier of their year."""
    if kind == "first_year" or contract_year <= 1:
        return c.base_rate
    return tier_rate(c.ltv_tiers, contract_year)


def commission(c: Commission, kind: str, contract_year: int, amount: Decimal) -> Decimal:
    rate = Decimal(str(commission_rate(c, kind, contract_year)))
    return (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def allowance(c: Commission, certificates: int) -> Decimal:
    return (Decimal(str(c.certificate_allowance)) * certificates).quantize(CENT)


# ---------------------------------------------------------------- projection
@dataclass(frozen=True)
class BookItem:
    """Annual value a client pays the rep now, and the contract year it is in."""

    amount: float
    contract_year: int


@dataclass(frozen=True)
class ProjectedYear:
    offset: int  # 1 = next year
    book: float  # expected annual value still renewing
    dividend: float  # expected LTV dividend on it


def renewal_rate(prior: int, renewed: int, default: float) -> float:
    """Share of last year's paying clients who paid again this year; ``default`` without history."""
    if prior <= 0:
        return default
    return max(0.0, min(1.0, renewed / prior))


def project(
    book: Sequence[BookItem], rate: float, c: Commission, years: int
) -> list[ProjectedYear]:
    """Current book × renewal rate^k × the dividend tier of each client's year k years on."""
    out: list[ProjectedYear] = []
    for k in range(1, years + 1):
        survival = rate**k
        value = sum(item.amount for item in book) * survival
        dividend = sum(
            item.amount * survival * tier_rate(c.ltv_tiers, item.contract_year + k) for item in book
        )
        out.append(ProjectedYear(k, value, dividend))
    return out
