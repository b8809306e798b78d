"""/状态 for admins: is the bot itself well? Version, uptime, queues, the last delivery error."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from zoneinfo import ZoneInfo

from bot.app import Runtime
from bot.pipeline.context import Context
from bot.pipeline.router import Router
from bot.replies import Markdown
from handlers.admin.status import StatusFigures, status_text
from handlers.followup.voice import VoiceNotes

router = Router("admin")


def package_version() -> str:
    try:
        return version("salesbot")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "未安装（源码运行）"


async def gather_figures(rt: Runtime, voice: VoiceNotes | None) -> StatusFigures:
    asr = voice.asr if voice is not None else None
    return StatusFigures(
        version=package_version(),
        started_at=rt.started_at,
        inbox_depth=await rt.inbox.backlog(),
        last_failure=await rt.outbox.last_failure(),
        undeliverable=await rt.outbox.undeliverable(),
        asr_in_flight=asr.in_flight if asr is not None else 0,
        asr_loaded=asr.started if asr is not None else False,
        asr_workers=rt.config.asr.workers,
    )


STATUS = "admin.status"


@router.command(
    "状态", "status", summary="查看机器人自身的运行状态", permission=STATUS, group="管理"
)
async def show_status(ctx: Context, rt: Runtime) -> None:
    figures = await gather_figures(rt, ctx.services.find(VoiceNotes))
    text = status_text(figures, rt.clock.now(), ZoneInfo(rt.config.timezone))
    ctx.reply(Markdown("机器人状态", "**机器人状态**\n" + text))
