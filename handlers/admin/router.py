"""/状态 for admins: is the bot itself well? The figures /metrics exposes, worded for a phone."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from zoneinfo import ZoneInfo

from bot.app import Runtime
from bot.opstatus import read_status
from bot.pipeline.context import Context
from bot.pipeline.router import Router
from bot.replies import Markdown
from handlers.admin.status import AsrFigures, StatusFigures, status_text
from handlers.followup.voice import VoiceNotes
from handlers.shared.workcal import WorkCalendar

router = Router("admin")


def package_version() -> str:
    try:
        return version("salesbot")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "未安装（源码运行）"


async def gather_figures(rt: Runtime, voice: VoiceNotes | None) -> StatusFigures:
    asr = None
    if voice is not None:
        asr = AsrFigures(
            loaded=voice.asr.started,
            workers=rt.config.asr.workers,
            waiting=rt.metrics.asr_waiting,
            recent_rtf=rt.metrics.asr_recent_rtf(),
        )
    specs = rt.scheduler.specs if rt.scheduler is not None else ()
    today = rt.clock.now().astimezone(ZoneInfo(rt.config.timezone)).date()
    return StatusFigures(
        version=package_version(),
        started_at=rt.started_at,
        now=rt.clock.now(),
        ops=await read_status(rt.db, rt.clock.ms()),
        asr=asr,
        clock_on=rt.config.schedules.enabled,
        job_labels={spec.name: spec.label for spec in specs},
        calendar_gaps=tuple(rt.services.get(WorkCalendar).gaps(today)),
    )


STATUS = "admin.status"


@router.command(
    "状态", "status", summary="查看机器人自身的运行状态", permission=STATUS, group="管理"
)
async def show_status(ctx: Context, rt: Runtime) -> None:
    figures = await gather_figures(rt, ctx.services.find(VoiceNotes))
    ctx.reply(Markdown("机器人状态", "**机器人状态**\n" + status_text(figures)))
