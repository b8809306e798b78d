"""The follow-up feature's handlers: notes in, replies to open cards, taps on the confirm card.

A text first gets a chance to answer or correct an open card (an ordinary handler that declines
with SKIP otherwise); requests are then claimed by the features that answer them; what is left
reaches ``new_note``, the explicit fallback that reads a text as a visit note — or, when the
intent is unclear, asks once. A voice note's transcript is offered to the same request stage
first; what no request claims is a visit note, without the question (see ``on_voice``).
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.clock import Clock
from bot.config.org import Person
from bot.events import TextEvent, VoiceEvent
from bot.media import MediaFetcher
from bot.pipeline.context import Context
from bot.pipeline.dispatcher import Dispatcher
from bot.pipeline.router import SKIP, Router, known_user
from bot.pipeline.taps import Tap, TapResult
from bot.replies import CardUpdate, Markdown, Text
from handlers.brief import build_brief
from handlers.followup.ask import NOT_RECORDED, Answer, NoteCheck, ask_if_note
from handlers.followup.card import FollowupTap, Op, closed_card, draft_card, edit_card
from handlers.followup.corrections import parse_correction
from handlers.followup.draft import Draft
from handlers.followup.edits import apply_choice, apply_edit
from handlers.followup.flow import NOT_A_NOTE, FollowupFlow, is_another_visit, looks_like_a_note
from handlers.followup.save import save_draft
from handlers.followup.voice import VoiceNotes, transcribe_note
from handlers.shared.access import AccessPolicy
from handlers.shared.crm import contact_names
from handlers.shared.hooks import AfterVisitSaved, SavedVisit
from nlp.intent import IntentGuess, Kind, confident
from storage.models import Client

log = logging.getLogger(__name__)
router = Router("followup")

LOG_VISIT = "followup.log"
HEARD = "识别：{text}"
CHAT_REPLY = (
    "你好！拜访完直接发语音或文字给我，我会整理成跟进记录，确认后一键保存。"
    "发送 /帮助 查看全部命令。"
)


@router.tap(FollowupTap, "followup.tap", permission=LOG_VISIT)
async def on_tap(
    tap: Tap[FollowupTap], ctx: Context, flow: FollowupFlow, clock: Clock
) -> TapResult | None:
    instance, action, person = tap.instance, tap.action, tap.person
    draft = Draft.from_dict(tap.data["draft"])
    if action.op is Op.save:
        return await _save(ctx, person, tap, draft, flow, clock)
    if action.op is Op.discard:
        card = closed_card(tap.card, "已丢弃")
        await flow.store(instance, draft, card=card, status="discarded")
        ctx.reply(CardUpdate(instance.id))
    elif action.op is Op.edit:
        contacts = await contact_names(draft.client.id) if draft.client.id is not None else []
        card = edit_card(instance.id, draft, [s.name for s in flow.config.funnel.stages], contacts)
        await flow.store(instance, draft, card=card, extra={"edit_contacts": contacts[:10]})
        ctx.reply(CardUpdate(instance.id))
    elif action.op is Op.apply:
        stages = [s.name for s in flow.config.funnel.stages]
        contacts = tap.data.get("edit_contacts", [])
        for key, pool in (("stage", stages), ("contact", contacts)):
            picked = tap.event.selections.get(key) or []
            if picked and picked[0].isdecimal() and int(picked[0]) < len(pool):
                draft.set(key, pool[int(picked[0])], "answered")
        await flow.refresh(ctx, instance, draft)
    elif action.op is Op.back:
        await flow.refresh(ctx, instance, draft)
    elif action.op is Op.pick:
        await _pick(ctx, person, tap, draft, flow)
    return TapResult(audit={"op": action.op.value})


async def _pick(
    ctx: Context, person: Person, tap: Tap[FollowupTap], draft: Draft, flow: FollowupFlow
) -> None:
    field, _, index = tap.action.arg.partition(".")
    if not index:  # submitted from a pick list
        index = (tap.event.selections.get(field) or [""])[0]
    choices = draft.choices.get(field, [])
    if not index.isdecimal() or int(index) >= len(choices):
        ctx.reply(Text("请先在列表里选一项，再点“确定”。"))
        return
    await apply_choice(flow, draft, field, choices[int(index)][1], person)
    await flow.refresh(ctx, tap.instance, draft)


async def _save(
    ctx: Context,
    person: Person,
    tap: Tap[FollowupTap],
    draft: Draft,
    flow: FollowupFlow,
    clock: Clock,
) -> TapResult:
    instance = tap.instance
    if draft.missing:
        await flow.refresh(ctx, instance, draft)  # ask for what is still missing, one at a time
        return TapResult(audit={"op": "save", "missing": draft.missing})
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
    await flow.store(
        instance, draft, card=card, status="saved", extra={"followup_id": saved.followup_id}
    )
    ctx.reply(CardUpdate(instance.id))
    client = await Client.get(id=saved.client_id)
    brief = await build_brief(client, config=flow.config, directory=ctx.directory, now=now)
    ctx.reply(Markdown(f"{client.name} 客户简报", "已保存。下次拜访前的简报：\n\n" + brief))
    hook = ctx.services.find(AfterVisitSaved)  # type: ignore[type-abstract]  # approvals: 申请审批
    if hook is not None and saved.created:
        amount = draft.value("amount")
        visit = SavedVisit(
            saved.followup_id,
            client.id,
            client.name,
            saved.deal_id,
            str(draft.value("stage")),
            float(amount) if amount is not None else None,
        )
        await hook.after_visit_saved(ctx, person, visit)
    return TapResult(audit={"op": "save", "followup": saved.followup_id})


@router.on(TextEvent, filters=(known_user,))
async def on_reply(
    ctx: Context, event: TextEvent, person: Person, flow: FollowupFlow, intent: IntentGuess | None
) -> object:
    """A correction ("金额改成35万") or an answer to the question an open card asked."""
    text = event.text.strip()
    drafts = await flow.open_drafts(person.id)
    if not drafts:
        return SKIP
    correction = parse_correction(text)
    if correction is not None:  # edits the newest card
        instance, draft = drafts[0]
        field, value = correction.field, correction.text
    else:
        asking = next(((i, d) for i, d in drafts if d.asking is not None), None)
        if asking is None or confident(intent, Kind.request):
            return SKIP
        ext = await flow.extract(text, person, event.time)
        if is_another_visit(ext, asking[1]):
            return SKIP
        instance, draft = asking
        field, value = str(draft.asking), text
    problem = await apply_edit(flow, draft, field, value, person)
    if problem:
        ctx.reply(Text(problem))
        return None
    await flow.refresh(ctx, instance, draft)
    return None


@router.fallback(TextEvent, filters=(known_user,))
async def new_note(
    ctx: Context,
    event: TextEvent,
    person: Person,
    flow: FollowupFlow,
    policy: AccessPolicy,
    intent: IntentGuess | None,
) -> None:
    """What no feature claimed: a visit note — unless it is chit-chat, or unclear (ask once)."""
    text = event.text.strip()
    if confident(intent, Kind.chat):
        ctx.reply(Text(CHAT_REPLY))
        return
    refusal = policy.refuse(person, LOG_VISIT)
    if refusal is not None:
        ctx.reply(Text(refusal.text))
        return
    ext = await flow.extract(text, person, event.time)
    if not looks_like_a_note(ext):
        ctx.reply(Text(NOT_A_NOTE))
        return
    if intent is not None and intent.kind is not Kind.note:
        await ask_if_note(ctx, person, text, flow)  # unsure: never a draft without asking
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
    dispatcher: Dispatcher,
    policy: AccessPolicy,
) -> None:
    """A question asked by voice is answered like the typed one; anything else is a visit note.

    Unlike a typed text, an unclear transcript is not asked about: recognition mishears names
    and numbers now and then (花东机械), so genuine notes would be asked about, and the question
    card would keep neither the audio nor the visit's next voice note (丢弃 costs one tap).
    Only a confident request is diverted; within the merge window it still wins, as a typed
    request wins over an open card's question.
    """
    note = await transcribe_note(ctx, event, person, flow, fetcher, voice)
    if note is None:
        return
    text, audio = note
    if await dispatcher.answer_heard(ctx, text, echo=Text(HEARD.format(text=text))):
        return
    refusal = policy.refuse(person, LOG_VISIT)
    if refusal is not None:  # as for a typed note: legal, finance and admin keep no visits
        ctx.reply(Text(refusal.text))
        return
    drafts = await flow.open_drafts(person.id)
    window = flow.config.asr.merge_window_s
    if drafts and flow.mergeable(drafts[0][1], event.time, window):
        await flow.merge(ctx, person, drafts[0][0], drafts[0][1], text, audio)
        return
    await flow.start(ctx, person, text, via="voice", audio=audio)


@router.tap(NoteCheck, "followup.note_check", permission=LOG_VISIT)
async def on_note_check(tap: Tap[NoteCheck], ctx: Context, flow: FollowupFlow) -> TapResult:
    """The answer to "这是一条拜访记录吗？": yes starts the draft, no leaves the text alone."""
    data = tap.data
    if tap.action.op is Answer.yes:
        when = datetime.fromisoformat(data["time"])
        await flow.start(ctx, tap.person, data["text"], via="text", audio=[], when=when)
        label = "已记为拜访记录"
    else:
        ctx.reply(Text(NOT_RECORDED))
        label = "不是拜访记录"
    card = closed_card(tap.card, label)
    return TapResult(card=card, status="closed", audit={"answer": tap.action.op.value})
