"""The stall ladder as plain rules: working days in a stage, and which rungs that reaches.

A deal longer in its stage than the stage's ``stall_days`` (working days) tells the rep (rung 1);
``supervisor_after_days`` more working days tell the supervisor with a suggested move (rung 2);
``director_after_days`` past the limit tell the director (rung 3).
"""

from __future__ import annotations

from datetime import date, timedelta

from bot.config.schedule import StallLadder
from handlers.shared.workcal import WorkCalendar

RUNG_KINDS = {1: "stall_rep", 2: "stall_supervisor", 3: "stall_director"}


def rungs_reached(days: int, limit: int, ladder: StallLadder) -> list[int]:
    """The rungs ``days`` working days in a stage with a ``limit`` of working days have reached."""
    if days <= limit:
        return []
    rungs = [1]
    if days > limit + ladder.supervisor_after_days:
        rungs.append(2)
    if days > limit + ladder.director_after_days:
        rungs.append(3)
    return rungs


class WorkingDayIndex:
    """Working days between any day of a range and its last day, each a dictionary lookup.

    A scan over 100,000 deals asks the same question for the same few hundred entry days; a
    running count over the range answers each in O(1) instead of walking the days per deal.
    """

    def __init__(self, calendar: WorkCalendar, first: date, last: date) -> None:
        self.first = first
        self.last = last
        self._before: dict[date, int] = {}
        count = 0
        d = first
        while d <= last:
            self._before[d] = count
            count += calendar.is_working_day(d)
            d += timedelta(days=1)
        self._total_before_last = self._before.get(last, count)

    def days_until_last(self, d: date) -> int:
        """Working days in [d, last): what ``WorkCalendar.working_days_between(d, last)`` says."""
        if d >= self.last:
            return 0
        d = max(d, self.first)  # older than the range: counted from its first day
        return self._total_before_last - self._before[d]

    def latest_start_over(self, limit: int) -> date | None:
        """The latest day ``d`` with more than ``limit`` working days in [d, last), if any."""
        d = self.last
        while d >= self.first:
            if self.days_until_last(d) > limit:
                return d
            d -= timedelta(days=1)
        return None
