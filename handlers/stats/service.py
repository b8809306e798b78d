"""``answer``: what both the slash commands and the plain-language path call."""

from __future__ import annotations

from bot.clock import Clock
from bot.config.org import Person
from bot.pipeline.context import Context
from bot.replies import Markdown, Text
from handlers.shared.access import AccessPolicy
from handlers.stats.compute import build_report
from handlers.stats.model import VIEW, Kind, StatsQuery
from handlers.stats.scope import describe, filters_for
from storage.db import Database


async def answer(ctx: Context, person: Person, query: StatsQuery) -> None:
    """Compute the stats ``query`` within what ``person`` may see and reply to them."""
    policy = ctx.services.get(AccessPolicy)
    refusal = policy.refuse(person, VIEW)
    if refusal is not None:
        ctx.reply(Text(refusal.text))
        return
    scope = policy.scope(person).owners
    filters = filters_for(query, scope, ctx.config)
    if isinstance(filters, str):
        ctx.reply(Text(filters))
        return
    db = ctx.services.get(Database)
    now = ctx.services.get(Clock).now()  # type: ignore[type-abstract]  # registered as Clock
    covers = describe(query, ctx.config, scope)
    if query.kind in (Kind.heatmap, Kind.export, Kind.forecast):
        from handlers.stats.media import answer_with_media

        await answer_with_media(ctx, query, filters, now, covers)
        return
    report = await build_report(db, ctx.config, query, filters, now, covers)
    ctx.reply(Markdown(report.title, "\n".join(report.lines)))
