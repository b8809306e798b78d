"""The guided way to a request: a draft missing fields gets a card that asks for them one by one.

``/报价`` alone (or ``/报价 华东机械`` without an amount) keeps a draft and shows its guided card
(guided_card.py). A one-tap choice (the rep's recent clients, a choice field's options) is a tap
through the shared tap step; any other field is answered by the rep's next text message while
the card waits — the way 驳回 waits for its reason: an ordinary handler of this feature that
declines with SKIP when nothing waits, so the text goes on to be a visit note. Each answer is
checked on its own first (a bad one gets the rule's message and the same question again), then
filled into the draft through the service, which checks the whole request and submits it along
its route once nothing is missing; files keep attaching as before and update the card too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.config.approvals import ApprovalTemplate, FieldType
from bot.config.org import Person
from bot.events import TextEvent
from bot.pipeline.context import Context
from bot.pipeline.router import SKIP, Router, known_user
from bot.pipeline.taps import Tap, TapResult
from bot.replies import CardMessage, CardUpdate, Text
from cards.model import Card
from cards.store import CardConflict, CardStore
from handlers.approvals import store
from handlers.approvals.clients import ambiguous_text, client_values
from handlers.approvals.desk import ApprovalDesk
from handlers.approvals.fields import Checked, check, read_value
from handlers.approvals.guided_card import (
    KIND,
    PICK,
    Ask,
    GuidedTap,
    Op,
    card_id_for,
    closed_card,
    field_choices,
    guided_card,
    next_ask,
    prompt,
)
from handlers.approvals.parse import CLIENT, parse_answer
from handlers.approvals.service import Started
from handlers.approvals.states import STATUS_LABELS, Status
from handlers.shared.access import CLIENT_NOT_VISIBLE, AccessPolicy
from handlers.shared.catalog import CatalogService
from handlers.shared.crm import find_client, recent_clients
from nlp.intent import IntentGuess, Kind, confident
from storage.models import Approval, CardInstance, Client
from storage.status import CardStatus

SUBJECT = "approval"
REPLY_HOURS = 12  # like a follow-up draft: an older card stays tappable but stops taking replies
NOTE_LENGTH = 30  # a text this long that reads as a visit note is one, not a one-line answer
CANCELLED = "已取消"


def ended(approval: Approval) -> str:
    """The greyed label of a guided card whose draft is no longer one."""
    if approval.status == Status.withdrawn:
        return STATUS_LABELS[Status.withdrawn]
    return f"已提交 #{approval.id}"


@dataclass(frozen=True)
class Drawn:
    card: Card
    data: dict[str, Any]
    checked: Checked


class GuidedDrafts:
    def __init__(self, desk: ApprovalDesk, catalogs: CatalogService, policy: AccessPolicy) -> None:
        self.desk = desk
        self.service = desk.service
        self.cards = desk.cards
        self.catalogs = catalogs
        self.policy = policy

    # ------------------------------------------------------------------ every start ends here
    async def started(
        self, ctx: Context, person: Person, started: Started, *, resend: bool = True
    ) -> None:
        """How starting or filling a request went. A draft that only lacks fields gets its guided
        card; a draft that has one keeps it up to date (``resend``: shown again at the bottom of
        the chat, else redrawn in place); anything else is told as before (desk.started)."""
        approval_id = started.approval_id
        instance = await self.cards.get(card_id_for(approval_id)) if approval_id else None
        if started.submitted and approval_id is not None:
            if instance is not None:
                await self._close(ctx, instance, f"已提交 #{approval_id}")
            await self.desk.started(ctx, person, started)
            return
        if approval_id is None or started.missing is not None:
            await self.desk.started(ctx, person, started)
            return
        draft = await Approval.get(id=approval_id)
        card_id = card_id_for(approval_id)
        if instance is None:
            drawn = await self._draw(card_id, draft, person)
            if drawn.checked.invalid or not drawn.checked.missing:
                await self.desk.started(
                    ctx, person, started
                )  # given wrong, or only files: as before
                return
            await self.cards.create(
                drawn.card,
                kind=KIND,
                owner_id=person.id,
                data=drawn.data,
                subject=(SUBJECT, str(approval_id)),
            )
            ctx.reply(CardMessage(card_id))
            return
        if not await self._redraw(ctx, card_id, person, resend=resend):
            await self.desk.started(ctx, person, started)

    async def closed(self, ctx: Context, approval_id: int, label: str) -> None:
        """The draft ended elsewhere (/撤回): its guided card, if any, is greyed."""
        instance = await self.cards.get(card_id_for(approval_id))
        if instance is not None:
            await self._close(ctx, instance, label)

    # ------------------------------------------------------------------ drawing and saving
    async def _draw(
        self,
        card_id: str,
        draft: Approval,
        person: Person,
        choices: Sequence[Sequence[str]] | None = None,
    ) -> Drawn:
        template = self.service.template(draft.template)
        attached = await store.attachment_names(draft.id)
        checked = check(template, draft.form, attached, today=self.service.today())
        ask = next_ask(template, checked, attached)
        if choices is None:
            choices = await self._choices(template, ask, person)
        data = {
            "approval": draft.id,
            "template": draft.template,
            "asking": ask.key if ask is not None else None,
            "choices": [list(c) for c in choices],
        }
        card = guided_card(card_id, template, checked, attached, ask, choices)
        return Drawn(card, data, checked)

    async def _choices(
        self, template: ApprovalTemplate, ask: Ask | None, person: Person
    ) -> list[list[str]]:
        if ask is not None and ask.key == CLIENT:
            clients = await recent_clients(person, self.policy.scope(person))
            return [[c.name, c.name] for c in clients]
        return field_choices(template, ask)

    async def _redraw(
        self,
        ctx: Context,
        card_id: str,
        person: Person,
        *,
        resend: bool = False,
        choices: Sequence[Sequence[str]] | None = None,
    ) -> bool:
        """Outside a tap: save with the optimistic check, again when someone redrew meanwhile.
        False when the card is gone or closed."""
        for _ in range(3):
            instance = await self.cards.get(card_id)
            if instance is None or instance.status != CardStatus.open:
                return False
            draft = await Approval.get(id=int(CardStore.data_of(instance)["approval"]))
            drawn = await self._draw(card_id, draft, person, choices)
            try:
                await self.cards.save(instance, drawn.card, drawn.data)
            except CardConflict:
                continue
            ctx.reply(CardMessage(card_id) if resend else CardUpdate(card_id))
            return True
        return False

    async def _close(self, ctx: Context, instance: CardInstance, label: str) -> None:
        for _ in range(3):
            if instance.status != CardStatus.open:
                return
            approval_id = int(CardStore.data_of(instance)["approval"])
            draft = await Approval.get(id=approval_id)
            template = self.service.template(draft.template)
            card = closed_card(CardStore.card_of(instance), template, approval_id, label)
            try:
                await self.cards.save(
                    instance, card, CardStore.data_of(instance), CardStatus.closed
                )
            except CardConflict:
                fresh = await self.cards.get(instance.id)
                if fresh is None:
                    return
                instance = fresh
                continue
            ctx.reply(CardUpdate(instance.id))
            return

    # ------------------------------------------------------------------ taps
    async def tapped(self, tap: Tap[GuidedTap], ctx: Context) -> TapResult | None:
        approval_id = int(tap.data["approval"])
        person, platform = tap.person, tap.event.platform
        audit: dict[str, Any] = {"op": tap.action.op.value, "approval": approval_id}
        if tap.action.op is Op.cancel and await self.service.withdraw(
            approval_id, person, platform
        ):
            return self._closing(tap, ctx, CANCELLED, audit)
        draft = await Approval.get(id=approval_id)
        if draft.status != Status.draft:  # submitted or withdrawn meanwhile: say which
            return self._closing(tap, ctx, ended(draft), audit)
        choices = tap.data.get("choices", [])
        index = tap.action.arg or (tap.event.selections.get(PICK) or [""])[0]
        if not index.isdecimal() or int(index) >= len(choices):
            ctx.reply(Text("请先在列表里选一项，再点“确定”。"))
            return None
        key, value = str(tap.data["asking"]), str(choices[int(index)][1])
        audit["field"] = key
        started = await self._fill(ctx, person, draft, key, value)
        if started is None:
            return None
        if started.submitted:
            result = self._closing(tap, ctx, f"已提交 #{approval_id}", audit)
            await self.desk.started(ctx, person, started)
            return result
        if started.missing is not None:
            await self.desk.started(ctx, person, started)  # nobody to decide: said, card kept
            return TapResult(audit=audit)
        drawn = await self._draw(tap.instance.id, await Approval.get(id=approval_id), person)
        ctx.reply(CardUpdate(tap.instance.id))
        return TapResult(card=drawn.card, data=drawn.data, audit=audit)

    async def _fill(
        self, ctx: Context, person: Person, draft: Approval, key: str, value: str
    ) -> Started | None:
        """A one-tap choice into the draft: a client (with its open deal) or a field's option."""
        platform = ctx.event.platform
        if key != CLIENT:
            return await self.service.fill(person, draft.id, {key: value}, platform=platform)
        client = await Client.get_or_none(name=value)
        if client is None or not await self.policy.sees_client(person, client):
            ctx.reply(Text(CLIENT_NOT_VISIBLE.format(query=value)))
            return None
        return await self._fill_client(person, draft, client, platform)

    async def _fill_client(
        self, person: Person, draft: Approval, client: Client, platform: str
    ) -> Started | None:
        template = self.service.template(draft.template)
        values = await client_values(template, client, person, draft.form)
        return await self.service.fill(
            person,
            draft.id,
            values.raw,
            platform=platform,
            client_id=values.client_id,
            deal_id=values.deal_id,
        )

    def _closing(
        self, tap: Tap[GuidedTap], ctx: Context, label: str, audit: dict[str, Any]
    ) -> TapResult:
        approval_id = int(tap.data["approval"])
        template = self.service.template(str(tap.data["template"]))
        ctx.reply(CardUpdate(tap.instance.id))
        card = closed_card(tap.card, template, approval_id, label)
        return TapResult(card=card, status=CardStatus.closed, audit=audit)

    # ------------------------------------------------------------------ text answers
    async def waiting(self, person_id: str) -> tuple[CardInstance, Approval] | None:
        """The rep's newest guided card that asks for a field by text, with its draft."""
        since = self.service.clock.now() - timedelta(hours=REPLY_HOURS)
        instances = (
            await CardInstance.filter(
                kind=KIND, owner_id=person_id, status=CardStatus.open, updated_at__gte=since
            )
            .order_by("-updated_at")
            .limit(5)
        )
        for instance in instances:
            data = CardStore.data_of(instance)
            if not data.get("asking"):
                continue
            draft = await Approval.get_or_none(id=int(data["approval"]))
            if draft is None:
                continue
            if draft.status == Status.draft:
                return instance, draft
            if draft.status == Status.pending and await self.desk.instance(draft.id) is None:
                # An answer submitted it, then the process died before its replies went out;
                # the inbox runs the answer again: it finishes the submission (answer()).
                return instance, draft
        return None

    async def answer(
        self,
        ctx: Context,
        person: Person,
        instance: CardInstance,
        draft: Approval,
        text: str,
        *,
        note_like: bool,
        small_talk: bool,
    ) -> object:
        """The rep's reply to the card's question; SKIP when it is not one after all ("我的报价
        批下来没" is a question, a visit note is a note, "好的谢谢" no answer to a text field)."""
        template = self.service.template(draft.template)
        if draft.status != Status.draft:  # submitted by this answer's interrupted first run
            done = Started(template, draft.id, submitted=True)
            await self.started(ctx, person, done, resend=False)
            return None
        key = str(CardStore.data_of(instance)["asking"])
        asked = template.field(key)
        if asked is None:
            return SKIP
        ask = Ask(asked.label, key)
        platform = ctx.event.platform
        if key == CLIENT:
            lookup = await find_client(text, person, catalogs=self.catalogs, policy=self.policy)
            if lookup.ambiguous:
                ctx.reply(Text(ambiguous_text(lookup.candidates, None)))
                picks = [[name, name] for name in lookup.candidates]
                await self._redraw(ctx, instance.id, person, choices=picks)
                return None
            if lookup.client is None:
                if note_like:
                    return SKIP
                ctx.reply(
                    Text(CLIENT_NOT_VISIBLE.format(query=text) + "\n" + prompt(template, ask))
                )
                return None
            started = await self._fill_client(person, draft, lookup.client, platform)
        else:
            if note_like and len(text) >= NOTE_LENGTH:
                return SKIP
            # "好的谢谢" answers no text field; other fields read their value or refuse it
            # ("5%" looks like small talk to the classifier, and is a discount).
            if small_talk and asked.type is FieldType.text:
                return SKIP
            filled: dict[str, Any] = {}
            for k, raw in parse_answer(template, asked, text).items():
                f = template.field(k)
                typed, problem = read_value(f, raw, self.service.today()) if f else (None, None)
                if typed is None and k == key and note_like:
                    return SKIP  # not an answer to the question: a visit note
                if problem:
                    ctx.reply(Text(problem + "\n" + prompt(template, ask)))
                    return None
                filled[k] = typed
            started = await self.service.fill(person, draft.id, filled, platform=platform)
        if started is None:
            return SKIP
        await self.started(ctx, person, started, resend=False)
        return None


