"""The follow-up feature's handlers: notes in, taps on the confirm card."""

from __future__ import annotations

import logging

from bot.clock import Clock
from bot.config.org import Person
from bot.events import CardActionEvent, TextEvent, VoiceEvent
from bot.media import MediaFetcher
from bot.pipeline.context import Context
from bot.pipeline.router import Router, known_user
from bot.replies import CardUpdate, Markdown, Text
from cards.payload import CardPayload
from cards.store import CardStore
from handlers.brief import build_brief
from handlers.followup.card import PREFIX, closed_card, draft_card, edit_card
from handlers.followup.corrections import parse_correction
from handlers.followup.draft import Draft
from handlers.followup.edits import apply_choice, apply_edit
from handlers.followup.flow import (
    DRAFT,
    NOT_A_NOTE,
    FollowupFlow,
    is_another_visit,
    looks_like_a_note,
)
from handlers.followup.save import save_draft
from handlers.followup.voice import VoiceNotes, transcribe_note
from storage.models import CardInstance, Client, Contact

log = logging.getLogger(__name__)
router = Router("followup")

NOT_YOURS = "这张卡片属于别人，你不能操作。"
ALREADY = {"saved": "这条记录已保存。", "discarded": "这条记录已丢弃。"}


@router.card(PREFIX)
async def on_tap(
    ctx: Context, event: CardActionEvent, person: Person | None, flow: FollowupFlow, clock: Clock
) -> None:
    tap = CardPayload.unpack(event.payload)
    instance = await CardInstance.get_or_none(id=tap.card_id) if tap else None
    if tap is None or instance is None:
        ctx.reply(Text("这张卡片已失效，请重新发送拜访记录。"))
        return
    if person is None or instance.owner_id != person.id:
        ctx.reply(Text(NOT_YOURS))
        return
    if instance.status != DRAFT:
        if tap.action not in ("save", "discard"):  # a second tap on 保存/丢弃 does nothing twice
            ctx.reply(Text(ALREADY.get(instance.status, "这张卡片已关闭。")))
        return
    draft = Draft.from_dict(CardStore.data_of(instance)["draft"])
    if tap.action == "save":
        await _save(ctx, person, instance, draft, flow, clock)
    elif tap.action == "discard":
        card = closed_card(CardStore.card_of(instance), "已丢弃")
        await flow.store(instance, draft, card=card, status="discarded")
        ctx.reply(CardUpdate(instance.id))
    elif tap.action == "edit":
        await _edit(ctx, instance, draft, flow)
    elif tap.action == "apply":
        stages = [s.name for s in flow.config.funnel.stages]
        contacts = CardStore.data_of(instance).get("edit_contacts", [])
        for key, pool in (("stage", stages), ("contact", contacts)):
            picked = event.selections.get(key) or []
            if picked and picked[0].isdigit() and int(picked[0]) < len(pool):
                draft.set(key, pool[int(picked[0])], "answered")
        await flow.refresh(ctx, instance, draft)
    elif tap.action == "back":
        await flow.refresh(ctx, instance, draft)
    elif tap.action == "pick":
        await _pick(ctx, person, instance, draft, flow, tap.arg, event)


async def _pick(
    ctx: Context,
    person: Person,
    instance: CardInstance,
    draft: Draft,
    flow: FollowupFlow,
    arg: str,
    event: CardActionEvent,
) -> None:
    field, _, index = arg.partition(".")
    if not index:  # submitted from a pick list
        index = (event.selections.get(field) or [""])[0]
    choices = draft.choices.get(field, [])
    if not index.isdigit() or int(index) >= len(choices):
        ctx.reply(Text("请先在列表里选一项，再点“确定”。"))
        return
    await apply_choice(flow, draft, field, choices[int(index)][1], person)
    await flow.refresh(ctx, instance, draft)


async def _edit(ctx: Context, instance: CardInstance, draft: Draft, flow: FollowupFlow) -> None:
    stages = [s.name for s in flow.config.funnel.stages]
    contacts: list[str] = []
    if draft.client.id is not None:
        contacts = [
            c.name
            for c in await Contact.filter(client_id=draft.client.id, valid=True).order_by("id")
        ]
    card = edit_card(instance.id, draft, stages, contacts)
    await flow.store(instance, draft, card=card, extra={"edit_contacts": contacts[:10]})
    ctx.reply(CardUpdate(instance.id))


async def _save(
    ctx: Context,
    person: Person,
    instance: CardInstance,
    draft: Draft,
    flow: FollowupFlow,
    clock: Clock,
) -> None:
    if draft.missing:
        await flow.refresh(ctx, instance, draft)  # ask for what is still missing, one at a time
        return
    now = clock.now()
    saved = await save_draft(
        flow.db,
        instance,
        draft,
        rep=person,
        directory=ctx.directory,
        funnel=flow.config.funnel,
        now=now,
        tz=flow.tz,
    )
    local = now.astimezone(flow.tz)
    card = closed_card(draft_card(instance.id, draft), f"已保存 · {person.name} · {local:%H:%M}")
    fresh = await CardInstance.get(id=instance.id)
    await flow.store(fresh, draft, card=card, extra={"followup_id": saved.followup_id})
    ctx.reply(CardUpdate(instance.id))
    client = await Client.get(id=saved.client_id)
    brief = await build_brief(client, config=flow.config, directory=ctx.directory, now=now)
    ctx.reply(Markdown(f"{client.name} 客户简报", "已保存。下次拜访前的简报：\n\n" + brief))


@router.on(TextEvent, filters=(known_user,))
async def on_text(ctx: Context, event: TextEvent, person: Person, flow: FollowupFlow) -> None:
    text = event.text.strip()
    drafts = await flow.open_drafts(person.id)
    correction = parse_correction(text)
    ext = None
    target: tuple[CardInstance, Draft, str, str] | None = None
    if correction is not None and drafts:  # "金额改成35万" edits the newest card
        target = (*drafts[0], correction.field, correction.text)
    elif correction is None:
        asking = next(((i, d) for i, d in drafts if d.asking is not None), None)
        if asking is not None:  # a plain reply answers the card that asked a question
            ext = await flow.extract(text, person, event.time)
            if not is_another_visit(ext, asking[1]):
                target = (*asking, str(asking[1].asking), text)
    if target is not None:
        instance, draft, field, value = target
        problem = await apply_edit(flow, draft, field, value, person)
        if problem:
            ctx.reply(Text(problem))
            return
        await flow.refresh(ctx, instance, draft)
        return
    ext = ext or await flow.extract(text, person, event.time)
    if not looks_like_a_note(ext):
        ctx.reply(Text(NOT_A_NOTE))
        return
    await flow.start(ctx, person, text, via="text", audio=[], ext=ext)


@router.on(VoiceEvent, filters=(known_user,))
async def on_voice(
    ctx: Context,
    event: VoiceEvent,
    person: Person,
    flow: FollowupFlow,
    fetcher: MediaFetcher,
    voice: VoiceNotes,
) -> None:
    note = await transcribe_note(ctx, event, person, flow, fetcher, voice)
    if note is None:
        return
    text, audio = note
    drafts = await flow.open_drafts(person.id)
    window = flow.config.asr.merge_window_s
    if drafts and flow.mergeable(drafts[0][1], event.time, window):
        await flow.merge(ctx, person, drafts[0][0], drafts[0][1], text, audio)
        return
    await flow.start(ctx, person, text, via="voice", audio=audio)
