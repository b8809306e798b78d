"""Client brief: what to know before the next meeting, and `/简报 <客户>` to ask for it."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.config.models import AppConfig
from bot.config.org import Person
from bot.directory import Directory
from bot.feature import Feature, permission
from bot.pipeline.commands import CommandInvocation
from bot.pipeline.context import Context
from bot.pipeline.router import SKIP, Router
from bot.replies import Markdown, Text
from handlers.shared.access import ALL_ROLES, CLIENT_NOT_VISIBLE, AccessPolicy
from handlers.shared.catalog import CatalogService
from handlers.shared.crm import deadline_text, find_client, money, when
from handlers.shared.playbook import talking_point
from nlp.intent import IntentGuess, Topic
from storage.models import Approval, Client, Contact, Deal, FollowUp, Task

router = Router("brief")

SILENCE_DAYS = 7


def _ago(now: datetime, then: datetime) -> int:
    return max((now - then).days, 0)


async def build_brief(
    client: Client, *, config: AppConfig, directory: Directory, now: datetime
) -> str:
    tz = ZoneInfo(config.timezone)
    deals = await Deal.filter(client_id=client.id).order_by("-updated_at")
    deal = next((d for d in deals if d.status == "open"), deals[0] if deals else None)
    contacts = [
        c.name for c in await Contact.filter(client_id=client.id, valid=True).order_by("id")
    ]
    recent = await FollowUp.filter(client_id=client.id).order_by("-occurred_at").limit(3)
    tasks = await Task.filter(client_id=client.id, status="open").order_by("due_at").limit(3)
    approvals = await Approval.filter(client_id=client.id, status="pending").order_by("-created_at")
    owner = directory.get(client.owner_id) if client.owner_id else None

    lines = [f"**{client.name} · 客户简报**"]
    risks: list[str] = []
    points: list[str] = []
    if deal is not None:
        days = _ago(now, deal.stage_entered_at)
        stage = config.funnel.stage(deal.stage)
        stall = (
            f"，已超过 {stage.stall_days} 天上限"
            if stage and stage.stall_days and days > stage.stall_days
            else ""
        )
        amount = money(float(deal.amount)) if deal.amount is not None else "未定"
        lines.append(
            f"阶段：{deal.stage}（第 {days} 天{stall}） · 金额：{amount} · 负责人：{owner.name if owner else '—'}"
        )
        if deal.products:
            lines.append("产品：" + "、".join(deal.products))
        if stall:
            risks.append(f"在「{deal.stage}」停留 {days} 天")
            points.append(f"商机在「{deal.stage}」停留 {days} 天：明确卡点，约定下一步时间")
        points.append(talking_point(deal.stage))
    else:
        lines.append("暂无商机记录")
    lines.append("联系人：" + ("、".join(contacts) if contacts else "暂无"))

    if recent:
        lines.append("最近跟进：")
        for f in recent:
            who = directory.get(f.rep_id)
            text = f.raw_text if len(f.raw_text) <= 60 else f.raw_text[:58] + "…"
            local = f.occurred_at.astimezone(tz)
            lines.append(f"- {local.month}月{local.day}日 {who.name if who else f.rep_id}：{text}")
        silence = _ago(now, recent[0].occurred_at)
        if silence >= SILENCE_DAYS:
            risks.append(f"已 {silence} 天没有跟进")
            points.append("先回顾上次沟通内容，重新确认客户的优先级和时间表")
    if tasks:
        lines.append("下一步：")
        for t in tasks:
            due = when(deadline_text(t.due_at.astimezone(tz))) if t.due_at else "未定"
            overdue = "（已逾期）" if t.due_at and t.due_at < now else ""
            lines.append(f"- {t.title}（截止 {due}{overdue}）")
            if overdue:
                risks.append(f"下一步「{t.title}」已逾期")
    lines.append(
        "在途审批：" + ("、".join(f"{a.title}（待审批）" for a in approvals) if approvals else "无")
    )

    competitors = sorted(
        {
            c
            for f in await FollowUp.filter(
                client_id=client.id, occurred_at__gte=now - timedelta(days=90)
            )
            for c in (f.extracted or {}).get("competitors", [])
        }
    )
    if competitors:
        risks.append("提到竞品：" + "、".join(competitors))
        points.append(
            f"准备与{'、'.join(competitors)}的差异化对比（实施周期、本地服务、总拥有成本）"
        )
    if deal is not None and deal.products:
        points.append(f"带上{deal.products[0]}的同行业案例")
    lines.append("风险：" + ("；".join(risks) if risks else "暂无"))
    lines.append("建议话术：")
    lines.extend(f"- {p}" for p in dict.fromkeys(points))
    return "\n".join(lines)


VIEW = "brief.view"


@router.command(
    "简报",
    "brief",
    summary="查看客户简报，例如 /简报 华东机械",
    usage="/简报 客户名",
    permission=VIEW,
    group="客户",
)
async def brief_command(
    ctx: Context,
    person: Person,
    command: CommandInvocation,
    catalogs: CatalogService,
    policy: AccessPolicy,
    clock: Clock,
) -> None:
    query = command.args.strip()
    if not query:
        ctx.reply(Text("请在命令后写上客户名称，例如：/简报 华东机械"))
        return
    await answer_brief(ctx, person, query, catalogs, policy, clock)


@router.request(Topic.brief, permission=VIEW)
async def brief_request(
    ctx: Context,
    person: Person,
    intent: IntentGuess,
    catalogs: CatalogService,
    policy: AccessPolicy,
    clock: Clock,
) -> object:
    """ "帮我查下恒达科技": the same brief as /简报 恒达科技."""
    if not intent.subject:
        return SKIP
    await answer_brief(ctx, person, intent.subject, catalogs, policy, clock)
    return None


async def answer_brief(
    ctx: Context,
    person: Person,
    query: str,
    catalogs: CatalogService,
    policy: AccessPolicy,
    clock: Clock,
) -> None:
    found = await find_client(query, person, catalogs=catalogs, policy=policy)
    if found.ambiguous:
        names = "、".join(found.candidates)
        example = found.candidates[0]
        ctx.reply(Text(f"找到多个客户：{names}。请写完整一些，例如 /简报 {example}"))
        return
    if found.client is None:
        ctx.reply(Text(CLIENT_NOT_VISIBLE.format(query=query)))
        return
    client = found.client
    text = await build_brief(client, config=ctx.config, directory=ctx.directory, now=clock.now())
    ctx.reply(Markdown(f"{client.name} 客户简报", text))


FEATURE = Feature(
    "brief",
    router,
    permissions=(permission(VIEW, ALL_ROLES, "查看客户简报"),),
)
