"""Org sync from the platforms' directories: on a schedule and by /同步通讯录 (admin)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.config.org import Role
from bot.feature import Feature, permission
from handlers.orgsync.router import SYNC, router

if TYPE_CHECKING:
    from bot.app import Runtime


def services(rt: Runtime) -> list[object]:
    from bot.orgdir.service import OrgSyncService

    svc = OrgSyncService(rt.config, rt.db, rt.directory, rt.outbox, rt.channels, rt.clock)

    async def start(_: Runtime) -> None:
        await svc.start()

    async def stop(_: Runtime) -> None:
        await svc.stop()

    async def schedule(_: Runtime) -> None:
        await svc.schedule()

    rt.on_start.append(start)
    rt.on_ready.append(schedule)
    rt.on_stop.append(stop)
    return [svc]


FEATURE = Feature(
    "orgsync",
    router,
    permissions=(permission(SYNC, (Role.admin,), "同步通讯录"),),
    services=services,
)
