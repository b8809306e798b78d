"""The approvals feature's handlers: start a request, decide by tapping its card, say why when
rejecting, attach files, and ask what waits for me or where mine stand."""

from __future__ import annotations

import mimetypes
import re

from bot.config.org import Person
from bot.events import FileEvent, ImageEvent, TextEvent
from bot.media import MediaFetcher
from bot.pipeline.commands import CommandInvocation
from bot.pipeline.context import Context
from bot.pipeline.router import SKIP, Router, known_user
from bot.pipeline.taps import Tap, TapResult
from bot.replies import CardMessage, CardUpdate, Markdown, Text
from cards.store import CardStore
from handlers.approvals import guided, store
from handlers.approvals.card import ApprovalTap, Op, reason_from, reason_prompt
from handlers.approvals.desk import STALE, ApprovalDesk
from handlers.approvals.guided import GuidedDrafts
from handlers.approvals.offer import OfferTap, amount_templates, answered
from handlers.approvals.queries import requests_of, waiting_for
from handlers.approvals.states import Status
from handlers.approvals.values import read_date
from handlers.approvals.view import load, summary_line
from nlp.intent import Topic
from storage.media import MediaStore
from storage.models import Approval
from storage.status import CardStatus

router = Router("approvals")

SUBMIT = "approvals.submit"
VIEW = "approvals.view"
DECIDE = "approvals.decide"  # every role: legal and finance decide steps too
GROUP = "审批"
LIST_LIMIT = 10
CARDS_RESENT = 5


@router.tap(OfferTap, "approvals.offer", permission=SUBMIT)
async def on_offer(tap: Tap[OfferTap], ctx: Context, guide: GuidedDrafts) -> TapResult:
    """申请报价审批 on the card after a saved visit: the request starts pre-filled."""
    data = tap.data
    found = next((t for t in amount_templates(ctx.config) if t[0] == tap.action.template), None)
    if found is None:
        ctx.reply(CardUpdate(tap.instance.id))  # the tapper's copy greys out, no longer tappable
        return TapResult(answered(tap.card, "暂不需要"), status=CardStatus.closed, actors=[])
    template_id, name, amount_key = found
    started = await guide.service.start(
        tap.person,
        template_id,
        {"client": data["client"], amount_key: data["amount"]},
        platform=ctx.event.platform,
        client_id=data["client_id"],
        deal_id=data["deal_id"],
    )
    await guide.started(ctx, tap.person, started)
    ctx.reply(CardUpdate(tap.instance.id))
    label = f"已发起{name}" if started.submitted else f"{name}待补充"
    return TapResult(answered(tap.card, label), status=CardStatus.closed, actors=[])


# ---------------------------------------------------------------------- deciding
@router.tap(ApprovalTap, "approvals.tap", permission=DECIDE)
async def on_tap(tap: Tap[ApprovalTap], ctx: Context, desk: ApprovalDesk) -> TapResult | None:
    approval = await Approval.get(id=int(tap.data["approval"]))
    action, person, platform = tap.action, tap.person, tap.event.platform
    if action.op is Op.reject:
        if not await store.ask_reason(approval.id, person.id, action.seq):
            ctx.reply(Text(STALE))
            return None
        ctx.reply(Text(reason_prompt()))
        return TapResult(audit={"op": "reject", "reason": "asked"})
    # Loaded once for the decision and the redrawn card: the tap holds the write lock meanwhile.
    delegations = await desk.service.delegations()
    decision = await desk.service.decide(
        approval,
        seq=action.seq,
        person=person,
        approve=True,
        comment=None,
        platform=platform,
        delegations=delegations,
    )
    if not decision.won:
        ctx.reply(Text(STALE))
        return None
    fresh = await Approval.get(id=approval.id)
    card, actors, view = await desk.draw(tap.instance.id, fresh, delegations)
    desk.announce(ctx, decision, view, tap.instance.id)
    ctx.reply(CardUpdate(tap.instance.id))
    final = fresh.status != Status.pending
    return TapResult(
        card=card,
        status=CardStatus.closed if final else None,
        actors=actors,
        audit={"op": "approve", "approval": approval.id, "outcome": decision.outcome.value},
    )


@router.on(TextEvent, filters=(known_user,))
async def reason_reply(
    ctx: Context, person: Person, event: TextEvent, desk: ApprovalDesk
) -> object:
    """After 驳回: the approver's next text is the reason (a number picks a common one)."""
    if event.text.strip().startswith("/"):
        return SKIP
    owed = await store.reason_owed_by(person.id)
    if owed is None:
        return SKIP
    decision = await desk.service.decide(
        owed,
        seq=owed.current_step,
        person=person,
        approve=False,
        comment=reason_from(event.text),
        platform=event.platform,
    )
    if not decision.won:
        ctx.reply(Text(STALE))
        return None
    instance = await desk.refresh(ctx, owed.id)
    view = await desk.view(await Approval.get(id=owed.id))
    desk.announce(ctx, decision, view, instance.id if instance else "")
    ctx.reply(Text(f"已驳回 #{owed.id}。"))
    return None


guided.register(router, SUBMIT)  # the guided card's taps and text answers, after the reason above


_FOR_ME = re.compile(r"待我|等我|要我|我要批|我该批|待审批|待批|需要我")


@router.request(Topic.approvals, permission=VIEW)
async def approvals_request(
    ctx: Context, person: Person, event: TextEvent, desk: ApprovalDesk
) -> object:
    """ "我的报价批下来没" is /我的申请; "有什么要我批的" is /待审批."""
    if _FOR_ME.search(event.text):
        await show_waiting(ctx, person, desk)
    else:
        await show_mine(ctx, person, desk)
    return None


