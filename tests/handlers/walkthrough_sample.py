"""样品寄送确认: a rep asks to send a client a sample, their supervisor confirms on a card, and a
job reminds the supervisor of a request still waiting a day later."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.config.org import Person, Role
from bot.directory import Directory
from bot.feature import Feature, permission
from bot.jobs import JobRun, JobSpec, Push
from bot.pipeline.commands import CommandInvocation
from bot.pipeline.context import Context
from bot.pipeline.router import Router
from bot.pipeline.taps import Tap, TapResult
from bot.replies import CardMessage, CardUpdate, Text
from cards.actions import CardAction
from cards.model import Button, Card
from cards.store import CardStore
from handlers.shared.access import AccessPolicy
from handlers.shared.catalog import CatalogService
from handlers.shared.crm import find_client
from storage.models import CardInstance
from storage.status import CardStatus

REQUEST = "samples.request"
DECIDE = "samples.decide"
KIND = "sample"
router = Router("samples")


class SampleTap(CardAction, prefix="sm"):
    op: str  # "ok" or "no"


@router.command(
    "寄样",
    "sample",
    summary="申请给客户寄样品，例如 /寄样 华东机械",
    usage="/寄样 客户名",
    permission=REQUEST,
    group="审批",
)
async def ask_for_sample(
    ctx: Context,
    person: Person,
    command: CommandInvocation,
    policy: AccessPolicy,
    catalogs: CatalogService,
    cards: CardStore,
    directory: Directory,
) -> None:
    found = await find_client(command.args.strip(), person, catalogs=catalogs, policy=policy)
    approver = directory.get(person.supervisor) if person.supervisor else None
    if found.client is None or approver is None:
        ctx.reply(Text("请写一个你可以查看的客户，例如 /寄样 华东机械（需要有上级确认）。"))
        return
    card_id = f"sm-{ctx.inbox_id}"  # a retried run finds the card it stored
    if await cards.get(card_id) is None:
        card = Card(
            card_id,
            "样品寄送确认",
            f"{person.name} 申请给 {found.client.name} 寄样品",
            buttons=(
                Button("同意", SampleTap(card_id, 0, "ok").pack(), "primary"),
                Button("不同意", SampleTap(card_id, 0, "no").pack()),
            ),
        )
        data = {"client": found.client.name, "rep": person.id}
        await cards.create(card, kind=KIND, owner_id=person.id, data=data, actors=[approver.id])
    ctx.send_to(approver, CardMessage(card_id))
    ctx.reply(Text(f"已提交，等待 {approver.name} 确认。"))


@router.tap(SampleTap, "samples.decide", permission=DECIDE)
async def decide(ctx: Context, tap: Tap[SampleTap], directory: Directory) -> TapResult:
    verdict = "同意" if tap.action.op == "ok" else "不同意"
    rep = directory.get(tap.data["rep"])
    if rep is not None:
        ctx.send_to(rep, Text(f"{tap.person.name}{verdict}给 {tap.data['client']} 寄样品。"))
    ctx.reply(CardUpdate(tap.instance.id))
    card = replace(tap.card, closed=f"已{verdict} · {tap.person.name}")
    return TapResult(card=card, status=CardStatus.closed, actors=[], audit={"op": tap.action.op})


async def remind_samples(run: JobRun) -> None:
    """Each request still waiting a day after it was made: its approver is reminded, once."""
    for card in await CardInstance.filter(kind=KIND, status=CardStatus.open):
        if card.created_at > run.now - timedelta(days=1):  # compared in Python: see SQLite times
            continue
        client = CardStore.data_of(card)["client"]
        for approver in CardStore.actors_of(card):
            text = f"{client} 的寄样申请还在等你确认。"
            run.push(Push(f"samples:{card.id}:{approver}", approver, "sample_due", text))


FEATURE = Feature(
    "samples",
    router,
    permissions=(
        permission(REQUEST, (Role.rep, Role.supervisor), "申请寄样"),
        permission(DECIDE, (Role.supervisor, Role.manager, Role.director), "确认寄样"),
    ),
    jobs=(JobSpec("samples_due", "samples_scan", remind_samples, "寄样待确认提醒"),),
)
