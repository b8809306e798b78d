"""Route one event to the feature that wants it, in stages.

0. a scheduled job's tick (``JobEvent``) → the job runner (scheduler/runner.py);
1. a slash command → its handler, after the access policy agreed;
2. a card tap → the shared tap step (authorise the role, load, refuse closed/stale, check the
   card's actors, apply, save, audit);
3. ordinary handlers, in feature order (a handler may decline with ``SKIP``);
4. a text that reads as a request ("华东本月漏斗怎么样") → the feature claiming its topic (after
   the access policy agreed to the permission it names), or a clear "not available yet" — never
   a visit-note draft; a voice note's transcript goes through
   the same stage (``answer_heard``, called by the handler that transcribed it);
5. explicit fallbacks (the follow-up feature: a text or voice note is a visit note);
6. a helpful default reply.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import fields
from typing import Protocol

from bot.config.org import Person
from bot.events import CardActionEvent, Event, JobEvent, TextEvent
from bot.pipeline.commands import CommandInvocation, CommandSpec, CommandTable
from bot.pipeline.context import Context
from bot.pipeline.router import SKIP, Handler, RequestHandler, Router
from bot.pipeline.taps import TapRunner, TapSpec
from bot.replies import Reply, Text
from cards.actions import ActionRegistry, split
from nlp.intent import UNSURE, IntentGuess, Kind

log = logging.getLogger(__name__)

UNKNOWN_COMMAND = "没有 /{name} 这个命令。发送 /帮助 查看可用命令。"
NOT_UNDERSTOOD = (
    "我还看不懂这条消息。发送 /帮助 查看我能做什么，或直接发一段拜访记录（文字或语音）。"
)
NOT_AVAILABLE = (
    "看起来你想查看{what}，这个功能还没有开放。发送 /帮助 查看现在能用的命令；"
    "如果这是一条拜访记录，请写明客户和拜访内容再发一次。"
)
TOPIC_LABELS = {
    "funnel": "销售漏斗",
    "conversion": "转化率",
    "dwell": "阶段停留时间",
    "ranking": "排行榜",
    "stall": "停滞的商机",
    "forecast": "业绩预测",
    "heatmap": "城市热力图",
    "export": "数据导出",
    "incentive": "激励和提成",
    "brief": "客户简报",
    "tasks": "待办事项",
    "approvals": "审批",
    "help": "帮助",
    "status": "运行状态",
}


class Gate(Protocol):
    """The access policy as the dispatcher sees it (handlers/shared/access.py)."""

    def unknown_user(self, platform: str, user: str) -> str: ...

    def card_gone(self) -> str: ...

    def command_refusal(self, person: Person, spec: CommandSpec) -> str | None: ...

    def action_refusal(self, person: Person, action: str) -> str | None: ...


class JobRunner(Protocol):
    async def run(self, ctx: Context, handler: Handler) -> None: ...


class IntentReader(Protocol):
    async def read(self, text: str, person: Person) -> IntentGuess: ...


class Dispatcher:
    def __init__(
        self,
        routers: Sequence[Router],
        *,
        gate: Gate,
        taps: TapRunner | None = None,
        intents: IntentReader | None = None,
    ) -> None:
        self.routers = list(routers)
        self.gate = gate
        self.taps = taps
        self.intents = intents
        self.jobs: JobRunner | None = None
        self._jobs: dict[str, Handler] = {}
        self.commands = CommandTable()
        self.actions = ActionRegistry()
        self._by_command: dict[str, Handler] = {}
        self._handlers: list[Handler] = []
        self._fallbacks: list[Handler] = []
        self._taps: dict[str, TapSpec] = {}
        self._requests: dict[str, RequestHandler] = {}
        for router in self.routers:
            for h in router.handlers:
                if h.command is not None:
                    self.commands.add(h.command)
                    self._by_command[h.command.name] = h
                else:
                    self._handlers.append(h)
            self._fallbacks += router.fallbacks
            for spec in router.taps:
                self.actions.add(spec.action)  # a prefix claimed twice fails here, at startup
                self._taps[spec.action.prefix] = spec
            for req in router.requests:
                for topic in req.topics:
                    if topic in self._requests:
                        raise ValueError(f"request topic '{topic}' is claimed twice")
                    self._requests[topic] = req

    def add_job(self, name: str, handler: Handler) -> None:
        if name in self._jobs:
            raise ValueError(f"job '{name}' is declared twice")
        self._jobs[name] = handler

    @property
    def job_names(self) -> list[str]:
        return list(self._jobs)

    def job(self, name: str) -> Handler | None:
        return self._jobs.get(name)

    def handlers(self) -> list[Handler]:
        return [*(h for r in self.routers for h in r.all_handlers()), *self._jobs.values()]

    @property
    def request_topics(self) -> frozenset[str]:
        return frozenset(self._requests)

    async def dispatch(self, ctx: Context) -> None:
        event = ctx.event
        if isinstance(event, JobEvent):
            handler = self._jobs.get(event.job)
            if handler is None or self.jobs is None:
                # A job a newer replica declared, or one removed since its tick was stored.
                log.warning("no handler for job", extra={"job": event.job})
                return
            await self.jobs.run(ctx, handler)
            return
        if isinstance(event, TextEvent):
            invocation = self.commands.parse(event.text)
            if invocation is not None:
                await self._command(ctx, invocation)
                return
            unknown = self.commands.unknown_name(event.text)
            if unknown is not None and ctx.person is not None:
                ctx.reply(Text(UNKNOWN_COMMAND.format(name=unknown)))
                return
        if isinstance(event, CardActionEvent):
            found = split(event.payload)
            spec = self._taps.get(found[0]) if found else None
            if spec is not None:
                if self.taps is None:
                    raise RuntimeError("card actions are registered but no tap step is configured")
                await self.taps.run(ctx, spec)
                return
        if isinstance(event, TextEvent) and ctx.person is not None and self.intents is not None:
            ctx.intent = await self.intents.read(event.text, ctx.person)
        if await self._first(self._handlers, ctx):
            return
        if await self._request(ctx):
            return
        if await self._first(self._fallbacks, ctx):
            return
        if ctx.person is None:
            ctx.reply(Text(self.gate.unknown_user(event.platform, event.user_id)))
        elif isinstance(event, CardActionEvent):
            ctx.reply(Text(self.gate.card_gone()))
        else:
            ctx.reply(Text(NOT_UNDERSTOOD))

    async def answer_heard(self, ctx: Context, text: str, *, echo: Reply | None = None) -> bool:
        """A voice note's transcript read like the same words typed: True when a request was
        answered (``echo`` — what was heard — then goes first), False when it is the caller's.

        The transcript stands in as the event's text while the request handlers run, since they
        read ``TextEvent.text``; the earlier stages are not replayed (a voice note is not a
        command, and a spoken note never answers a card's question), and what no request claims
        stays with the caller, which owns the audio.
        """
        if ctx.person is None or self.intents is None:
            return False
        spoken = ctx.event
        base = {f.name: getattr(spoken, f.name) for f in fields(Event)}
        ctx.event = TextEvent(**base, text=text)
        mark = len(ctx.pending)
        try:
            ctx.intent = await self.intents.read(text, ctx.person)
            answered = await self._request(ctx)
        finally:
            ctx.event = spoken
        if answered and echo is not None:
            answer = ctx.pending[mark:]
            del ctx.pending[mark:]
            ctx.reply(echo)
            ctx.pending += answer
        return answered

    @staticmethod
    async def _first(handlers: Sequence[Handler], ctx: Context) -> bool:
        for handler in handlers:
            if handler.matches(ctx) and await handler(ctx) is not SKIP:
                return True
        return False

    async def _request(self, ctx: Context) -> bool:
        """A confident request goes to the feature claiming its topic, or is told it cannot."""
        intent = ctx.intent
        if intent is None or intent.kind is not Kind.request or intent.confidence < UNSURE:
            return False
        topic = str(intent.topic or "")
        claimed = self._requests.get(topic)
        if claimed is not None and claimed.permission is not None and ctx.person is not None:
            refusal = self.gate.action_refusal(ctx.person, claimed.permission)
            if refusal is not None:  # as for the command: the one text, never a visit note
                ctx.reply(Text(refusal))
                return True
        if claimed is not None and await claimed.handler(ctx) is not SKIP:
            return True
        if claimed is None:
            what = TOPIC_LABELS.get(topic, "这项内容")
            ctx.reply(Text(NOT_AVAILABLE.format(what=what)))
            return True
        return False

    async def _command(self, ctx: Context, invocation: CommandInvocation) -> None:
        person = ctx.person
        if person is None:
            ctx.reply(Text(self.gate.unknown_user(ctx.event.platform, ctx.event.user_id)))
            return
        refusal = self.gate.command_refusal(person, invocation.spec)
        if refusal is not None:
            ctx.reply(Text(refusal))
            return
        ctx.command = invocation
        await self._by_command[invocation.spec.name](ctx)
