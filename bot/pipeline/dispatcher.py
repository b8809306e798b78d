"""Route one event to the first handler that wants it."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.config.org import ROLE_LABELS
from bot.events import CardActionEvent, TextEvent
from bot.pipeline.commands import CommandInvocation, CommandTable
from bot.pipeline.context import Context
from bot.pipeline.router import Handler, Router
from bot.replies import Text

log = logging.getLogger(__name__)

UNKNOWN_USER = (
    "你好！你还不在本系统的人员名单中（{platform} 账号：{user}）。"
    "请联系管理员把你加入 config.yaml 的 people 列表后再试。"
)
NOT_ALLOWED = "你的角色（{role}）不能使用 /{name}。发送 /帮助 查看你可以使用的命令。"
UNKNOWN_COMMAND = "没有 /{name} 这个命令。发送 /帮助 查看可用命令。"
NOT_UNDERSTOOD = (
    "我还看不懂这条消息。发送 /帮助 查看我能做什么，或直接发一段拜访记录（文字或语音）。"
)
CARD_GONE = "这张卡片已失效或不属于你。"


class Dispatcher:
    def __init__(self, routers: Sequence[Router]) -> None:
        self.routers = list(routers)
        self.commands = CommandTable()
        self._by_command: dict[str, Handler] = {}
        self._handlers: list[Handler] = []
        for router in self.routers:
            for h in router.handlers:
                if h.command is not None:
                    self.commands.add(h.command)
                    self._by_command[h.command.name] = h
                else:
                    self._handlers.append(h)

    async def dispatch(self, ctx: Context) -> None:
        event = ctx.event
        if isinstance(event, TextEvent):
            invocation = self.commands.parse(event.text)
            if invocation is not None:
                await self._command(ctx, invocation)
                return
            unknown = self.commands.unknown_name(event.text)
            if unknown is not None and ctx.person is not None:
                ctx.reply(Text(UNKNOWN_COMMAND.format(name=unknown)))
                return
        for handler in self._handlers:
            if handler.matches(ctx):
                await handler(ctx)
                return
        if ctx.person is None:
            ctx.reply(Text(UNKNOWN_USER.format(platform=event.platform, user=event.user_id)))
        elif isinstance(event, CardActionEvent):
            ctx.reply(Text(CARD_GONE))
        else:
            ctx.reply(Text(NOT_UNDERSTOOD))

    async def _command(self, ctx: Context, invocation: CommandInvocation) -> None:
        person = ctx.person
        if person is None:
            ctx.reply(
                Text(UNKNOWN_USER.format(platform=ctx.event.platform, user=ctx.event.user_id))
            )
            return
        if not invocation.spec.allowed(person.role):
            label = ROLE_LABELS.get(person.role, person.role)
            ctx.reply(Text(NOT_ALLOWED.format(role=label, name=invocation.spec.name)))
            return
        ctx.command = invocation
        await self._by_command[invocation.spec.name](ctx)
