"""Relative dates in a note, resolved against the message time in Asia/Shanghai.

jionlp finds and parses most expressions. Where it is measurably wrong we resolve first, with a
few explicit rules whose spans then win over jionlp's:

* ``N天/周/个月内`` — jionlp ends 两周内 at the end of *this* week; we add N units to today.
* ``(这个|下个|12)月底/月末/月中/月初``, ``年底`` — 月底 raises in jionlp.
* ``这周内/下周内`` — the Friday of that week (a task due on Sunday helps nobody).
* ``节后`` — the first working day after the next public holiday (chinese-calendar).
* ``下个月`` alone — jionlp misses it before 再; the first of next month; ``六月份`` likewise.

Resolution of jionlp results: a deadline (…前/之前/内) is due on its last day (下周三之前 →
that Wednesday; 国庆前 → the day before the holiday); a point is due on its first day; a past
weekday/day/month-day said without 上/去年… rolls forward to its next occurrence unless the
clause reports something done (了/过/的时候).
"""

from __future__ import annotations

import calendar
import contextlib
import importlib
import io
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import ModuleType

from nlp.extract.text import Clause, clause_at

_CN_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_WITHIN = re.compile(
    r"(?P<n>\d+|[一二两三四五六七八九十]+|半)个?(?P<u>天|日|周|星期|礼拜|个月)(?:之内|以内|内)"
)
_MONTH_NUM = r"(?P<m>1[0-2]|[1-9]|十[一二]?|[一二三四五六七八九])"
_MONTH_PART = re.compile(
    rf"(?:(?P<rel>这个|本|当|下个|下)|{_MONTH_NUM})?月(?P<pos>底|末|中|初)(?:之前|以前|前)?"
)
_YEAR_END = re.compile(r"(?P<rel>今|明|这)?年(?:底|末)(?:之前|以前|前)?")
_WEEK_WITHIN = re.compile(r"(?P<rel>这|本|下)个?(?:周|星期|礼拜)(?:之内|以内|内)")
_AFTER_HOLIDAY = re.compile(r"节后|过完节|节假日后|放假回来")
_MONTH_ONLY = re.compile(rf"(?<![\d一二三四五六七八九十]){_MONTH_NUM}月份")
_NEXT_MONTH = re.compile(r"下个?月(?![初中底末号\d一二三四五六七八九十])")
_DEADLINE_TAIL = re.compile(r"(?:之前|以前|前|之内|以内|内)$")
_HOLIDAY = re.compile(r"元旦|春节|国庆|五一|劳动节|端午|中秋|清明|节")
_BARE = re.compile(
    r"^(?:周|星期|礼拜)|^\d{1,2}月|^[\d一二三四五六七八九十]+[号日]|^(?:元旦|春节|国庆|五一|端午|中秋)"
)
_WINDOW, _OVERLAP = 24, 10  # chars per jionlp call; any time phrase ≤ 10 chars fits one window
_CLOCK = re.compile(r"[点时]|\d{1,2}:\d{2}")
_DONE_AFTER = re.compile(r"了|过|的时候")


@dataclass(frozen=True, slots=True)
class TimeMention:
    start: int
    end: int
    text: str
    day: date
    at: datetime | None  # set when a clock time was said (明天下午三点)
    deadline: bool
    ahead: bool  # after today, or later today
    width: int  # days covered by the expression; smaller is more specific


def _jionlp() -> ModuleType:
    """Import jionlp once, swallowing the banner it prints to stdout (it would corrupt JSON)."""
    module = sys.modules.get("jionlp")
    if module is None:
        with contextlib.redirect_stdout(io.StringIO()):
            module = importlib.import_module("jionlp")
    return module


def _cn_int(token: str) -> int:
    if token.isdecimal():
        return int(token)
    if token == "半":
        return 0
    if token.startswith("十"):
        return 10 + _CN_DIGITS.get(token[1:], 0)
    if "十" in token:
        tens, _, ones = token.partition("十")
        return _CN_DIGITS[tens] * 10 + _CN_DIGITS.get(ones, 0)
    return _CN_DIGITS.get(token, 0)


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _month_start(today: date, month: int) -> date:
    """The first of the next ``month`` that has not ended yet (this year's or next year's)."""
    start = date(today.year, month, 1)
    return start.replace(year=today.year + 1) if month < today.month else start


