"""The approvals feature as one unit: its router, permissions and services (see bot.feature).

Kept apart from ``handlers/approvals/__init__.py`` so the pure rules (which config checks
import) never pull in the pipeline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.config.org import Role
from bot.feature import Feature, permission
from handlers.approvals.router import DECIDE, SUBMIT, VIEW, router
from handlers.approvals.starting import starters
from handlers.shared.access import ALL_ROLES

if TYPE_CHECKING:
    from bot.app import Runtime


def services(rt: Runtime) -> list[object | tuple[object, type]]:
    from handlers.approvals.desk import ApprovalDesk
    from handlers.approvals.guided import GuidedDrafts
    from handlers.approvals.offer import ApprovalOffer
    from handlers.approvals.service import ApprovalService
    from handlers.shared.catalog import CatalogService
    from handlers.shared.hooks import AfterVisitSaved
    from handlers.shared.workcal import WorkCalendar

    service = ApprovalService(rt.config, rt.db, rt.clock, rt.services.get(WorkCalendar))
    desk = ApprovalDesk(service, rt.cards, rt.directory)
    guide = GuidedDrafts(desk, rt.services.get(CatalogService), rt.policy)
    offer = ApprovalOffer(rt.config, rt.cards, rt.policy, SUBMIT)
    return [service, desk, guide, (offer, AfterVisitSaved)]


FEATURE = Feature(
    "approvals",
    router,
    permissions=(
        permission(
            SUBMIT,
            (Role.rep, Role.supervisor, Role.manager, Role.director, Role.admin),
            "发起审批",
        ),
        permission(VIEW, ALL_ROLES, "查看审批"),
        permission(DECIDE, ALL_ROLES, "处理审批"),
    ),
    services=services,
    config_routers=starters,
)
