"""/我的激励, /激励 团队, /回款 and the plain-language "我这个月激励多少"."""

from __future__ import annotations

import asyncio
from datetime import datetime

from bot.clock import Clock
from bot.config.org import Person
from bot.pipeline.commands import CommandInvocation
from bot.pipeline.context import Context
from bot.pipeline.router import Router
from bot.replies import Image, Markdown, Text
from handlers.incentives.chart import projection_png
from handlers.incentives.record import PaymentError, parse_payment, record_payment
from handlers.incentives.render import standing_text, team_text
from handlers.incentives.standing import standing
from handlers.shared.access import AccessPolicy
from handlers.shared.catalog import CatalogService
from handlers.shared.crm import money
from handlers.stats.charts import ChartError
from nlp.intent import Topic
from storage.db import Database
from storage.media import MediaStore

router = Router("incentives")

VIEW = "incentives.view"
TEAM = "incentives.team"
RECORD = "payments.record"
PAYMENT_USAGE = "/回款 客户名 金额 [首年|续费|增购] [第N年] [YYYY-MM-DD] [单号 XXX]"


async def _mine(ctx: Context, person: Person, now: datetime, with_chart: bool) -> None:
    db = ctx.services.get(Database)
    s = await standing(db, ctx.config, person.id, person.name, now)
    title, body = standing_text(s)
    ctx.reply(Markdown(title, body))
    if not with_chart or not any(p.book for p in s.projection):
        return
    try:
        png = await asyncio.to_thread(projection_png, s.projection)
    except ChartError as exc:
        ctx.reply(Text(str(exc)))
        return
    stored = await ctx.services.get(MediaStore).save(png, "image/png")
    ctx.reply(Image(stored.id, "LTV 分红预测"))


@router.command(
    "我的激励",
    "incentive",
    "bonus",
    summary="我的奖项进度、本月提成和 LTV 分红预测",
    usage="/我的激励",
    permission=VIEW,
    group="激励",
)
async def my_incentives(ctx: Context, person: Person, clock: Clock) -> None:
    await _mine(ctx, person, clock.now(), with_chart=True)


@router.command(
    "激励",
    summary="团队成员的激励进度（主管、经理、总监）",
    usage="/激励 团队",
    permission=TEAM,
    group="激励",
)
async def team_incentives(
    ctx: Context, person: Person, command: CommandInvocation, policy: AccessPolicy, clock: Clock
) -> None:
    if command.args.strip() not in ("", "团队", "team"):
        ctx.reply(Text("用法：/激励 团队\n查看自己的激励请发送 /我的激励"))
        return
    now = clock.now()
    scope = policy.scope(person)
    roles = set(ctx.config.incentives.roles)
    people = [
        p for p in ctx.config.people if p.role in roles and p.id != person.id and scope.covers(p.id)
    ]
    db = ctx.services.get(Database)
    rows = [await standing(db, ctx.config, p.id, p.name, now) for p in people]
    label = rows[0].month.label if rows else ""
    title, body = team_text(label, rows)
    ctx.reply(Markdown(title, body))


@router.command(
    "回款",
    "payment",
    summary="登记一笔回款（财务）",
    usage=PAYMENT_USAGE,
    permission=RECORD,
    group="激励",
)
async def record(
    ctx: Context,
    person: Person,
    command: CommandInvocation,
    catalogs: CatalogService,
    policy: AccessPolicy,
    clock: Clock,
) -> None:
    now = clock.now()
    parsed = parse_payment(command.args, now, ctx.config.timezone)
    if isinstance(parsed, str):
        ctx.reply(Text(f"{parsed}\n用法：{PAYMENT_USAGE}"))
        return
    try:
        payment, client_name, owner = await record_payment(
            parsed, person, catalogs, policy, ref=f"chat:{ctx.inbox_id}"
        )
    except PaymentError as exc:
        ctx.reply(Text(str(exc)))
        return
    names = {p.id: p.name for p in ctx.config.people}
    kind = {"first_year": "首年", "renewal": "续费", "upsell": "增购"}[payment.kind]
    ctx.reply(
        Text(
            f"已登记回款：{client_name} {money(float(payment.amount))}，{kind}第"
            f"{payment.contract_year}年，归属 {names.get(owner, owner)}（编号 {payment.external_ref}）。"
            "月度结算时计入提成。"
        )
    )


# Legal and finance earn no awards: the dispatcher tells them so (not "cannot log visits").
@router.request(Topic.incentive, permission=VIEW)
async def incentive_request(ctx: Context, person: Person, clock: Clock) -> None:
    """ "我这个月激励多少", "我的提成": the same answer as /我的激励 (text only)."""
    await _mine(ctx, person, clock.now(), with_chart=False)