# ---------------------------------------------------------------------- attachments
@router.on(FileEvent, ImageEvent, filters=(known_user,))
async def attachment(
    ctx: Context,
    person: Person,
    guide: GuidedDrafts,
    fetcher: MediaFetcher,
    media: MediaStore,
) -> object:
    """A file or image while a request waits for attachments is one of them."""
    event = ctx.event
    if await store.open_draft(person.id) is None:
        return SKIP
    data = await fetcher.fetch(event)
    if isinstance(event, FileEvent) and event.filename:
        filename = event.filename
        content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    else:
        filename, content_type = "", "image/jpeg"
    stored = await media.save(data, content_type)
    filename = filename or f"图片{stored.id}.jpg"
    got = await guide.service.attach_file(
        person, filename=filename, media_id=stored.id, platform=event.platform
    )
    if got is None:
        return SKIP
    name, started = got
    ctx.reply(Text(f"已添加附件「{name}」。"))
    await guide.started(ctx, person, started, resend=False)
    return None


# ---------------------------------------------------------------------- lists and housekeeping
@router.command(
    "待审批", "todo-approvals", summary="查看等我审批的申请", permission=VIEW, group=GROUP
)
async def waiting_list(ctx: Context, person: Person, desk: ApprovalDesk) -> None:
    await show_waiting(ctx, person, desk)


async def show_waiting(ctx: Context, person: Person, desk: ApprovalDesk) -> None:
    pending = await waiting_for(person.id, await desk.service.delegations(), desk.service.today())
    if not pending:
        ctx.reply(Text("目前没有等你审批的申请。"))
        return
    lines = [f"**等你审批的申请（{len(pending)}）**"]
    for approval in pending[:LIST_LIMIT]:
        lines.append("- " + summary_line(await desk.view(approval), desk.name, desk.service.tz))
    ctx.reply(Markdown("待审批", "\n".join(lines)))
    for approval in pending[:CARDS_RESENT]:
        instance = await desk.instance(approval.id)
        if instance is not None and person.id not in CardStore.actors_of(instance):
            # They joined the step after the card was drawn (an overdue step escalated to them):
            # redrawn, the card names them and takes their tap.
            instance = await desk.refresh(ctx, approval.id)
        if instance is not None:
            ctx.reply(CardMessage(instance.id))


@router.command(
    "我的申请", "my-approvals", summary="查看我发起的申请和进度", permission=VIEW, group=GROUP
)
async def my_requests(ctx: Context, person: Person, desk: ApprovalDesk) -> None:
    await show_mine(ctx, person, desk)


async def show_mine(ctx: Context, person: Person, desk: ApprovalDesk) -> None:
    mine = await requests_of(person.id, LIST_LIMIT)
    if not mine:
        ctx.reply(Text("你还没有发起过审批。发送 /报价 客户 金额 试试。"))
        return
    lines = ["**我的申请**"]
    for standing in mine:
        template = ctx.config.approvals.get(standing.approval.template)
        if template is None:
            continue
        view = await load(standing.approval, template)
        lines.append("- " + summary_line(view, desk.name, desk.service.tz))
    ctx.reply(Markdown("我的申请", "\n".join(lines)))


@router.command(
    "撤回",
    "withdraw",
    summary="撤回我的申请，例如 /撤回 12",
    usage="/撤回 编号",
    permission=SUBMIT,
    group=GROUP,
)
async def withdraw(
    ctx: Context,
    person: Person,
    command: CommandInvocation,
    desk: ApprovalDesk,
    guide: GuidedDrafts,
) -> None:
    number = re.sub(r"[#＃\s]", "", command.args)
    if number.isdecimal():
        approval = await Approval.get_or_none(id=int(number), requester_id=person.id)
    else:
        approval = (
            await Approval.filter(
                requester_id=person.id, status__in=[Status.pending.value, Status.draft.value]
            )
            .order_by("-id")
            .first()
        )
    if approval is None:
        ctx.reply(Text("没有找到你可以撤回的申请。发送 /我的申请 查看编号。"))
        return
    if not await desk.service.withdraw(approval.id, person, ctx.event.platform):
        ctx.reply(Text(f"#{approval.id} 已经有了结果，不能撤回。"))
        return
    await desk.refresh(ctx, approval.id)
    await guide.closed(ctx, approval.id, "已撤回")
    ctx.reply(Text(f"已撤回 #{approval.id}。"))


@router.command(
    "委托",
    "delegate",
    summary="外出时委托他人审批，例如 /委托 孙梅 至 12月5日",
    usage="/委托 姓名 至 日期",
    permission=VIEW,
    group=GROUP,
)
async def delegate(
    ctx: Context, person: Person, command: CommandInvocation, desk: ApprovalDesk
) -> None:
    m = re.fullmatch(r"\s*(\S+?)\s*(?:至|到|until)\s*(\S+)\s*", command.args)
    if not m:
        ctx.reply(Text("请这样写：/委托 孙梅 至 12月5日"))
        return
    to = next((p for p in ctx.directory.people() if m[1] in (p.name, p.id)), None)
    until = read_date(m[2], desk.service.today())
    if to is None or to.id == person.id:
        ctx.reply(Text(f"没有找到可以委托的人“{m[1]}”。"))
        return
    if until is None:
        ctx.reply(Text(f"看不懂日期“{m[2]}”，请写成 12月5日。"))
        return
    await desk.service.delegate(person, to, until)
    for approval in await waiting_for(person.id, (), desk.service.today()):
        await desk.refresh(ctx, approval.id)  # the delegate may tap the cards already out
    ctx.reply(Text(f"已委托 {to.name} 在 {until.month}月{until.day}日 前代你审批。"))
