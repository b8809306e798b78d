"""One-tap answers for the field the card is asking about."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from bot.config.crm import Funnel
from handlers.followup.autofill import Habits
from handlers.followup.draft import Draft

NEXT_STEPS = {
    "首次接触": ["发送公司介绍和案例", "约需求调研"],
    "需求确认": ["整理需求文档发客户确认", "安排方案演示"],
    "方案演示": ["发送方案和报价", "安排试用"],
    "报价谈判": ["跟进报价反馈", "提交合同审批"],
    "赢单": ["安排实施启动会", "跟进回款"],
    "输单": ["复盘输单原因"],
}


def due_choices(today: date) -> list[list[str]]:
    def weekday_on_or_after(start: date, weekday: int) -> date:
        return start + timedelta(days=(weekday - start.weekday()) % 7)

    next_monday = weekday_on_or_after(today + timedelta(days=1), 0)
    friday = weekday_on_or_after(today, 4)
    if friday <= today:
        friday += timedelta(days=7)
    month_end = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    options = [
        ("明天", today + timedelta(days=1)),
        ("后天", today + timedelta(days=2)),
        ("下周一", next_monday),
        ("周五" if friday - today < timedelta(days=7) else "下周五", friday),
        ("月底", month_end if month_end > today else month_end + timedelta(days=1)),
    ]
    seen: set[date] = set()
    out = []
    for label, day in options:
        if day not in seen:
            seen.add(day)
            out.append([f"{label}（{day.month}/{day.day}）", day.isoformat()])
    return out


def choices_for(
    field: str, draft: Draft, funnel: Funnel, habits: Habits, today: date
) -> list[list[str]]:
    if field == "client":
        if draft.client.kind == "ambiguous":
            picks = [[name, str(cid)] for cid, name in draft.client.alternatives]
            if draft.client.heard:
                picks.append([f"新客户：{draft.client.heard}", "new"])
            return picks[:5]
        return [[name, str(cid)] for cid, name in habits.recent_clients][:5]
    if field == "stage":
        return [[s.name, s.name] for s in funnel.stages][:6]
    if field == "next_action":
        stage = draft.value("stage") or ""
        known = funnel.stage(stage)
        checklist = list(known.checklist) if known is not None else []
        steps = list(dict.fromkeys(NEXT_STEPS.get(stage, []) + checklist))
        return [[s, s] for s in steps][:5]
    if field == "due":
        return due_choices(today)
    return []
