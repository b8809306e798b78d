"""Tell the admins, in chat, about a year the working calendar had to guess.

When the calendar meets a year with no holiday data (chinese-calendar lacks it and config lists
no ``calendar.holidays`` / ``calendar.workdays`` for it), it counts plain weekends and records
the year (``WorkCalendar.missing_years``). The outbox sender's loop calls ``flush``, which queues
one note per such year to each admin through the outbox, keyed ``calendar:<year>:<address>`` —
so a restart, a second replica or a second lookup never tells anyone twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from bot.config.calendar import missing_year_warning
from bot.pipeline.outbox import Address, Outbox, OutgoingMessage
from bot.replies import Text
from handlers.shared.workcal import WorkCalendar

log = logging.getLogger(__name__)

HINT = "填好后重启机器人生效；/状态 可查看工作日历。"


def notice_text(year: int) -> str:
    return f"工作日历提醒：{missing_year_warning(year)}{HINT}"


def notice_key(year: int, admin: Address) -> str:
    return f"calendar:{year}:{admin.platform}:{admin.app}:{admin.recipient}"


class CalendarNotices:
    def __init__(
        self,
        calendar: WorkCalendar,
        outbox: Outbox,
        admins_now: Callable[[], Sequence[Address]],
    ) -> None:
        self.calendar = calendar
        self.outbox = outbox
        self.admins_now = admins_now  # asked each time: an org sync can bring admins later
        self._told: set[int] = set()  # this process queued these years already

    async def flush(self) -> bool:
        """Queue the note for each year guessed since the last call; True if it queued any."""
        years = [y for y in self.calendar.missing_years if y not in self._told]
        if not years:  # the sender asks on every pass: nothing to do costs nothing
            return False
        admins = self.admins_now()
        if not admins:
            return False
        await self.outbox.add(
            [
                OutgoingMessage(admin, Text(notice_text(year)), notice_key(year, admin))
                for year in years
                for admin in admins
            ]
        )
        self._told.update(years)
        log.warning("admins told about years without holiday data", extra={"years": years})
        return True
