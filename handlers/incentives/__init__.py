"""Incentives: award progress, LTV commission, monthly settlement, payments recorded by finance."""

from __future__ import annotations

from bot.config.org import Role
from bot.feature import Feature, permission
from bot.jobs import JobSpec
from handlers.incentives.jobs import NAME, settle_last_month
from handlers.incentives.router import RECORD, TEAM, VIEW, router

FEATURE = Feature(
    "incentives",
    router,
    permissions=(
        permission(
            VIEW,
            (Role.rep, Role.supervisor, Role.manager, Role.director, Role.admin),
            "查看激励",
        ),
        permission(
            TEAM, (Role.supervisor, Role.manager, Role.director, Role.admin), "查看团队激励"
        ),
        permission(RECORD, (Role.finance, Role.admin), "登记回款"),
    ),
    jobs=(
        JobSpec(
            NAME, "incentive_settlement", settle_last_month, "月度激励结算", working_days_only=True
        ),
    ),
)
