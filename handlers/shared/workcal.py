"""The working calendar: working days (weekends, Chinese public holidays, 调休) and working hours.

Where a day's status comes from, first match wins:
1. ``calendar.holidays`` / ``calendar.workdays`` in config (the State Council's notice, or the
   organisation's own days off); a holiday listed in both wins, though config checks reject that;
2. with ``source: cn``, chinese-calendar, for the years it covers (2004–2026 in 1.11);
3. plain weekends. For a ``cn`` year the library lacks and config lists nothing for, this is a
   guess, so admins get one warning per such year — never an exception, the bot keeps working:
   ``missing_years`` lists the years guessed so far, ``CalendarNotices``
   (``calendar_notice.py``) tells the admins in chat and /状态 shows ``gaps``.

The ``holidays`` package was considered for years chinese-calendar lacks and left out: it derives
later years from rules, without any 调休 make-up days, so it is still wrong in exactly the way the
admin has to fix by copying the notice — and a half-right calendar would hide that.
"""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

from bot.config.calendar import CalendarSettings, missing_year_warning, years_due

ONE_DAY = timedelta(days=1)
# add_working_days/next_working_day give up after this many days in a row without a working day:
# only a config listing a whole year as holidays gets there, and a wrong answer beats a hang.
MAX_DAYS_OFF = 400


class WorkCalendar:
    def __init__(
        self,
        settings: CalendarSettings,
        tz: ZoneInfo,
        *,
        warn: Callable[[str], None] | None = None,
    ) -> None:
        self._settings = settings
        self._tz = tz
        self._warn = warn
        self._off = {d for days in settings.holidays.values() for d in days}
        self._on = {d for days in settings.workdays.values() for d in days}
        self._config_years = set(settings.holidays) | set(settings.workdays)
        self._warned_years: dict[int, None] = {}  # ordered: the order years fell back in
        self._memo: dict[date, bool] = {}
        self._warnings: list[str] = []
        self._open = settings.work_hours.start_time
        self._close = settings.work_hours.end_time

    @property
    def warnings(self) -> list[str]:
        """Chinese notes for admins, one per year that fell back to plain weekends."""
        return list(self._warnings)

    @property
    def missing_years(self) -> list[int]:
        """The years that fell back to plain weekends so far, in the order they did."""
        return list(self._warned_years)

    def gaps(self, today: date) -> list[str]:
        """Notes for every year without holiday data that the calendar guessed for, or that
        ``today`` is due to know (this year; from November the next). Changes nothing."""
        due = [y for y in years_due(today) if not self._settings.covers(y)]
        return [missing_year_warning(y) for y in sorted({*self._warned_years, *due})]

    # ------------------------------------------------------------------ days

    def is_working_day(self, d: date) -> bool:
        # chinese-calendar costs ~40 µs a lookup; SLA and streak maths ask about the same days often.
        known = self._memo.get(d)
        if known is None:
            known = self._memo[d] = self._lookup(d)
        return known

    def _lookup(self, d: date) -> bool:
        if d in self._off:
            return False
        if d in self._on:
            return True
        if self._settings.source == "cn":
            try:
                return bool(chinese_calendar.is_workday(d))
            except NotImplementedError:  # the library's way of saying "no data for that year"
                # A year the admin filled in from the notice is covered: no warning for it.
                if d.year not in self._config_years:
                    self._missing_year(d.year)
        return d.weekday() < 5

    def is_holiday(self, d: date) -> bool:
        """A public holiday, not a plain weekend: listed in config, or named by the library."""
        if d in self._off:
            return True
        if d in self._on or self._settings.source != "cn":
            return False
        try:
            off, name = chinese_calendar.get_holiday_detail(d)
        except NotImplementedError:
            return False
        return bool(off and name is not None)

    def after_holiday(self, today: date) -> date | None:
        """节后: the first working day after the next public holiday (None if none comes within
        120 days — a year nobody filled in)."""
        d, seen = today, False
        for _ in range(120):
            seen = seen or self.is_holiday(d)
            if seen and self.is_working_day(d):
                return d
            d += ONE_DAY
        return None

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        return self._step(d, 1)

    def previous_working_day(self, d: date) -> date:
        """The last working day strictly before ``d``."""
        return self._step(d, -1)

    def add_working_days(self, d: date, n: int) -> date:
        """The ``n``-th working day after ``d`` (``n`` < 0: before it); ``d`` itself never counts.

        ``n == 0`` rolls forward: ``d`` when it is a working day, else the next working day.
        So "due in 3 working days" from a Saturday counts Monday as the first.
        """
        if n == 0:
            return d if self.is_working_day(d) else self.next_working_day(d)
        direction = 1 if n > 0 else -1
        for _ in range(abs(n)):
            d = self._step(d, direction)
        return d

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in [a, b); negative when b is before a."""
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        d = a
        while d < b:
            count += self.is_working_day(d)
            d += ONE_DAY
        return count

    # ------------------------------------------------------------------ hours

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """``start`` plus ``hours`` of working time (work_hours on working days), in the org tz.

        Time outside working hours does not count: 8 hours from Friday 16:00 with 09:00–18:00 end
        at 15:00 on the next working day. A deadline that lands on closing time stays there rather
        than jumping to the next morning. ``hours`` must not be negative.
        """
        if hours < 0:
            raise ValueError("hours must not be negative")
        remaining = timedelta(hours=hours)
        at = start.astimezone(self._tz)
        day = at.date()
        while True:
            if self.is_working_day(day):
                opens, closes = self._window(day)
                begin = max(at, opens)
                if begin <= closes:
                    available = closes - begin
                    if remaining <= available:
                        return begin + remaining
                    remaining -= available
            day = self.next_working_day(day)
            at = self._window(day)[0]

    def working_hours_between(self, a: datetime, b: datetime) -> float:
        """Working hours in [a, b); negative when b is before a."""
        if b < a:
            return -self.working_hours_between(b, a)
        a, b = a.astimezone(self._tz), b.astimezone(self._tz)
        total = timedelta()
        day = a.date()
        while day <= b.date():
            if self.is_working_day(day):
                opens, closes = self._window(day)
                overlap = min(b, closes) - max(a, opens)
                if overlap > timedelta():
                    total += overlap
            day += ONE_DAY
        return total / timedelta(hours=1)

    def next_working_morning(self, at: datetime, morning: time) -> datetime:
        """The first ``morning`` o'clock on a working day at or after ``at`` (org tz).

        A push held back at 22:00 on Friday goes out at ``morning`` on the next working day; at
        06:00 on a working day it goes out the same day.
        """
        local = at.astimezone(self._tz)
        day = local.date()
        if self.is_working_day(day) and local <= self._at(day, morning):
            return self._at(day, morning)
        return self._at(self.next_working_day(day), morning)

    # ------------------------------------------------------------------ helpers

    def _step(self, d: date, direction: int) -> date:
        for _ in range(MAX_DAYS_OFF):
            d += direction * ONE_DAY
            if self.is_working_day(d):
                return d
        return d

    def _window(self, day: date) -> tuple[datetime, datetime]:
        return self._at(day, self._open), self._at(day, self._close)

    def _at(self, day: date, clock: time) -> datetime:
        return datetime.combine(day, clock, tzinfo=self._tz)

    def _missing_year(self, year: int) -> None:
        if year in self._warned_years:
            return
        self._warned_years[year] = None
        message = missing_year_warning(year)
        self._warnings.append(message)
        if self._warn is not None:
            self._warn(message)