def _week_friday(today: date, weeks: int) -> date:
    friday = today + timedelta(days=4 - today.weekday() + 7 * weeks)
    return max(friday, today)


def _after_holiday(today: date) -> date | None:
    import chinese_calendar

    day, seen_holiday = today, False
    try:
        for _ in range(120):
            holiday, name = chinese_calendar.get_holiday_detail(day)
            seen_holiday = seen_holiday or (holiday and name is not None)
            if seen_holiday and not holiday:
                return day
            day += timedelta(days=1)
    except NotImplementedError:  # the calendar has no data for that year yet
        return None
    return None


# 节后 → the first working day after the next public holiday, given today.
AfterHoliday = Callable[[date], date | None]


def _own_rules(
    text: str, today: date, after_holiday: AfterHoliday | None = None
) -> list[tuple[int, int, date, bool]]:
    """(start, end, day, deadline) for the phrases jionlp gets wrong or misses."""
    found: list[tuple[int, int, date, bool]] = []
    next_month = _add_months(today.replace(day=1), 1)
    for m in _WITHIN.finditer(text):
        n, unit = _cn_int(m["n"]), m["u"]
        if m["n"] == "半":
            day = today + (timedelta(days=15) if unit == "个月" else timedelta(days=3))
        elif unit == "个月":
            day = _add_months(today, n)
        else:
            day = today + timedelta(days=n * (1 if unit in "天日" else 7))
        found.append((m.start(), m.end(), day, True))
    for m in _MONTH_PART.finditer(text):
        if m["rel"] in ("下个", "下"):
            base = next_month
        elif m["m"]:
            base = _month_start(today, _cn_int(m["m"]))
        else:
            base = today.replace(day=1)
        last = calendar.monthrange(base.year, base.month)[1]
        day = base.replace(day={"底": last, "末": last, "中": 15, "初": 1}[m["pos"]])
        found.append((m.start(), m.end(), max(day, today), m.group().endswith("前")))
    for m in _YEAR_END.finditer(text):
        found.append((m.start(), m.end(), date(today.year + (m["rel"] == "明"), 12, 31), True))
    for m in _WEEK_WITHIN.finditer(text):
        found.append((m.start(), m.end(), _week_friday(today, m["rel"] == "下"), True))
    for m in _AFTER_HOLIDAY.finditer(text):
        after = (after_holiday or _after_holiday)(today)
        if after is not None:
            found.append((m.start(), m.end(), after, False))
    for m in _MONTH_ONLY.finditer(text):  # 六月份: jionlp finds no date in it
        month = _month_start(today, _cn_int(m["m"]))
        found.append((m.start(), m.end(), max(month, today), False))
    for m in _NEXT_MONTH.finditer(text):
        found.append((m.start(), m.end(), next_month, False))
    return found


def _parse(stamp: str) -> datetime | None:
    return None if "inf" in stamp else datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S")


def _roll_forward(day: date, today: date, span: str) -> date:
    """Next occurrence of a bare weekday / day-of-month / month-day / holiday."""
    if span.startswith(("周", "星期", "礼拜")):
        while day < today:
            day += timedelta(days=7)
    elif re.match(r"^[\d一二三四五六七八九十]+[号日]", span):
        while day < today:
            day = _add_months(day, 1)
    else:
        while day < today:
            day = day.replace(year=day.year + 1)
    return day


