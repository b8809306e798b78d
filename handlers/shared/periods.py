"""Chinese (and a little English) period expressions → a half-open interval in the org timezone.

One parser for stats, incentives and digests. Expressions are read relative to ``now`` in ``tz``;
a bare month or quarter ("11月", "Q3") means the most recent one that has started, and rolling
ranges ("近7天", "双十一以来") are whole days ending with today (end = tomorrow's midnight), so the
key stays stable for the whole day.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import cn2an

from handlers.shared.period_core import (
    Kind,
    Period,
    day_period,
    day_range,
    month_period,
    period_from_key,
    period_of,
    previous,
    quarter_period,
    shift,
    week_period,
    year_period,
)

__all__ = [
    "Kind",
    "Period",
    "find_period",
    "parse_period",
    "period_from_key",
    "period_of",
    "previous",
    "shift",
]

NUM = r"(\d{1,3}|[零〇一二两三四五六七八九十百]{1,4})"
CN_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4}
# Lunar New Year's Day: it moves every year and no lunar library is a dependency; extend as needed.
SPRING_FESTIVAL = {
    2020: date(2020, 1, 25),
    2021: date(2021, 2, 12),
    2022: date(2022, 2, 1),
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 3),
}
FIXED_DAYS = {
    "双十一": (11, 11),
    "双11": (11, 11),
    "国庆": (10, 1),
    "国庆节": (10, 1),
    "元旦": (1, 1),
    "年初": (1, 1),
    "今年": (1, 1),  # "今年以来": year to date
}
SINCE = r"(?:以来|至今|到现在|到今天)"

# Relative words (underscore for a space in English) → (kind, periods back from the current one)
_RELATIVE_TABLE: tuple[tuple[str, Kind, int], ...] = (
    ("今天 今日 today", "day", 0),
    ("昨天 昨日 yesterday", "day", -1),
    ("前天", "day", -2),
    ("本周 这周 这一周 本星期 这个星期 这星期 本礼拜 这个礼拜 this_week", "week", 0),
    ("上周 上一周 上个星期 上星期 上礼拜 上个礼拜 last_week", "week", -1),
    ("本月 这个月 这月 当月 本月份 this_month", "month", 0),
    ("上月 上个月 上一个月 上月份 last_month", "month", -1),
    ("本季 本季度 这个季度 这季度 当季 this_quarter", "quarter", 0),
    ("上季 上季度 上个季度 上一季度 last_quarter", "quarter", -1),
    ("今年 本年 本年度 this_year", "year", 0),
    ("去年 上一年 last_year", "year", -1),
    ("前年", "year", -2),
)
RELATIVE: dict[str, tuple[Kind, int]] = {
    word.replace("_", " "): (kind, offset)
    for words, kind, offset in _RELATIVE_TABLE
    for word in words.split()
}


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    build: Callable[[re.Match[str], date, ZoneInfo], Period | None]


def _num(text: str) -> int | None:
    if text.isdecimal():
        return int(text)
    try:
        return int(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, TypeError):
        return None


def _relative(m: re.Match[str], today: date, tz: ZoneInfo) -> Period:
    word = re.sub(r"\s+", " ", m.group(1).lower())
    kind, offset = RELATIVE[word]
    base = shift(period_of(kind, _noon(today, tz), tz), offset, tz)
    if kind == "week":
        return week_period(base.first_day, tz, "本周" if offset == 0 else "上周")
    return base


def _since(m: re.Match[str], today: date, tz: ZoneInfo) -> Period | None:
    name = m.group(1)
    tomorrow = today + timedelta(days=1)
    for year in (today.year, today.year - 1):
        if name == "春节":
            start = SPRING_FESTIVAL.get(year)
            if start is None:
                return None
        else:
            month, day = FIXED_DAYS[name]
            start = date(year, month, day)
        if start <= today:
            return day_range(start, tomorrow, tz, m.group(0).strip())
    return None


def _rolling(m: re.Match[str], today: date, tz: ZoneInfo) -> Period | None:
    n = _num(m.group(1))
    if not n or n > 3660:
        return None
    unit = m.group(2)
    tomorrow = today + timedelta(days=1)
    if unit in ("天", "日"):
        first = tomorrow - timedelta(days=n)
    elif unit in ("周", "星期", "礼拜"):
        first = tomorrow - timedelta(days=7 * n)
    else:  # months: "近1个月" on 12-03 starts on 11-04, like a month ending today
        first = _months_back(today, n) + timedelta(days=1)
    return day_range(first, tomorrow, tz, m.group(0).strip())


def _rolling_en(m: re.Match[str], today: date, tz: ZoneInfo) -> Period | None:
    n = int(m.group(1))
    tomorrow = today + timedelta(days=1)
    return day_range(tomorrow - timedelta(days=n), tomorrow, tz, f"近{n}天") if n else None


def _year(m: re.Match[str], today: date, tz: ZoneInfo) -> Period | None:
    year = int(m.group(1))
    return year_period(year, tz) if 1900 <= year <= 2200 else None


def _month(m: re.Match[str], today: date, tz: ZoneInfo) -> Period | None:
    month = _num(m.group(2))
    if month is None or not 1 <= month <= 12:
        return None
    if m.group(1):
        return month_period(int(m.group(1)), month, tz)
    year = today.year if month <= today.month else today.year - 1
    return month_period(year, month, tz)


def _quarter(m: re.Match[str], today: date, tz: ZoneInfo) -> Period | None:
    q = CN_QUARTER.get(m.group(2)) or int(m.group(2))
    if m.group(1):
        return quarter_period(int(m.group(1)), q, tz)
    current = (today.month - 1) // 3 + 1
    return quarter_period(today.year if q <= current else today.year - 1, q, tz)


def _day(m: re.Match[str], today: date, tz: ZoneInfo) -> Period | None:
    month, day = _num(m.group(2)), _num(m.group(3))
    if month is None or day is None:
        return None
    try:
        if m.group(1):
            return day_period(date(int(m.group(1)), month, day), tz)
        d = date(today.year, month, day)
        return day_period(d if d <= today else date(today.year - 1, month, day), tz)
    except ValueError:  # 2月30日, or 2月29日 looked up in a year that has none
        return None


def _weekday(m: re.Match[str], today: date, tz: ZoneInfo) -> Period:
    """A day of this or last week ("上周五"); a bare "周五" is the latest Friday not in the future."""
    index = "一二三四五六日".index(m.group(2).replace("天", "日"))
    monday = today - timedelta(days=today.weekday())
    if m.group(1) == "上":
        monday -= timedelta(days=7)
    day = monday + timedelta(days=index)
    if m.group(1) is None and day > today:
        day -= timedelta(days=7)
    return day_period(day, tz)


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_WORDS = "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in RELATIVE), key=len)[::-1])
_FESTIVALS = "|".join(sorted((*FIXED_DAYS, "春节"), key=len, reverse=True))
Y = r"(?<!\d)(\d{4})"
# Order breaks ties between matches of equal length at the same place: earlier rules win.
RULES = (
    _Rule(_rx(rf"({_FESTIVALS}){SINCE}"), _since),
    _Rule(_rx(rf"(?<![A-Za-z])({_WORDS})(?![A-Za-z])(?:{SINCE})?"), _relative),
    _Rule(_rx(rf"(?:近|最近|过去)\s*{NUM}\s*(?:个)?(天|日|周|星期|礼拜|个月|月)"), _rolling),
    _Rule(_rx(r"\b(?:last|past)\s+(\d{1,4})\s+days?\b"), _rolling_en),
    # "一" followed by 共/起/直… is "altogether/together", as in "本周一共签了3单", not Monday.
    _Rule(
        _rx(r"(本|这|上)?个?(?:周|星期|礼拜)(一(?![共起直些样切般半])|[二三四五六日天])"),
        _weekday,
    ),
    _Rule(_rx(rf"{Y}\s*[-/.年]\s*(\d{{1,2}})\s*[-/.月]\s*(\d{{1,2}})\s*[日号]?(?!\d)"), _day),
    _Rule(_rx(rf"{Y}年{NUM}月{NUM}[日号]"), _day),
    _Rule(_rx(rf"(?<![\d年.\-/])(){NUM}月{NUM}[日号]"), _day),
    # No "." for a month: "预算2000.5万" is money, not May 2000.
    _Rule(_rx(rf"{Y}\s*(?:年|-|/)\s*(\d{{1,2}})(?:\s*月份?)?(?![\d.\-/])"), _month),
    _Rule(_rx(rf"{Y}年{NUM}月份?"), _month),
    _Rule(_rx(rf"(?<![\d年.\-/])(){NUM}月份?(?![\d日号度])"), _month),
    _Rule(_rx(rf"(?:{Y}\s*(?:年|-)?\s*)?(?<![A-Za-z])Q([1-4])(?!\d)"), _quarter),
    _Rule(
        _rx(
            rf"(?:{Y}\s*年度?\s*)?(?:第(?=[一二三四1-4]季)|(?=[一二三四1-4]季度))([一二三四1-4])季度?"
        ),
        _quarter,
    ),
    _Rule(_rx(rf"{Y}\s*(?:年度?|全年)"), _year),
)


def _normalise(text: str) -> str:
    """Full-width ASCII to half-width, one character for one, so positions stay valid."""
    return "".join(
        chr(ord(c) - 0xFEE0) if "！" <= c <= "～" else " " if c == "\u3000" else c for c in text
    )


def _noon(d: date, tz: ZoneInfo) -> datetime:
    return datetime(d.year, d.month, d.day, 12, tzinfo=tz)


def _months_back(d: date, n: int) -> date:
    index = d.year * 12 + d.month - 1 - n
    year, month = divmod(index, 12)
    month += 1
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, min(d.day, (nxt - timedelta(days=1)).day))


def parse_period(text: str, now: datetime, tz: ZoneInfo) -> Period | None:
    """The period when the whole (stripped) text is one period expression, else None."""
    norm = _normalise(text).strip()
    today = now.astimezone(tz).date()
    for rule in RULES:
        m = rule.pattern.fullmatch(norm)
        if m:
            found = rule.build(m, today, tz)
            if found:
                return found
    return None


def find_period(text: str, now: datetime, tz: ZoneInfo) -> tuple[Period, str] | None:
    """The first period expression inside ``text`` and the text without it.

    "华东本月漏斗怎么样" → (本月, "华东漏斗怎么样"). The leftmost match wins, then the longest, so
    "2026年11月5日" is one day and not the month 2026-11 followed by "5日".
    """
    norm = _normalise(text)
    today = now.astimezone(tz).date()
    best: tuple[int, int, Period] | None = None
    for rule in RULES:
        for m in rule.pattern.finditer(norm):
            start, end = m.span()
            if best and (start > best[0] or (start == best[0] and end <= best[1])):
                continue
            found = rule.build(m, today, tz)
            if found:
                best = (start, end, found)
    if best is None:
        return None
    start, end, found = best
    head, tail = text[:start].rstrip(), text[end:].lstrip()
    if not head:
        tail = tail.removeprefix("的").lstrip()
    # Keep a space only where the expression had one on both sides ("张三 this month 业绩").
    spaced = text[:start] != head and text[end:] != tail
    joiner = " " if head and tail and spaced else ""
    return found, (head + joiner + tail).strip()
