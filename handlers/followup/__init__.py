"""Follow-up records: a visit note (voice or text) becomes a confirmed record in one tap."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.config.org import Role
from bot.feature import Feature, permission
from handlers.followup.router import LOG_VISIT, router

if TYPE_CHECKING:
    from bot.app import Runtime


def services(rt: Runtime) -> list[object]:
    """The follow-up flow and voice notes; closed with the app."""
    from handlers.followup.flow import FollowupFlow
    from handlers.followup.voice import VoiceNotes
    from handlers.shared.catalog import CatalogService
    from handlers.shared.workcal import WorkCalendar
    from nlp.asr.service import AsrService
    from storage.media import MediaStore

    voice = VoiceNotes(AsrService(rt.config.asr, observer=rt.metrics), rt.services.get(MediaStore))
    flow = FollowupFlow(
        rt.config,
        rt.db,
        rt.cards,
        rt.services.get(CatalogService),
        rt.clock,
        rt.services.get(WorkCalendar),
    )

    async def close(_: Runtime) -> None:
        await voice.close()
        await flow.close()

    rt.on_stop.append(close)
    return [voice, flow]


FEATURE = Feature(
    "followup",
    router,
    permissions=(
        permission(LOG_VISIT, (Role.rep, Role.supervisor, Role.manager, Role.director), "记录拜访"),
    ),
    services=services,
)
