from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from nlp.extract import Catalog, extract
from nlp.extract.dates import find_times
from nlp.extract.text import normalize, split_clauses

SH = ZoneInfo("Asia/Shanghai")
FRIDAY = datetime(2026, 11, 27, 18, 30, tzinfo=SH)  # a Friday evening


def first_day(text: str, now: datetime = FRIDAY) -> date:
    norm = normalize(text)
    mentions = find_times(norm, now, split_clauses(norm))
    assert mentions, f"no date found in {text!r}"
    return mentions[0].day


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("下周三之前", date(2026, 12, 2)),  # a deadline is due on that day
        ("明天下午三点", date(2026, 11, 28)),
        ("月底", date(2026, 11, 30)),  # jionlp raises on 月底
        ("月底前", date(2026, 11, 30)),
        ("后天", date(2026, 11, 29)),
        ("大后天", date(2026, 11, 30)),
        ("三天内", date(2026, 11, 30)),
        ("两周内", date(2026, 12, 11)),  # jionlp ends it on 2026-11-29
        ("一周内", date(2026, 12, 4)),
        ("一个月内", date(2026, 12, 27)),
        ("半个月内", date(2026, 12, 12)),
        ("12月10号", date(2026, 12, 10)),
        ("12月10号之前", date(2026, 12, 10)),
        ("下个月15号", date(2026, 12, 15)),
        ("周五", date(2026, 11, 27)),  # said on a Friday: today
        ("这周内", date(2026, 11, 27)),  # the Friday of this week
        ("下周内", date(2026, 12, 4)),
        ("年底前", date(2026, 12, 31)),
        ("下周", date(2026, 11, 30)),
        ("下下周二", date(2026, 12, 8)),
        ("十天后", date(2026, 12, 7)),
        ("过两天", date(2026, 11, 29)),
        ("下个月", date(2026, 12, 1)),
        ("下个月底前", date(2026, 12, 31)),
        ("12月初", date(2026, 12, 1)),
        ("周一之前", date(2026, 11, 30)),  # jionlp gives last Monday
        ("明年一月", date(2027, 1, 1)),
    ],
)
def test_phrases_relative_to_a_friday(phrase, expected):
    assert first_day(phrase) == expected


def test_clock_time_is_kept_with_the_timezone():
    norm = normalize("明天下午三点过去演示")
    (mention,) = find_times(norm, FRIDAY, split_clauses(norm))
    assert mention.at == datetime(2026, 11, 28, 15, 0, tzinfo=SH)


def test_spoken_shorthand_mingzao():
    norm = normalize("明早八点半去华信银行")
    (mention,) = find_times(norm, FRIDAY, split_clauses(norm))
    assert mention.at == datetime(2026, 11, 28, 8, 30, tzinfo=SH)


@pytest.mark.parametrize(
    ("now", "phrase", "expected"),
    [
        (datetime(2026, 1, 29, 20, tzinfo=SH), "节后再约", date(2026, 2, 24)),  # after 春节
        (datetime(2026, 9, 24, 16, tzinfo=SH), "节后再谈", date(2026, 9, 28)),  # after 中秋
        (datetime(2026, 9, 24, 16, tzinfo=SH), "国庆前给答复", date(2026, 9, 30)),
        (datetime(2026, 12, 20, 11, tzinfo=SH), "元旦前能签下来", date(2026, 12, 31)),
        (datetime(2026, 12, 20, 11, tzinfo=SH), "下周一再催", date(2026, 12, 21)),  # a Sunday
        (datetime(2026, 6, 17, 14, tzinfo=SH), "约了3号再去", date(2026, 7, 3)),
        (datetime(2026, 3, 2, 9, tzinfo=SH), "1月5号给结果", date(2027, 1, 5)),
        (datetime(2026, 6, 17, 14, tzinfo=SH), "周一前发过去", date(2026, 6, 22)),
        (datetime(2026, 4, 9, 15, tzinfo=SH), "六月份再联系", date(2026, 6, 1)),
    ],
)
def test_holidays_and_next_occurrence(now, phrase, expected):
    assert first_day(phrase, now) == expected


def test_a_reported_past_weekday_is_not_rolled_forward():
    now = datetime(2026, 6, 17, 14, tzinfo=SH)  # Wednesday
    norm = normalize("周一演示的时候系统报错了")
    (mention,) = find_times(norm, now, split_clauses(norm))
    assert mention.day == date(2026, 6, 15)
    assert not mention.ahead


def test_durations_are_not_dates():
    norm = normalize("试用了两周，估计要两周")
    assert find_times(norm, FRIDAY, split_clauses(norm)) == []


def test_now_is_read_in_shanghai_whatever_its_zone():
    utc_evening = datetime(2026, 11, 27, 17, 0, tzinfo=ZoneInfo("UTC"))  # 01:00 on the 28th
    result = extract("明天给客户回电话", now=utc_evening, catalog=Catalog())
    assert result.next_action_due == date(2026, 11, 29)


def test_naive_now_is_refused():
    with pytest.raises(ValueError, match="timezone"):
        extract("明天回电话", now=datetime(2026, 11, 27, 10), catalog=Catalog())


def test_after_the_holiday_follows_the_organisations_calendar():
    """chinese-calendar 1.11 knows no 2027: 节后 in a 2027 note reads the holidays the admin
    copied into config.yaml from the State Council's notice."""
    from bot.config.calendar import CalendarSettings
    from handlers.shared.workcal import WorkCalendar

    spring = [date(2027, 2, d) for d in range(6, 13)]  # Sat 6 – Fri 12 February
    cal = WorkCalendar(CalendarSettings(holidays={2027: spring}), SH)  # type: ignore[arg-type]
    assert cal.after_holiday(date(2027, 2, 1)) == date(2027, 2, 15)  # Sat 13, Sun 14 off too
    # A year the library covers: the day after 国庆 (1–7 October 2026) is a Thursday at work.
    assert cal.after_holiday(date(2026, 9, 25)) == date(2026, 9, 28)  # 中秋 on the 25th first
    assert cal.after_holiday(date(2026, 9, 29)) == date(2026, 10, 8)
    now = datetime(2027, 2, 1, 10, tzinfo=SH)
    note = "拜访了王总，节后再约他看方案"
    with_calendar = extract(note, now=now, catalog=Catalog(), after_holiday=cal.after_holiday)
    assert with_calendar.next_action_due == date(2027, 2, 15)
    assert extract(note, now=now, catalog=Catalog()).next_action_due is None  # the library alone