def _from_jionlp(item: dict, today: date, clause: Clause | None) -> tuple[date, bool, int] | None:
    """(day, deadline, width) of one jionlp result, or None when it is not a calendar day."""
    span, detail = item["text"], item["detail"]
    deadline = bool(_DEADLINE_TAIL.search(span))
    if detail["type"] == "time_delta":
        days = detail["time"].get("day", 0) + 7 * detail["time"].get("week", 0)
        before = clause.text if clause else ""
        if not days or "过" + span not in before:  # 试用了两周 is a duration, 过两天 a date
            return None
        return today + timedelta(days=int(days)), False, 0
    if detail["type"] not in ("time_point", "time_span"):
        return None
    start, end = (_parse(s) for s in detail["time"])
    if deadline and end is not None:
        day = end.date()
    elif start is not None:
        day = start.date()
    elif end is not None:
        day = end.date()
    else:
        return None
    width = (end - start).days if start and end else 30
    if day < today and _BARE.search(span):
        # 周一演示的时候…报错了 reports the past; 约了3号再去 plans ahead.
        after = clause.text[item["offset"][1] - clause.start :] if clause else ""
        done = bool(_DONE_AFTER.search(after))
        if deadline or not done:
            day = _roll_forward(day, today, span)
    if deadline and _HOLIDAY.search(span):
        day -= timedelta(days=1)  # 国庆前 means before the holiday starts
    return day, deadline, width


def _jionlp_items(text: str, base: datetime, clauses: list[Clause]) -> list[dict]:
    """jionlp results with offsets into ``text``, one bounded window at a time.

    jionlp's time NER grows roughly cubically with the length of a run of time words
    (下周三之前 × 8 takes half a second), so it sees one clause at a time, and long clauses in
    overlapping windows; overlapping finds keep the longest.
    """
    extract_time = _jionlp().ner.extract_time
    found: list[dict] = []
    for clause in clauses or [Clause(0, len(text), text)]:
        pos = clause.start
        while True:
            stop = min(pos + _WINDOW, clause.end)
            for item in extract_time(text[pos:stop], time_base=base, with_parsing=True):
                s, e = item["offset"]
                found.append({**item, "offset": [s + pos, e + pos]})
            if stop >= clause.end:
                break
            pos += _WINDOW - _OVERLAP
    kept: list[dict] = []
    for item in sorted(found, key=lambda i: i["offset"][0] - i["offset"][1]):
        s, e = item["offset"]
        if all(e <= k["offset"][0] or s >= k["offset"][1] for k in kept):
            kept.append(item)
    return sorted(kept, key=lambda i: i["offset"][0])


def find_times(
    text: str, now: datetime, clauses: list[Clause], after_holiday: AfterHoliday | None = None
) -> list[TimeMention]:
    """All dated expressions in ``text`` (normalised), ``now`` already in local time.
    ``after_holiday``: the organisation's working calendar for 节后 (default: chinese-calendar
    alone, which knows no year the admin filled in from the State Council's notice)."""
    today = now.date()
    mentions: list[TimeMention] = []
    taken: list[tuple[int, int]] = []
    for start, end, day, deadline in _own_rules(text, today, after_holiday):
        if any(s < end and start < e for s, e in taken):
            continue
        taken.append((start, end))
        ahead = day > today or deadline
        mentions.append(TimeMention(start, end, text[start:end], day, None, deadline, ahead, 0))
    for item in _jionlp_items(text, now.replace(tzinfo=None), clauses):
        start, end = item["offset"]
        if any(s < end and start < e for s, e in taken):
            continue
        resolved = _from_jionlp(item, today, clause_at(clauses, start))
        if resolved is None:
            continue
        day, deadline, width = resolved
        at = None
        if _CLOCK.search(item["text"]) and item["detail"]["type"] == "time_point":
            at_naive = _parse(item["detail"]["time"][0])
            at = at_naive.replace(tzinfo=now.tzinfo) if at_naive else None
            if at is not None and at.date() != day:
                at = datetime.combine(day, at.timetz())
        later_today = day == today and (
            deadline or "晚" in item["text"] or (at is not None and at > now)
        )
        same_weekday = day == today and _BARE.search(item["text"]) is not None
        ahead = day > today or later_today or same_weekday
        mentions.append(TimeMention(start, end, item["text"], day, at, deadline, ahead, width))
    return sorted(mentions, key=lambda m: m.start)


def warm_up(now: datetime) -> None:
    """Import jionlp and build its lazy tables so the first real note is not 100 ms slower."""
    find_times("明天下午三点", now, [])
