"""Manager stats commands: /漏斗 /转化 /停留 /排行 /停滞 /预测 /热力图 /导出 (English aliases too)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.config.org import Person
from bot.events import TextEvent
from bot.pipeline.commands import CommandInvocation
from bot.pipeline.context import Context
from bot.pipeline.router import SKIP, Router
from bot.replies import Text
from handlers.stats.model import ALIASES, INTENT_TOPICS, USAGE, VIEW, Kind
from handlers.stats.requests import parse_stats_request
from handlers.stats.service import answer
from handlers.stats.vocab import parse_args

router = Router("stats")


async def _run(
    kind: Kind, ctx: Context, person: Person, command: CommandInvocation, clock: Clock
) -> None:
    now = clock.now()
    query = parse_args(kind, command.args, now, ZoneInfo(ctx.config.timezone), ctx.config)
    if isinstance(query, str):
        ctx.reply(Text(f"{query}\n用法：{USAGE[kind][0]}"))
        return
    await answer(ctx, person, query)


def _register(kind: Kind) -> None:
    usage, summary = USAGE[kind]

    async def handler(
        ctx: Context, person: Person, command: CommandInvocation, clock: Clock
    ) -> None:
        await _run(kind, ctx, person, command, clock)

    handler.__name__ = f"stats_{kind.name}"
    router.command(
        kind.value, *ALIASES[kind], summary=summary, usage=usage, permission=VIEW, group="统计"
    )(handler)


for _kind in Kind:
    _register(_kind)


@router.request(*INTENT_TOPICS, permission=VIEW)
async def stats_request(ctx: Context, person: Person, event: TextEvent, clock: Clock) -> object:
    """ "华东本月漏斗怎么样", "这个月谁签得最多": the same answer as the command."""
    tz = ZoneInfo(ctx.config.timezone)
    query = parse_stats_request(event.text, clock.now(), tz, ctx.config)
    if query is None:
        return SKIP
    await answer(ctx, person, query)
    return None