# ---------------------------------------------------------------------- handlers
async def on_guided_tap(tap: Tap[GuidedTap], ctx: Context, guide: GuidedDrafts) -> TapResult | None:
    """A one-tap answer on a guided card, or 取消 (only the requester may tap their draft)."""
    return await guide.tapped(tap, ctx)


async def guided_reply(
    ctx: Context,
    person: Person,
    event: TextEvent,
    guide: GuidedDrafts,
    intent: IntentGuess | None,
) -> object:
    """While a guided card asks for a field, the rep's next text is the answer."""
    text = event.text.strip()
    if not text or text.startswith("/"):
        return SKIP
    if confident(intent, Kind.request):  # "我的报价批下来没" is a question, not an answer
        return SKIP
    waiting = await guide.waiting(person.id)
    if waiting is None:
        return SKIP
    instance, draft = waiting
    return await guide.answer(
        ctx,
        person,
        instance,
        draft,
        text,
        note_like=confident(intent, Kind.note),
        small_talk=confident(intent, Kind.chat),
    )


def register(router: Router, permission: str) -> None:
    """Added to the approvals router after the 驳回 reason (an approver's reason comes first);
    a tap on the guided card needs ``permission`` (submitting requests)."""
    router.tap(GuidedTap, "approvals.guided", permission=permission)(on_guided_tap)
    router.on(TextEvent, filters=(known_user,))(guided_reply)
