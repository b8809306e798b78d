"""Plain rules: schedules and slots, quiet hours, the ladder's rungs, the working-day index."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from bot.config.calendar import CalendarSettings
from bot.config.schedule import PUSH_KINDS, QuietHours, Schedules, StallLadder
from handlers.shared.workcal import WorkCalendar
from scheduler.ladder import WorkingDayIndex, rungs_reached
from scheduler.quiet import deliver_at, is_quiet
from scheduler.schedule import latest_slot, next_slot, slot_key
from tests.support.harness import ROOT

SH = ZoneInfo("Asia/Shanghai")
QUIET = QuietHours()


def sh(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=SH)


def cal(**settings: object) -> WorkCalendar:
    return WorkCalendar(CalendarSettings(**settings), SH)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("schedule", "at", "latest", "following"),
    [
        ("08:30", sh(2026, 12, 3, 10), sh(2026, 12, 3, 8, 30), sh(2026, 12, 4, 8, 30)),
        ("08:30", sh(2026, 12, 3, 8, 30), sh(2026, 12, 3, 8, 30), sh(2026, 12, 4, 8, 30)),
        ("fri 17:00", sh(2026, 12, 3, 10), sh(2026, 11, 27, 17), sh(2026, 12, 4, 17)),
        ("mon,thu 09:00", sh(2026, 12, 3, 10), sh(2026, 12, 3, 9), sh(2026, 12, 7, 9)),
        ("every 5m", sh(2026, 12, 3, 10, 7, 12), sh(2026, 12, 3, 10, 5), sh(2026, 12, 3, 10, 10)),
        ("every 1m", sh(2026, 12, 31, 23, 59, 30), sh(2026, 12, 31, 23, 59), sh(2027, 1, 1, 0, 0)),
        (
            "every 30s",
            sh(2026, 12, 3, 10, 0, 45),
            sh(2026, 12, 3, 10, 0, 30),
            sh(2026, 12, 3, 10, 1),
        ),
    ],
)
def test_slots_of_a_schedule(
    schedule: str, at: datetime, latest: datetime, following: datetime
) -> None:
    assert latest_slot(schedule, at, SH) == latest
    assert next_slot(schedule, at, SH) == following


def test_slot_keys_name_the_local_minute() -> None:
    assert slot_key(sh(2026, 12, 3, 9), SH) == "2026-12-03T09:00"
    assert slot_key(sh(2026, 12, 3, 9).astimezone(ZoneInfo("UTC")), SH) == "2026-12-03T09:00"
    assert slot_key(sh(2026, 12, 3, 9, 0, 30), SH) == "2026-12-03T09:00:30"


@pytest.mark.parametrize("bad", ["8:30", "friday 17:00", "every 7m", "every 0m", "daily"])
def test_a_bad_schedule_is_a_config_error(bad: str) -> None:
    with pytest.raises(ValidationError):
        Schedules(daily_digest=bad)


def test_an_unknown_urgent_kind_is_a_config_error() -> None:
    with pytest.raises(ValidationError, match="未知的推送类型「remnder」（是不是 reminder？）"):
        Schedules(urgent=("remnder",))


def test_config_yaml_names_every_kind_that_may_be_urgent() -> None:
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    comment = text[text.index("# except the kinds listed in `urgent`:") : text.index("schedules:")]
    listed = re.findall(r"[a-z_]+", comment.split("`urgent`:")[1])
    assert listed == list(PUSH_KINDS)


@pytest.mark.parametrize(
    ("at", "out"),
    [
        (sh(2026, 12, 3, 10), sh(2026, 12, 3, 10)),  # a working Thursday morning
        (sh(2026, 12, 3, 20, 59), sh(2026, 12, 3, 20, 59)),
        (sh(2026, 12, 3, 21), sh(2026, 12, 4, 8)),  # quiet from 21:00
        (sh(2026, 12, 4, 6, 30), sh(2026, 12, 4, 8)),  # same morning
        (sh(2026, 12, 4, 22), sh(2026, 12, 7, 8)),  # Friday night → Monday
        (sh(2026, 12, 5, 12), sh(2026, 12, 7, 8)),  # Saturday noon → Monday
        (sh(2026, 9, 30, 22), sh(2026, 10, 8, 8)),  # into the National Day week
        (sh(2026, 10, 9, 22), sh(2026, 10, 10, 8)),  # Friday night → 调休 Saturday
        (sh(2026, 10, 10, 11), sh(2026, 10, 10, 11)),  # the 调休 Saturday is a working day
    ],
)
def test_quiet_hours_and_days_off(at: datetime, out: datetime) -> None:
    assert deliver_at(at, urgent=False, quiet=QUIET, calendar=cal(), tz=SH) == out


def test_urgent_pushes_ignore_quiet_hours() -> None:
    at = sh(2026, 12, 5, 23)
    assert deliver_at(at, urgent=True, quiet=QUIET, calendar=cal(), tz=SH) == at


def test_year_end_quiet_hours_with_2027_from_config() -> None:
    # 2027 is stated in config each time, so this holds whatever chinese-calendar ships for it.
    new_year = {2027: [date(2027, 1, 1)]}
    nye = sh(2026, 12, 31, 21, 30)
    out = deliver_at(nye, urgent=False, quiet=QUIET, calendar=cal(holidays=new_year), tz=SH)
    assert out == sh(2027, 1, 4, 8)  # New Year's Day, then the weekend
    make_up = cal(holidays=new_year, workdays={2027: [date(2027, 1, 2)]})  # a 调休 Saturday
    assert deliver_at(nye, urgent=False, quiet=QUIET, calendar=make_up, tz=SH) == sh(2027, 1, 2, 8)


def test_a_midday_quiet_window_ends_the_same_day() -> None:
    lunch = QuietHours(start="12:00", end="13:30")
    assert is_quiet(sh(2026, 12, 3, 12, 10), lunch, cal(), SH)
    assert not is_quiet(sh(2026, 12, 3, 21), lunch, cal(), SH)
    out = deliver_at(sh(2026, 12, 3, 12, 10), urgent=False, quiet=lunch, calendar=cal(), tz=SH)
    assert out == sh(2026, 12, 3, 13, 30)


@pytest.mark.parametrize(
    ("days", "rungs"),
    [(4, []), (5, []), (6, [1]), (7, [1]), (8, [1, 2]), (10, [1, 2]), (11, [1, 2, 3])],
)
def test_the_ladder_rungs(days: int, rungs: list[int]) -> None:
    assert rungs_reached(days, 5, StallLadder()) == rungs


def test_the_working_day_index_agrees_with_the_calendar() -> None:
    calendar = cal()
    last = date(2027, 1, 6)
    index = WorkingDayIndex(calendar, date(2026, 9, 1), last)
    d = date(2026, 9, 1)
    while d <= last:
        assert index.days_until_last(d) == calendar.working_days_between(d, last), d
        d += timedelta(days=1)
    latest = index.latest_start_over(5)
    assert latest is not None
    assert calendar.working_days_between(latest, last) > 5
    assert calendar.working_days_between(latest + timedelta(days=1), last) <= 5


def test_quiet_hours_times() -> None:
    assert QUIET.start_time == time(21) and QUIET.end_time == time(8)
