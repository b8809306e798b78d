"""/帮助: the commands this person's role may use, grouped."""

from __future__ import annotations

from bot.config.org import ROLE_LABELS, Person
from bot.pipeline.context import Context
from bot.pipeline.dispatcher import Dispatcher
from bot.pipeline.router import Router
from bot.replies import Markdown

router = Router("help")

INTRO = "直接发送语音或文字拜访记录，我会整理成跟进记录，确认后一键保存。"


def help_text(ctx: Context, person: Person) -> str:
    dispatcher = ctx.services.get(Dispatcher)
    groups: dict[str, list[str]] = {}
    for spec in dispatcher.commands.specs:
        if not spec.allowed(person.role):
            continue
        alias = f"（{' / '.join('/' + a for a in spec.aliases)}）" if spec.aliases else ""
        groups.setdefault(spec.group, []).append(f"- `{spec.usage}`{alias} {spec.summary}")
    role = ROLE_LABELS.get(person.role, str(person.role))
    lines = [f"**{person.name}（{role}）可用的命令**", INTRO, ""]
    for group, items in groups.items():
        lines.append(f"**{group}**")
        lines.extend(items)
        lines.append("")
    lines.append("命令也可以用英文别名，例如 /help。")
    return "\n".join(lines).strip()


@router.command("帮助", "help", "h", summary="查看你可以使用的命令")
async def show_help(ctx: Context, person: Person) -> None:
    ctx.reply(Markdown("帮助", help_text(ctx, person)))
