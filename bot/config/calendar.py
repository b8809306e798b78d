"""The working calendar: which days count as working days and the working hours of a day.

Library data (chinese-calendar) knows Chinese public holidays and make-up working days (调休) only
for the years it was released with; ``holidays`` / ``workdays`` carry the State Council's notice
for the years it lacks and override it where an organisation differs.
"""

from collections.abc import Iterator, Mapping
from datetime import date, time
from typing import Literal

from pydantic import Field, field_validator, model_validator

from bot.config.base import Frozen
from bot.config.schedule import check_hhmm

Loc = tuple[str | int, ...]


class WorkHours(Frozen):
    start: str = "09:00"
    end: str = "18:00"

    @field_validator("start", "end")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        return check_hhmm(value, "09:00")

    @model_validator(mode="after")
    def _ordered(self) -> "WorkHours":
        if self.end <= self.start:  # "HH:MM" strings compare like times
            raise ValueError("end 必须晚于 start（一个工作日不能跨过午夜）")
        return self

    @property
    def start_time(self) -> time:
        return time.fromisoformat(self.start)

    @property
    def end_time(self) -> time:
        return time.fromisoformat(self.end)


class CalendarSettings(Frozen):
    source: Literal["cn", "none"] = "cn"
    work_hours: WorkHours = WorkHours()
    # year → days off (holidays) / weekend days worked (调休); the year key keeps the notice readable
    holidays: dict[int, tuple[date, ...]] = Field(default_factory=dict)
    workdays: dict[int, tuple[date, ...]] = Field(default_factory=dict)

    def covers(self, year: int) -> bool:
        """Does the calendar know ``year``'s holidays (library data or the admin's lists)?"""
        if self.source == "none" or year in self.holidays or year in self.workdays:
            return True
        import chinese_calendar

        try:
            chinese_calendar.is_workday(date(year, 1, 1))
        except NotImplementedError:  # the library's way of saying "no data for that year"
            return False
        return True


# The State Council publishes next year's holidays in late October or November; asking for a
# missing next year earlier than that would be noise.
NEXT_YEAR_FROM_MONTH = 11


def years_due(today: date) -> list[int]:
    """The years whose holidays the calendar should know by ``today``: this one, and from
    November the next (what check-config and /状态 ask about)."""
    return [today.year] + ([today.year + 1] if today.month >= NEXT_YEAR_FROM_MONTH else [])


def missing_year_warning(year: int) -> str:
    return (
        f"{year} 年没有法定节假日数据：请在 config.yaml 的 calendar.holidays / calendar.workdays "
        "中按国务院通知填写，目前按普通周末计算。"
    )


def calendar_problems(cal: CalendarSettings, at: Loc = ("calendar",)) -> Iterator[tuple[Loc, str]]:
    """Dates filed under the wrong year, and days that are both a holiday and a working day."""
    yield from _misfiled(cal.holidays, (*at, "holidays"))
    yield from _misfiled(cal.workdays, (*at, "workdays"))
    off = {d for days in cal.holidays.values() for d in days}
    for year, days in cal.workdays.items():
        for i, d in enumerate(days):
            if d in off:
                yield (
                    (*at, "workdays", str(year), i),
                    f"{d} 同时列在节假日（holidays）和调休工作日（workdays）中，只能保留一处",
                )


def _misfiled(by_year: Mapping[int, tuple[date, ...]], at: Loc) -> Iterator[tuple[Loc, str]]:
    for year, days in by_year.items():
        for i, d in enumerate(days):
            if d.year != year:
                # The key is a string in the location so the loader finds its line in the YAML.
                yield (*at, str(year), i), f"{d} 不在 {year} 年，请写在 {d.year} 下面"
