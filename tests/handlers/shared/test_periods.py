"""Period expressions → half-open intervals; every expected value below is worked out by hand."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from handlers.shared.periods import (
    find_period,
    parse_period,
    period_from_key,
    period_of,
    previous,
    shift,
)

SH = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, hh: int = 12, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SH)


NOW = at(2026, 12, 3, 10)  # a Thursday
NEW_YEAR = datetime(2026, 12, 31, 16, 30, tzinfo=UTC)  # 2027-01-01 00:30 in Shanghai, a Friday
NYE = at(2026, 12, 31, 23, 59)
SUNDAY_NIGHT = at(2026, 12, 6, 23, 30)
MONDAY_MORNING = at(2026, 12, 7, 0, 10)

D = date
TABLE = [
    ("今天", NOW, D(2026, 12, 3), D(2026, 12, 4), "2026-12-03"),
    ("昨天", NOW, D(2026, 12, 2), D(2026, 12, 3), "2026-12-02"),
    ("今天", NEW_YEAR, D(2027, 1, 1), D(2027, 1, 2), "2027-01-01"),
    ("昨天", NEW_YEAR, D(2026, 12, 31), D(2027, 1, 1), "2026-12-31"),
    ("本周", NOW, D(2026, 11, 30), D(2026, 12, 7), "2026-W49"),
    ("这周", SUNDAY_NIGHT, D(2026, 11, 30), D(2026, 12, 7), "2026-W49"),
    ("本周", MONDAY_MORNING, D(2026, 12, 7), D(2026, 12, 14), "2026-W50"),
    ("上周", MONDAY_MORNING, D(2026, 11, 30), D(2026, 12, 7), "2026-W49"),
    ("上周", NOW, D(2026, 11, 23), D(2026, 11, 30), "2026-W48"),
    ("本周", NEW_YEAR, D(2026, 12, 28), D(2027, 1, 4), "2026-W53"),
    ("本月", NOW, D(2026, 12, 1), D(2027, 1, 1), "2026-12"),
    ("这个月", NEW_YEAR, D(2027, 1, 1), D(2027, 2, 1), "2027-01"),
    ("本月", NYE, D(2026, 12, 1), D(2027, 1, 1), "2026-12"),
    ("上月", NEW_YEAR, D(2026, 12, 1), D(2027, 1, 1), "2026-12"),
    ("上个月", NOW, D(2026, 11, 1), D(2026, 12, 1), "2026-11"),
    ("本季", NYE, D(2026, 10, 1), D(2027, 1, 1), "2026-Q4"),
    ("本季度", NEW_YEAR, D(2027, 1, 1), D(2027, 4, 1), "2027-Q1"),
    ("上季", NEW_YEAR, D(2026, 10, 1), D(2027, 1, 1), "2026-Q4"),
    ("上季度", NOW, D(2026, 7, 1), D(2026, 10, 1), "2026-Q3"),
    ("今年", NYE, D(2026, 1, 1), D(2027, 1, 1), "2026"),
    ("今年", NEW_YEAR, D(2027, 1, 1), D(2028, 1, 1), "2027"),
    ("去年", NEW_YEAR, D(2026, 1, 1), D(2027, 1, 1), "2026"),
    ("近7天", NOW, D(2026, 11, 27), D(2026, 12, 4), "2026-11-27..2026-12-04"),
    ("近7天", NEW_YEAR, D(2026, 12, 26), D(2027, 1, 2), "2026-12-26..2027-01-02"),
    ("近30天", NOW, D(2026, 11, 4), D(2026, 12, 4), "2026-11-04..2026-12-04"),
    ("最近30天", NOW, D(2026, 11, 4), D(2026, 12, 4), "2026-11-04..2026-12-04"),
    ("近三十天", NOW, D(2026, 11, 4), D(2026, 12, 4), "2026-11-04..2026-12-04"),
    ("过去一周", NOW, D(2026, 11, 27), D(2026, 12, 4), "2026-11-27..2026-12-04"),
    ("近1个月", NOW, D(2026, 11, 4), D(2026, 12, 4), "2026-11-04..2026-12-04"),
    ("2026-11", NOW, D(2026, 11, 1), D(2026, 12, 1), "2026-11"),
    ("2026年11月", NOW, D(2026, 11, 1), D(2026, 12, 1), "2026-11"),
    ("２０２６－１１", NOW, D(2026, 11, 1), D(2026, 12, 1), "2026-11"),  # full-width input
    ("11月", NOW, D(2026, 11, 1), D(2026, 12, 1), "2026-11"),
    ("12月", NOW, D(2026, 12, 1), D(2027, 1, 1), "2026-12"),  # the current month is not future
    ("十一月", NEW_YEAR, D(2026, 11, 1), D(2026, 12, 1), "2026-11"),  # Nov 2027 is ahead
    ("1月", NEW_YEAR, D(2027, 1, 1), D(2027, 2, 1), "2027-01"),
    ("Q3", NOW, D(2026, 7, 1), D(2026, 10, 1), "2026-Q3"),
    ("2026Q3", NEW_YEAR, D(2026, 7, 1), D(2026, 10, 1), "2026-Q3"),
    ("第三季度", NEW_YEAR, D(2026, 7, 1), D(2026, 10, 1), "2026-Q3"),
    ("2027年第一季度", NOW, D(2027, 1, 1), D(2027, 4, 1), "2027-Q1"),
    ("2026年", NOW, D(2026, 1, 1), D(2027, 1, 1), "2026"),
    ("2028-02", NOW, D(2028, 2, 1), D(2028, 3, 1), "2028-02"),  # leap February: 29 days
    ("上个月", at(2028, 3, 10), D(2028, 2, 1), D(2028, 3, 1), "2028-02"),
    ("2月29日", at(2028, 3, 10), D(2028, 2, 29), D(2028, 3, 1), "2028-02-29"),
    ("近30天", at(2028, 3, 1), D(2028, 2, 1), D(2028, 3, 2), "2028-02-01..2028-03-02"),
    ("近30天", at(2027, 3, 1), D(2027, 1, 31), D(2027, 3, 2), "2027-01-31..2027-03-02"),
    ("2026年11月5日", NOW, D(2026, 11, 5), D(2026, 11, 6), "2026-11-05"),
    ("2026.11.05", NOW, D(2026, 11, 5), D(2026, 11, 6), "2026-11-05"),
    ("今年以来", NOW, D(2026, 1, 1), D(2026, 12, 4), "2026-01-01..2026-12-04"),
    ("双十一以来", NOW, D(2026, 11, 11), D(2026, 12, 4), "2026-11-11..2026-12-04"),
    ("双十一以来", at(2026, 6, 1), D(2025, 11, 11), D(2026, 6, 2), "2025-11-11..2026-06-02"),
    ("国庆以来", NEW_YEAR, D(2026, 10, 1), D(2027, 1, 2), "2026-10-01..2027-01-02"),
    ("春节以来", NOW, D(2026, 2, 17), D(2026, 12, 4), "2026-02-17..2026-12-04"),
    ("this month", NOW, D(2026, 12, 1), D(2027, 1, 1), "2026-12"),
    ("Last Month", NEW_YEAR, D(2026, 12, 1), D(2027, 1, 1), "2026-12"),
    ("  本月 ", NOW, D(2026, 12, 1), D(2027, 1, 1), "2026-12"),
]


@pytest.mark.parametrize(("text", "now", "start", "end", "key"), TABLE)
def test_parse_period_table(text: str, now: datetime, start: date, end: date, key: str) -> None:
    p = parse_period(text, now, SH)
    assert p is not None, text
    assert (p.start, p.end, p.key) == (
        datetime(start.year, start.month, start.day, tzinfo=SH),
        datetime(end.year, end.month, end.day, tzinfo=SH),
        key,
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "华东",
        "销售额多少",
        "本月漏斗",
        "13月",
        "Q5",
        "2月30日",
        "明年",
        "统一月度报表",
        "第五季度",
    ],
)
def test_not_a_period(text: str) -> None:
    assert parse_period(text, NOW, SH) is None


def test_february_29_in_a_common_year_is_not_a_day() -> None:
    assert parse_period("2月29日", at(2027, 3, 10), SH) is None


def test_labels_are_chinese_for_users() -> None:
    labels = {t: parse_period(t, NOW, SH).label for t in ("本周", "上月", "Q3", "近7天", "今年")}  # type: ignore[union-attr]
    assert labels == {
        "本周": "本周（11月30日—12月6日）",
        "上月": "2026年11月",
        "Q3": "2026年第三季度",
        "近7天": "近7天（11月27日—12月3日）",
        "今年": "2026年",
    }
    across = parse_period("本周", NEW_YEAR, SH)
    assert across is not None and across.label == "本周（2026年12月28日—2027年1月3日）"


def test_contains_is_half_open() -> None:
    month = parse_period("11月", NOW, SH)
    assert month is not None
    assert month.contains(at(2026, 11, 1, 0, 0))
    assert month.contains(at(2026, 11, 30, 23, 59))
    assert not month.contains(at(2026, 12, 1, 0, 0))
    # 2026-11-30 20:00 UTC is already 1 December in Shanghai
    assert not month.contains(datetime(2026, 11, 30, 20, 0, tzinfo=UTC))


@pytest.mark.parametrize(
    ("text", "period_key", "rest"),
    [
        ("华东本月漏斗怎么样", "2026-12", "华东漏斗怎么样"),
        ("本月的漏斗", "2026-12", "漏斗"),
        ("上个月签了多少", "2026-11", "签了多少"),
        ("2026年11月5日拜访了谁", "2026-11-05", "拜访了谁"),
        ("张三 this month 业绩", "2026-12", "张三 业绩"),
        ("近30天华东新客户", "2026-11-04..2026-12-04", "华东新客户"),
        ("王五双十一以来的订单", "2026-11-11..2026-12-04", "王五的订单"),
        ("Q3回款", "2026-Q3", "回款"),
    ],
)
def test_find_period_in_a_request(text: str, period_key: str, rest: str) -> None:
    found = find_period(text, NOW, SH)
    assert found is not None
    assert (found[0].key, found[1]) == (period_key, rest)


@pytest.mark.parametrize("text", ["华东漏斗怎么样", "统一月度报表", "报价3000元", "预算2000.5万"])
def test_find_period_none(text: str) -> None:
    assert find_period(text, NOW, SH) is None


@pytest.mark.parametrize(
    ("kind", "when", "key", "start"),
    [
        ("day", datetime(2026, 12, 31, 16, 30, tzinfo=UTC), "2027-01-01", D(2027, 1, 1)),
        ("week", SUNDAY_NIGHT, "2026-W49", D(2026, 11, 30)),
        ("week", MONDAY_MORNING, "2026-W50", D(2026, 12, 7)),
        ("month", NYE, "2026-12", D(2026, 12, 1)),
        ("quarter", NEW_YEAR, "2027-Q1", D(2027, 1, 1)),
        ("year", NEW_YEAR, "2027", D(2027, 1, 1)),
    ],
)
def test_period_of(kind: str, when: datetime, key: str, start: date) -> None:
    p = period_of(kind, when, SH)  # type: ignore[arg-type]
    assert (p.key, p.start) == (key, datetime(start.year, start.month, start.day, tzinfo=SH))


def test_previous_and_shift() -> None:
    assert previous(period_of("week", at(2027, 1, 6), SH)).key == "2026-W53"
    assert previous(period_of("quarter", at(2026, 2, 1), SH)).key == "2025-Q4"
    assert previous(period_of("month", at(2028, 3, 5), SH)).end == at(2028, 3, 1, 0)
    assert shift(period_of("month", NOW, SH), 1).key == "2027-01"
    assert previous(period_of("day", at(2028, 3, 1), SH)).key == "2028-02-29"
    assert previous(period_of("year", NOW, SH)).key == "2025"
    weeks = [previous(previous(period_of("week", NOW, SH))).key]
    assert weeks == ["2026-W47"]
    rolling = parse_period("近7天", NOW, SH)
    assert rolling is not None
    assert previous(rolling).key == "2026-11-20..2026-11-27"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("上周五拜访的客户", "2026-11-27"),
        ("周五", "2026-11-27"),  # this Friday is still ahead on Thursday
        ("周二", "2026-12-01"),
        ("这个星期天", "2026-12-06"),
        ("上个星期一", "2026-11-23"),
        ("本周一共签了3单", "2026-W49"),  # 一共 is "altogether", not Monday
    ],
)
def test_weekdays(text: str, key: str) -> None:
    found = find_period(text, NOW, SH)
    assert found is not None and found[0].key == key


@pytest.mark.parametrize(
    "text", ["本周", "上周", "近7天", "双十一以来", "Q3", "本月", "今年", "今天", "2028-02"]
)
@pytest.mark.parametrize("now", [NOW, NEW_YEAR])
def test_keys_name_the_same_interval(text: str, now: datetime) -> None:
    p = parse_period(text, now, SH)
    assert p is not None
    again = period_from_key(p.key, SH)
    assert again is not None and (again.start, again.end, again.key) == (p.start, p.end, p.key)


@pytest.mark.parametrize(
    "key", ["x", "2026-13", "2027-W53", "2026-02-30", "2026-12-04..2026-12-01"]
)
def test_not_a_key(key: str) -> None:
    assert period_from_key(key, SH) is None
