"""Per-stage checklists from config (``funnel.stages[].checklist``) become tasks with deadlines.

When a deal enters a stage, each checklist item becomes a task for its rep, keyed
``cl:<deal>:<entered ms>:<n>`` so it is created once; the rep is told once; the ordinary reminder
job reminds at the deadline if the task is still open. The first-contact rule
("首次沟通后24小时内发送个性化跟进邮件") is due ``schedules.first_followup_hours`` after the deal
entered the stage; an item saying "48小时内" is due that many hours after; any other item by the
end of the second working day.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config.models import AppConfig
from bot.jobs import JobRun, Push
from handlers.shared.workcal import WorkCalendar
from scheduler.jobs import OFFSET_SLACK
from scheduler.jobs.reminders import local_text
from scheduler.pushes import ms
from storage.models import Deal, Task

LOOKBACK = timedelta(days=3)  # stage entries older than this predate the checklist's use
HOURS = re.compile(r"(\d+)\s*(?:个)?小时内")
FIRST_CONTACT = "首次沟通"


def item_deadline(
    item: str, entered: datetime, config: AppConfig, calendar: WorkCalendar
) -> datetime:
    if FIRST_CONTACT in item:
        return entered + timedelta(hours=config.schedules.first_followup_hours)
    m = HOURS.search(item)
    if m:
        return entered + timedelta(hours=int(m.group(1)))
    tz = ZoneInfo(config.timezone)
    day = calendar.add_working_days(entered.astimezone(tz).date(), 2)
    return datetime.combine(day, config.calendar.work_hours.end_time, tzinfo=tz)


async def stage_checklists(run: JobRun, config: AppConfig, calendar: WorkCalendar) -> None:
    tz = ZoneInfo(config.timezone)
    stages = {s.name: s.checklist for s in config.funnel.open_stages if s.checklist}
    if not stages:
        return
    deals = await Deal.filter(
        status="open",
        stage__in=list(stages),
        stage_entered_at__gt=run.now - LOOKBACK - OFFSET_SLACK,
        stage_entered_at__lte=run.now + OFFSET_SLACK,
    ).values_list("id", "owner_id", "client_id", "client__name", "stage", "stage_entered_at")
    for deal_id, owner, client_id, client, stage, entered in deals:
        if not run.now - LOOKBACK < entered <= run.now:
            continue
        base = f"cl:{deal_id}:{ms(entered)}"
        items = [
            (i, item, item_deadline(item, entered, config, calendar))
            for i, item in enumerate(stages[stage])
        ]
        if not run.dry_run:
            have = set(
                await Task.filter(source_id__startswith=base + ":").values_list(
                    "source_id", flat=True
                )
            )
            for i, item, due in items:
                if f"{base}:{i}" not in have:
                    await Task.create(
                        kind="checklist",
                        assignee_id=owner,
                        deal_id=deal_id,
                        client_id=client_id,
                        title=item,
                        due_at=due.astimezone(UTC),
                        source_id=f"{base}:{i}",
                    )
        lines = [f"「{client}」进入「{stage}」阶段，本阶段要做："]
        lines += [f"{i + 1}. {item}（{local_text(due, tz)} 前）" for i, item, due in items]
        run.push(Push(f"checklist:{deal_id}:{ms(entered)}", owner, "checklist", "\n".join(lines)))
