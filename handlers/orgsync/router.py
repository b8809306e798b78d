"""/同步通讯录: pull the WeCom / DingTalk directory now and say what changed."""

from __future__ import annotations

from bot.orgdir.apply import FORCE_HINT
from bot.orgdir.fetch import DirectoryError
from bot.orgdir.service import OrgSyncService
from bot.pipeline.commands import CommandInvocation
from bot.pipeline.context import Context
from bot.pipeline.router import Router
from bot.replies import Text

router = Router("orgsync")
SYNC = "orgsync.run"


@router.command(
    "同步通讯录",
    "sync-org",
    summary="立即从企业微信 / 钉钉通讯录同步人员和部门",
    usage="/同步通讯录 [强制]",
    permission=SYNC,
    group="管理",
)
async def sync_now(ctx: Context, svc: OrgSyncService, command: CommandInvocation) -> None:
    arg = command.args.strip()
    if arg not in ("", "强制", "force"):
        ctx.reply(Text(f"用法：/同步通讯录\n离职人数超过上限、同步被拦下时：{FORCE_HINT}"))
        return
    try:
        reports = await svc.run(force=bool(arg))
    except DirectoryError as exc:
        ctx.reply(Text(f"同步通讯录失败，未做任何改动：{exc}"))
        return
    if not reports:
        ctx.reply(Text("没有启用企业微信或钉钉应用，无通讯录可同步"))
        return
    lines = [r.summary() for r in reports]
    for r in reports:
        for h in r.left:
            if h.to_id is None:
                lines.append(f"「{h.name}」已离职，但找不到在职的上级，TA 的工作未转交，请手动处理")
    ctx.reply(Text("\n".join(lines)))
