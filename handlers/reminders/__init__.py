"""Reminders and escalations: the scheduled jobs, `/待办`, `/推迟`, and the reminder card."""

from __future__ import annotations

from bot.feature import Feature, permission
from bot.jobs import JobSpec
from handlers.reminders.deliver import deliver_pushes
from handlers.reminders.tasks import ACT, POSTPONE, VIEW, router
from handlers.shared.access import ALL_ROLES
from scheduler.jobs.approval_sla import chase_approvals
from scheduler.jobs.calibration import calibration_note
from scheduler.jobs.checklist import stage_checklists
from scheduler.jobs.reminders import morning_digest, remind_due_tasks
from scheduler.jobs.stall import scan_stalls

JOBS = (
    JobSpec("reminders", "reminder_scan", remind_due_tasks, "到期待办提醒"),
    JobSpec(
        "checklist", "checklist_scan", stage_checklists, "阶段检查清单（含首次沟通24小时规则）"
    ),
    JobSpec("digest", "daily_digest", morning_digest, "每日待办摘要", working_days_only=True),
    JobSpec("stall", "stall_scan", scan_stalls, "停滞商机逐级提醒", working_days_only=True),
    JobSpec("calibration", "weekly_calibration", calibration_note, "每周数据校准"),
    JobSpec("approval_sla", "approval_sla", chase_approvals, "审批时限提醒与超时升级"),
    JobSpec("deliver", "deliver", deliver_pushes, "发送到期的推送（免打扰后合并发送）"),
)

FEATURE = Feature(
    "reminders",
    router,
    permissions=(
        permission(VIEW, ALL_ROLES, "查看待办"),
        permission(POSTPONE, ALL_ROLES, "推迟待办"),
        permission(ACT, ALL_ROLES, "处理待办提醒"),
    ),
    jobs=JOBS,
)
