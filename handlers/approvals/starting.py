"""Starting a request from chat: one command per template, named in config.yaml (`command: 报价`
gives /报价), and /审批 <模板> for any template by name."""

from __future__ import annotations

import re

from bot.config.approvals import ApprovalTemplate
from bot.config.models import AppConfig
from bot.config.org import Person
from bot.pipeline.commands import CommandInvocation
from bot.pipeline.context import Context
from bot.pipeline.router import Router
from bot.replies import Text
from handlers.approvals import store
from handlers.approvals.clients import ambiguous_text, client_values
from handlers.approvals.guided import GuidedDrafts
from handlers.approvals.parse import parse_args, template_for_command
from handlers.approvals.router import GROUP, SUBMIT
from handlers.shared.access import CLIENT_NOT_VISIBLE, AccessPolicy
from handlers.shared.catalog import CatalogService
from handlers.shared.crm import find_client

EXAMPLE = re.compile(r"例如\s*(.+)$")


async def start_request(
    ctx: Context,
    person: Person,
    name: str,
    args: str,
    guide: GuidedDrafts,
    catalogs: CatalogService,
    policy: AccessPolicy,
) -> None:
    found = template_for_command(dict(ctx.config.approvals), name)
    if found is None:
        names = "、".join(t.name for t in ctx.config.approvals.values())
        ctx.reply(Text(f"没有名为“{name}”的审批模板。可用的有：{names}"))
        return
    template_id, template = found
    draft = await store.open_draft(person.id)  # sent again: fills the draft's missing fields
    same = draft is not None and draft.template == template_id
    form: dict[str, object] = dict(draft.form) if draft is not None and same else {}
    parsed = parse_args(template, args, [k for k, v in form.items() if v not in (None, "")])
    raw: dict[str, object] = dict(parsed.raw)
    client_id = deal_id = None
    query = parsed.raw.get("client")
    if query:
        lookup = await find_client(query, person, catalogs=catalogs, policy=policy)
        if lookup.ambiguous:
            ctx.reply(Text(ambiguous_text(lookup.candidates, name)))
            return
        if lookup.client is None:
            ctx.reply(Text(CLIENT_NOT_VISIBLE.format(query=query)))
            return
        # What the draft already has counts: a typed amount is not replaced by the deal's.
        values = await client_values(template, lookup.client, person, form | raw)
        raw |= values.raw
        client_id, deal_id = values.client_id, values.deal_id
    started = await guide.service.start(
        person,
        template_id,
        raw,
        platform=ctx.event.platform,
        client_id=client_id,
        deal_id=deal_id,
    )
    await guide.started(ctx, person, started)


def example(template: ApprovalTemplate) -> str:
    """What to type after the command, from the fields' hints ("例如 30万" → 30万), in order."""
    words = []
    for f in template.fields:
        m = EXAMPLE.search(f.hint or "")
        if m:
            words.append(m.group(1).strip())
    return " ".join(words) or "客户 内容"


def starters(config: AppConfig) -> list[Router]:
    """/审批 and one command per template that names one: an admin adding a template (or
    renaming its command) in config.yaml gets its chat command without touching code."""
    router = Router("approvals.start")
    for t in config.approvals.values():
        if t.command:
            shown = f"/{t.command} {example(t)}"
            _starter(router, (t.command,), f"发起{t.name}，例如 {shown}", shown, t.command)
    first = next(iter(config.approvals.values()), None)
    sample = f"/审批 {first.name} {example(first)}" if first is not None else "/审批 模板 内容"
    usage = f"/审批 模板 内容，例如 {sample}"
    _starter(router, ("审批", "approve"), f"按模板发起审批，例如 {sample}", usage, None)
    return [router]


def _starter(
    router: Router, names: tuple[str, ...], summary: str, usage: str, template: str | None
) -> None:
    """A command that starts a request of ``template`` (its command name), or — None — of the
    template its first word names (/审批 报价审批 …)."""

    @router.command(*names, summary=summary, usage=usage, permission=SUBMIT, group=GROUP)
    async def start(
        ctx: Context,
        person: Person,
        command: CommandInvocation,
        guide: GuidedDrafts,
        catalogs: CatalogService,
        policy: AccessPolicy,
    ) -> None:
        if template is not None:
            name, args = template, command.args
        else:
            name, _, args = command.args.strip().partition(" ")
        await start_request(ctx, person, name, args, guide, catalogs, policy)

    start.__qualname__ = f"start_{names[0]}"
