"""When the bot speaks up on its own: reminders, scans, digests, quiet hours."""

import re

from pydantic import Field, field_validator

from bot.config.base import Frozen

HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class QuietHours(Frozen):
    start: str = "21:00"
    end: str = "08:00"

    @field_validator("start", "end")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        if not HHMM.match(value):
            raise ValueError("应为 08:30 这样的时间")
        return value


class Schedules(Frozen):
    timezone: str = "Asia/Shanghai"
    quiet_hours: QuietHours = QuietHours()
    first_followup_hours: float = Field(default=24, gt=0)
    daily_digest: str = "08:30"
    stall_scan: str = "09:00"
    weekly_calibration: str = "fri 17:00"
