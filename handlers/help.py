"""/帮助: the commands this person may use, grouped."""

from __future__ import annotations

from bot.config.org import ROLE_LABELS, Person
from bot.feature import Feature
from bot.pipeline.commands import CommandInvocation
from bot.pipeline.context import Context
from bot.pipeline.dispatcher import Dispatcher
from bot.pipeline.router import Router
from bot.replies import Markdown
from handlers.shared.access import AccessPolicy
from nlp.intent import Topic

router = Router("help")

INTRO = "直接发送语音或文字拜访记录，我会整理成跟进记录，确认后一键保存。"


def help_text(dispatcher: Dispatcher, policy: AccessPolicy, person: Person) -> str:
    """One short line per command this person may use: it must fit one phone message."""
    groups: dict[str, list[str]] = {}
    for spec in dispatcher.commands.specs:
        if policy.command_refusal(person, spec) is not None:
            continue
        summary = spec.summary.split("，例如")[0]
        groups.setdefault(spec.group, []).append(f"- `/{spec.name}` {summary}")
    role = ROLE_LABELS.get(person.role, str(person.role))
    lines = [f"**{person.name}（{role}）可用的命令**", INTRO, ""]
    for group, items in groups.items():
        lines.append(f"**{group}**")
        lines.extend(items)
        lines.append("")
    lines.append(
        "发送“/帮助 命令名”（如 /帮助 漏斗）查看用法和英文别名；"
        "也可以直接问，例如“帮我查下华东机械”。"
    )
    return "\n".join(lines).strip()


def command_help(dispatcher: Dispatcher, policy: AccessPolicy, person: Person, name: str) -> str:
    """``/帮助 漏斗``: one command's usage, aliases and example."""
    spec = dispatcher.commands.find(name.lstrip("/／"))
    if spec is None:
        return f"没有 /{name.lstrip('/／')} 这个命令。发送 /帮助 查看可用命令。"
    refusal = policy.command_refusal(person, spec)
    if refusal is not None:
        return refusal
    aliases = "、".join("/" + a for a in spec.aliases)
    lines = [f"**/{spec.name}**", spec.summary, f"用法：`{spec.usage}`"]
    if aliases:
        lines.append(f"英文别名：{aliases}")
    return "\n".join(lines)


@router.command("帮助", "help", "h", summary="查看你可以使用的命令", usage="/帮助 [命令名]")
async def show_help(
    ctx: Context,
    person: Person,
    command: CommandInvocation,
    dispatcher: Dispatcher,
    policy: AccessPolicy,
) -> None:
    if command.args.strip():
        ctx.reply(Markdown("帮助", command_help(dispatcher, policy, person, command.args.strip())))
        return
    ctx.reply(Markdown("帮助", help_text(dispatcher, policy, person)))


@router.request(Topic.help)
async def help_request(
    ctx: Context, person: Person, dispatcher: Dispatcher, policy: AccessPolicy
) -> None:
    """ "你能做什么" / "怎么用": the same answer as /帮助."""
    ctx.reply(Markdown("帮助", help_text(dispatcher, policy, person)))


FEATURE = Feature("help", router)
