"""calendar: section — dates parsed, misfiled years and contradictions reported with their lines."""

from datetime import date, time

import pytest

from bot.config import ConfigError, load_config_text
from bot.config.calendar import CalendarSettings

GOOD = """
calendar:
  source: cn
  work_hours: {start: "08:30", end: "17:30"}
  holidays:
    2027: [2027-01-01, "2027-02-08"]
  workdays:
    2027: [2027-02-20]
"""


def problems_of(text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_config_text(text, env={})
    return [str(p) for p in info.value.problems]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_calendar_section_is_read() -> None:
    cal = load_config_text(GOOD, env={}).calendar
    assert cal.source == "cn"
    assert (cal.work_hours.start_time, cal.work_hours.end_time) == (time(8, 30), time(17, 30))
    assert cal.holidays == {2027: (date(2027, 1, 1), date(2027, 2, 8))}
    assert cal.workdays == {2027: (date(2027, 2, 20),)}


def test_defaults_without_a_calendar_section() -> None:
    cal = load_config_text("org_name: 测试", env={}).calendar
    assert cal == CalendarSettings()
    assert (cal.source, cal.work_hours.start, cal.work_hours.end) == ("cn", "09:00", "18:00")


def test_a_date_under_the_wrong_year_is_reported() -> None:
    text = GOOD.replace("2027: [2027-01-01,", "2027: [2026-12-31,")
    assert problems_of(text) == [
        "calendar.holidays.2027: 2026-12-31 不在 2027 年，请写在 2026 下面"
        f"（第 {line_of(text, '2026-12-31')} 行）"
    ]


def test_a_day_both_off_and_worked_is_reported() -> None:
    text = GOOD.replace("[2027-02-20]", "[2027-02-20, 2027-02-08]")
    assert problems_of(text) == [
        "calendar.workdays.2027: 2027-02-08 同时列在节假日（holidays）和调休工作日（workdays）中，"
        f"只能保留一处（第 {line_of(text, '[2027-02-20, 2027-02-08]')} 行）"
    ]


@pytest.mark.parametrize(
    ("snippet", "problem"),
    [
        ("calendar: {source: jp}", "calendar.source: 「jp」不是可选值，可选：cn、none"),
        (
            'calendar: {work_hours: {start: "18:00", end: "09:00"}}',
            "calendar.work_hours: end 必须晚于 start",
        ),
        (
            'calendar: {work_hours: {start: "9am"}}',
            "calendar.work_hours.start: 应为 09:00 这样的时间",
        ),
        (
            'calendar: {holidays: {2027: ["2027-02-30"]}}',
            "calendar.holidays: 应为日期（如 2026-10-01），而不是「2027-02-30」",
        ),
        (
            "calendar: {holidays: {2027: [2027-02-30]}}",
            "(yaml): 有一个不存在的日期",
        ),
        ("schedules: {working_calendar: cn}", "schedules.working_calendar: 未知的配置项"),
    ],
)
def test_bad_calendar_values(snippet: str, problem: str) -> None:
    found = problems_of(snippet)
    assert len(found) == 1 and found[0].startswith(problem), found
