"""Working days and hours. Expected days come from the State Council's 2026 holiday notice
(元旦 1月1日–3日 off, 1月4日 Sunday worked; 春节 2月15日–23日 off, 2月14日 and 2月28日 Saturdays
worked; 国庆 10月1日–7日 off, 9月20日 Sunday and 10月10日 Saturday worked), not from this code."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.config.calendar import CalendarSettings, WorkHours
from handlers.shared.workcal import WorkCalendar

SH = ZoneInfo("Asia/Shanghai")
D = date


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SH)


def calendar(**settings: object) -> tuple[WorkCalendar, list[str]]:
    told: list[str] = []
    return WorkCalendar(CalendarSettings(**settings), SH, warn=told.append), told  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 1, 1), False),  # 元旦, Thursday
        (D(2026, 1, 4), True),  # Sunday worked for 元旦
        (D(2026, 2, 14), True),  # Saturday worked for 春节
        (D(2026, 2, 16), False),  # Monday inside 春节
        (D(2026, 2, 28), True),  # Saturday worked for 春节
        (D(2026, 9, 20), True),  # Sunday worked for 国庆
        (D(2026, 10, 1), False),  # 国庆 on a Thursday
        (D(2026, 10, 7), False),
        (D(2026, 10, 10), True),  # Saturday worked for 国庆
        (D(2026, 12, 31), True),  # ordinary Thursday
        (D(2026, 12, 5), False),  # ordinary Saturday
    ],
)
def test_2026_days_follow_the_notice(day: date, working: bool) -> None:
    cal, told = calendar()
    assert cal.is_working_day(day) is working
    assert told == []


def test_make_up_saturday_counts_when_adding_days() -> None:
    cal, _ = calendar()
    assert cal.next_working_day(D(2026, 2, 13)) == D(2026, 2, 14)
    # Sat 14th is the first, 15th–23rd are off, Tue 24th is the second
    assert cal.add_working_days(D(2026, 2, 13), 2) == D(2026, 2, 24)


def test_national_day_week() -> None:
    cal, _ = calendar()
    assert cal.next_working_day(D(2026, 9, 30)) == D(2026, 10, 8)
    # Sep 28, 29, 30, Oct 8, 9 and the worked Saturday Oct 10
    assert cal.working_days_between(D(2026, 9, 28), D(2026, 10, 12)) == 6
    assert cal.working_days_between(D(2026, 10, 12), D(2026, 9, 28)) == -6
    assert cal.add_working_days(D(2026, 10, 8), -1) == D(2026, 9, 30)
    assert cal.add_working_days(D(2026, 10, 3), 0) == D(2026, 10, 8)
    assert cal.add_working_days(D(2026, 10, 9), 0) == D(2026, 10, 9)


def test_year_end_with_2027_from_config() -> None:
    cal, told = calendar(holidays={2027: [D(2027, 1, 1)]})
    assert cal.is_working_day(D(2026, 12, 31))
    assert not cal.is_working_day(D(2027, 1, 1))
    assert cal.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)  # Fri off, then a weekend
    assert cal.add_working_days(D(2027, 1, 4), -1) == D(2026, 12, 31)
    assert told == [] and cal.warnings == []


def test_year_end_past_the_library_data_falls_back_to_weekends_and_warns_once() -> None:
    """The year end after the library's last year (2026→2027 with chinese-calendar 1.11; a later
    release moves it on, and so does this test): plain weekends, one warning."""
    from chinese_calendar import constants

    last = max(d.year for d in constants.holidays)
    cal, told = calendar()
    after = D(last + 1, 1, 1)
    while after.weekday() >= 5:  # the first weekday of the uncovered year
        after = date.fromordinal(after.toordinal() + 1)
    assert cal.add_working_days(D(last, 12, 31), 1) == after
    first = D(last + 1, 1, 1).toordinal()
    days = range(first, D(last + 1, 12, 31).toordinal())  # [1 Jan, 31 Dec), as the method counts
    weekdays = sum(1 for n in days if date.fromordinal(n).weekday() < 5)
    assert cal.working_days_between(D(last + 1, 1, 1), D(last + 1, 12, 31)) == weekdays
    assert len(told) == 1 and f"{last + 1} 年没有法定节假日数据" in told[0]


def test_config_adds_a_make_up_saturday_and_holiday_to_an_uncovered_year() -> None:
    cal, told = calendar(holidays={2031: [D(2031, 2, 10)]}, workdays={2031: [D(2031, 2, 22)]})
    assert not cal.is_working_day(D(2031, 2, 10))  # a Monday made a holiday
    assert cal.is_working_day(D(2031, 2, 11))
    assert cal.is_working_day(D(2031, 2, 22))  # a Saturday made a working day
    assert not cal.is_working_day(D(2031, 2, 23))
    assert cal.next_working_day(D(2031, 2, 21)) == D(2031, 2, 22)
    assert told == []


def test_config_adds_to_library_years_instead_of_replacing_them() -> None:
    cal, _ = calendar(holidays={2026: [D(2026, 12, 24)]})
    assert not cal.is_working_day(D(2026, 12, 24))
    assert not cal.is_working_day(D(2026, 10, 1))
    assert cal.is_working_day(D(2026, 2, 14))


def test_uncovered_year_is_plain_weekends_with_exactly_one_warning() -> None:
    cal, told = calendar()
    assert cal.is_working_day(D(2031, 1, 1))  # New Year's Day, but nothing tells us so
    assert not cal.is_working_day(D(2031, 1, 4))  # Saturday
    assert cal.working_days_between(D(2031, 1, 6), D(2031, 1, 20)) == 10
    assert cal.add_working_days(D(2031, 1, 3), 1) == D(2031, 1, 6)
    assert told == [
        "2031 年没有法定节假日数据：请在 config.yaml 的 calendar.holidays / calendar.workdays "
        "中按国务院通知填写，目前按普通周末计算。"
    ]
    cal.is_working_day(D(2032, 3, 1))
    assert [w[:4] for w in cal.warnings] == ["2031", "2032"]


def test_source_none_is_weekends_only() -> None:
    cal, told = calendar(source="none")
    assert cal.is_working_day(D(2026, 10, 1))
    assert not cal.is_working_day(D(2026, 2, 14))
    assert cal.is_working_day(D(2031, 1, 1))
    assert told == []


@pytest.mark.parametrize(
    ("start", "hours", "end"),
    [
        (at(2026, 12, 4, 16), 8, at(2026, 12, 7, 15)),  # Friday 16:00 over the weekend
        (datetime(2026, 12, 4, 8, tzinfo=UTC), 8, at(2026, 12, 7, 15)),  # same, given in UTC
        (at(2026, 12, 1, 17), 2, at(2026, 12, 2, 10)),  # over a night
        (at(2026, 12, 4, 16), 2, at(2026, 12, 4, 18)),  # ends at closing time, not next morning
        (at(2026, 12, 3, 7), 1, at(2026, 12, 3, 10)),  # starts before opening
        (at(2026, 12, 3, 20), 1.5, at(2026, 12, 4, 10, 30)),  # starts after closing
        (at(2026, 9, 30, 17), 3, at(2026, 10, 8, 11)),  # over the National Day week
        (at(2026, 10, 3, 10), 1, at(2026, 10, 8, 10)),  # starts on a holiday
        (at(2026, 2, 13, 17), 2, at(2026, 2, 14, 10)),  # into the worked Saturday
        (at(2026, 12, 3, 10), 0, at(2026, 12, 3, 10)),
    ],
)
def test_add_working_hours(start: datetime, hours: float, end: datetime) -> None:
    cal, _ = calendar()
    assert cal.add_working_hours(start, hours) == end


def test_add_working_hours_uses_configured_hours_and_rejects_negative() -> None:
    told: list[str] = []
    short = CalendarSettings(work_hours=WorkHours(start="10:00", end="12:00"))
    cal = WorkCalendar(short, SH, warn=told.append)
    # 1 hour on Thursday, 2 on Friday, the last one on Monday
    assert cal.add_working_hours(at(2026, 12, 3, 11), 4) == at(2026, 12, 7, 11)
    with pytest.raises(ValueError, match="negative"):
        cal.add_working_hours(at(2026, 12, 3, 11), -1)


def test_working_hours_between() -> None:
    cal, _ = calendar()
    assert cal.working_hours_between(at(2026, 12, 4, 16), at(2026, 12, 7, 15)) == 8
    assert cal.working_hours_between(at(2026, 12, 7, 15), at(2026, 12, 4, 16)) == -8
    assert cal.working_hours_between(at(2026, 12, 3, 10), at(2026, 12, 3, 11, 30)) == 1.5
    assert cal.working_hours_between(at(2026, 9, 30, 17), at(2026, 10, 8, 11)) == 3
    assert cal.working_hours_between(at(2026, 12, 5, 9), at(2026, 12, 6, 18)) == 0


@pytest.mark.parametrize(
    ("when", "morning"),
    [
        (at(2026, 12, 4, 22), at(2026, 12, 7, 8)),  # Friday night → Monday
        (at(2026, 12, 1, 6), at(2026, 12, 1, 8)),  # early on a working day → same day
        (at(2026, 12, 1, 8), at(2026, 12, 1, 8)),
        (at(2026, 12, 1, 8, 1), at(2026, 12, 2, 8)),
        (at(2026, 9, 30, 21, 30), at(2026, 10, 8, 8)),  # before the National Day week
        (at(2026, 2, 13, 22), at(2026, 2, 14, 8)),  # worked Saturday
        (datetime(2026, 12, 4, 23, tzinfo=UTC), at(2026, 12, 7, 8)),  # Sat 07:00 in Shanghai
    ],
)
def test_next_working_morning(when: datetime, morning: datetime) -> None:
    cal, _ = calendar()
    assert cal.next_working_morning(when, time(8)) == morning
