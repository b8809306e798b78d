"""The Period value and calendar arithmetic: which day/week/month/quarter/year contains a moment.

Parsing of Chinese expressions lives in ``handlers.shared.periods``; this module only knows calendars.
All boundaries are local midnights in the organisation's timezone, weeks start on Monday.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

Kind = Literal["day", "week", "month", "quarter", "year"]
QUARTER_CN = ("一", "二", "三", "四")


@dataclass(frozen=True)
class Period:
    start: datetime  # tz-aware, inclusive
    end: datetime  # tz-aware, exclusive
    label: str  # Chinese for users
    key: str  # stable id, e.g. "2026-W49", "2026-11", "2026-11-04..2026-12-04"
    kind: Kind | Literal["range"] = "range"

    def contains(self, at: datetime) -> bool:
        return self.start <= at < self.end

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        """The last calendar day touched by the period (end is exclusive)."""
        return (self.end - timedelta(microseconds=1)).date()


def midnight(d: date, tz: ZoneInfo) -> datetime:
    # Built from the wall clock, not by adding 24h, so a DST zone still gets real midnights.
    return datetime.combine(d, time(0), tzinfo=tz)


def _month_start(year: int, month: int) -> date:
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def md(d: date) -> str:
    return f"{d.month}月{d.day}日"


def span_text(first: date, last: date) -> str:
    """ "11月30日—12月6日"; years are shown only when the span crosses one."""
    if first.year != last.year:
        return f"{first.year}年{md(first)}—{last.year}年{md(last)}"
    return f"{md(first)}—{md(last)}"


def day_period(d: date, tz: ZoneInfo) -> Period:
    return Period(
        midnight(d, tz),
        midnight(d + timedelta(days=1), tz),
        f"{d.year}年{md(d)}",
        d.isoformat(),
        "day",
    )


def week_period(d: date, tz: ZoneInfo, prefix: str | None = None) -> Period:
    monday = d - timedelta(days=d.weekday())
    sunday = monday + timedelta(days=6)
    iso_year, iso_week, _ = monday.isocalendar()
    head = prefix or f"{iso_year}年第{iso_week}周"
    return Period(
        midnight(monday, tz),
        midnight(monday + timedelta(days=7), tz),
        f"{head}（{span_text(monday, sunday)}）",
        f"{iso_year}-W{iso_week:02d}",
        "week",
    )


def month_period(year: int, month: int, tz: ZoneInfo) -> Period:
    first = _month_start(year, month)
    return Period(
        midnight(first, tz),
        midnight(_month_start(year, month + 1), tz),
        f"{first.year}年{first.month}月",
        f"{first.year}-{first.month:02d}",
        "month",
    )


def quarter_period(year: int, quarter: int, tz: ZoneInfo) -> Period:
    first = _month_start(year, 3 * (quarter - 1) + 1)
    q = (first.month - 1) // 3 + 1
    return Period(
        midnight(first, tz),
        midnight(_month_start(first.year, first.month + 3), tz),
        f"{first.year}年第{QUARTER_CN[q - 1]}季度",
        f"{first.year}-Q{q}",
        "quarter",
    )


def year_period(year: int, tz: ZoneInfo) -> Period:
    return Period(
        midnight(date(year, 1, 1), tz),
        midnight(date(year + 1, 1, 1), tz),
        f"{year}年",
        str(year),
        "year",
    )


def day_range(first: date, end: date, tz: ZoneInfo, name: str | None = None) -> Period:
    """Whole days [first, end); ``name`` prefixes the label, e.g. "近7天"."""
    last = end - timedelta(days=1)
    span = span_text(first, last)
    label = f"{name}（{span}）" if name else f"{first.year}年{span}"
    return Period(midnight(first, tz), midnight(end, tz), label, f"{first}..{end}", "range")


def period_of(kind: Kind, at: datetime, tz: ZoneInfo) -> Period:
    """The calendar period of ``kind`` containing ``at`` (read in ``tz``)."""
    d = at.astimezone(tz).date()
    if kind == "day":
        return day_period(d, tz)
    if kind == "week":
        return week_period(d, tz)
    if kind == "month":
        return month_period(d.year, d.month, tz)
    if kind == "quarter":
        return quarter_period(d.year, (d.month - 1) // 3 + 1, tz)
    return year_period(d.year, tz)


def shift(p: Period, n: int, tz: ZoneInfo | None = None) -> Period:
    """The period ``n`` steps later (negative: earlier) of the same kind.

    Calendar periods step by their own unit (month -1 of March is February, whatever its length);
    ranges step by their own length in days, so "近7天" shifted by -1 is the 7 days before it.
    """
    zone = tz or _zone_of(p)
    d = p.start.astimezone(zone).date()
    if p.kind == "day":
        return day_period(d + timedelta(days=n), zone)
    if p.kind == "week":
        return week_period(d + timedelta(days=7 * n), zone)
    if p.kind == "month":
        return month_period(d.year, d.month + n, zone)
    if p.kind == "quarter":
        return quarter_period(d.year, (d.month - 1) // 3 + 1 + n, zone)
    if p.kind == "year":
        return year_period(d.year + n, zone)
    days = (p.end.astimezone(zone).date() - d).days
    first = d + timedelta(days=days * n)
    return day_range(first, first + timedelta(days=days), zone)


def previous(p: Period, tz: ZoneInfo | None = None) -> Period:
    """The period just before ``p`` ("three weeks running" walks this back)."""
    return shift(p, -1, tz)


def _zone_of(p: Period) -> ZoneInfo:
    zone = p.start.tzinfo
    if not isinstance(zone, ZoneInfo):
        raise ValueError("pass tz= for a period whose start is not in a ZoneInfo timezone")
    return zone


_KEY = re.compile(
    r"(?P<first>\d{4}-\d{2}-\d{2})\.\.(?P<end>\d{4}-\d{2}-\d{2})|(?P<day>\d{4}-\d{2}-\d{2})"
    r"|(?P<wy>\d{4})-W(?P<w>\d{2})|(?P<my>\d{4})-(?P<m>\d{2})|(?P<qy>\d{4})-Q(?P<q>[1-4])"
    r"|(?P<year>\d{4})"
)


def period_from_key(key: str, tz: ZoneInfo) -> Period | None:
    """The period a stored ``key`` names (cards and digests keep keys, not intervals); None if not
    a key. Relative labels ("本周", "近7天") are not kept in a key, so labels come back absolute."""
    m = _KEY.fullmatch(key.strip())
    if m is None:
        return None
    try:
        if m["first"]:
            first, end = date.fromisoformat(m["first"]), date.fromisoformat(m["end"])
            return day_range(first, end, tz) if first < end else None
        if m["day"]:
            return day_period(date.fromisoformat(m["day"]), tz)
        if m["wy"]:
            return week_period(date.fromisocalendar(int(m["wy"]), int(m["w"]), 1), tz)
        if m["my"]:
            month = int(m["m"])
            return month_period(int(m["my"]), month, tz) if 1 <= month <= 12 else None
        if m["qy"]:
            return quarter_period(int(m["qy"]), int(m["q"]), tz)
        return year_period(int(m["year"]), tz)
    except ValueError:  # 2026-02-30, 2027-W53
        return None
