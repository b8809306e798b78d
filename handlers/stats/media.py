"""Answers that carry an image or a file: heatmap, export, forecast (filled in below)."""

from __future__ import annotations

from datetime import datetime

from bot.pipeline.context import Context
from bot.replies import Text
from handlers.stats.model import StatsQuery
from handlers.stats.sql import Filters


async def answer_with_media(
    ctx: Context, query: StatsQuery, f: Filters, now: datetime, covers: str
) -> None:
    ctx.reply(Text(f"/{query.kind.value} 正在开发中。"))
