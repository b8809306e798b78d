"""A minimal stand-in for handlers/shared/periods.py (being written elsewhere), same signatures.

Only what the stats commands need: 本周 / 本月(这个月) / 上月(上个月) / 本季(本季度) / YYYY-MM.
Imported only through handlers/stats/periods.py, so swapping in the shared module is one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Period:
    start: datetime  # tz-aware, inclusive
    end: datetime  # tz-aware, exclusive
    label: str  # Chinese, for users
    key: str  # stable machine key, e.g. 2026-11


def _at(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz)


def _month(year: int, month: int, tz: ZoneInfo, label: str | None = None) -> Period:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return Period(
        _at(date(year, month, 1), tz),
        _at(nxt, tz),
        label or f"{year}年{month}月",
        f"{year:04d}-{month:02d}",
    )


def period_of(kind: str, at: datetime, tz: ZoneInfo) -> Period:
    """The week, month or quarter containing ``at`` (local time in ``tz``)."""
    local = at.astimezone(tz).date()
    if kind == "week":
        monday = local - timedelta(days=local.weekday())
        iso = monday.isocalendar()
        return Period(
            _at(monday, tz),
            _at(monday + timedelta(days=7), tz),
            f"{monday.month}月{monday.day}日起的一周",
            f"{iso.year:04d}-W{iso.week:02d}",
        )
    if kind == "month":
        return _month(local.year, local.month, tz)
    if kind == "quarter":
        q = (local.month - 1) // 3
        first = date(local.year, 3 * q + 1, 1)
        last = date(local.year + (q == 3), (3 * q + 3) % 12 + 1, 1)
        return Period(
            _at(first, tz), _at(last, tz), f"{local.year}年第{q + 1}季度", f"{local.year}-Q{q + 1}"
        )
    raise ValueError(f"unknown period kind {kind!r}")


_WORDS: tuple[tuple[str, str], ...] = (
    ("本季度", "quarter"),
    ("这个季度", "quarter"),
    ("本季", "quarter"),
    ("上个月", "last_month"),
    ("上月", "last_month"),
    ("这个月", "month"),
    ("本月", "month"),
    ("这周", "week"),
    ("本周", "week"),
)
_YM = re.compile(r"(20\d\d)[-/年.](1[0-2]|0?[1-9])月?")


def _resolve(kind: str, now: datetime, tz: ZoneInfo) -> Period:
    if kind == "last_month":
        local = now.astimezone(tz).date().replace(day=1) - timedelta(days=1)
        return _month(local.year, local.month, tz)
    return period_of(kind, now, tz)


def find_period(text: str, now: datetime, tz: ZoneInfo) -> tuple[Period, str] | None:
    """The first period expression inside ``text`` and the text without it."""
    m = _YM.search(text)
    if m is not None:
        period = _month(int(m.group(1)), int(m.group(2)), tz)
        return period, (text[: m.start()] + text[m.end() :]).strip()
    for word, kind in _WORDS:
        i = text.find(word)
        if i >= 0:
            return _resolve(kind, now, tz), (text[:i] + text[i + len(word) :]).strip()
    return None


def parse_period(text: str, now: datetime, tz: ZoneInfo) -> Period | None:
    """``text`` as a whole is one period expression, else None."""
    found = find_period(text.strip(), now, tz)
    return found[0] if found is not None and not found[1] else None
