"""/帮助: the commands this person may use, grouped."""

from __future__ import annotations

from bot.config.org import ROLE_LABELS, Person
from bot.feature import Feature
from bot.pipeline.context import Context
from bot.pipeline.dispatcher import Dispatcher
from bot.pipeline.router import Router
from bot.replies import Markdown
from handlers.shared.access import AccessPolicy
from nlp.intent import Topic

router = Router("help")

INTRO = "直接发送语音或文字拜访记录，我会整理成跟进记录，确认后一键保存。"


def help_text(dispatcher: Dispatcher, policy: AccessPolicy, person: Person) -> str:
    groups: dict[str, list[str]] = {}
    for spec in dispatcher.commands.specs:
        if policy.command_refusal(person, spec) is not None:
            continue
        alias = f"（{' / '.join('/' + a for a in spec.aliases)}）" if spec.aliases else ""
        groups.setdefault(spec.group, []).append(f"- `{spec.usage}`{alias} {spec.summary}")
    role = ROLE_LABELS.get(person.role, str(person.role))
    lines = [f"**{person.name}（{role}）可用的命令**", INTRO, ""]
    for group, items in groups.items():
        lines.append(f"**{group}**")
        lines.extend(items)
        lines.append("")
    lines.append("命令也可以用英文别名，例如 /help；也可以直接问，例如“帮我查下华东机械”。")
    return "\n".join(lines).strip()


@router.command("帮助", "help", "h", summary="查看你可以使用的命令")
async def show_help(
    ctx: Context, person: Person, dispatcher: Dispatcher, policy: AccessPolicy
) -> None:
    ctx.reply(Markdown("帮助", help_text(dispatcher, policy, person)))


@router.request(Topic.help)
async def help_request(
    ctx: Context, person: Person, dispatcher: Dispatcher, policy: AccessPolicy
) -> None:
    """ "你能做什么" / "怎么用": the same answer as /帮助."""
    ctx.reply(Markdown("帮助", help_text(dispatcher, policy, person)))


FEATURE = Feature("help", router)
