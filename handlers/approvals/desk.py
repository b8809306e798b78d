"""The chat side of approvals: the one card per request, who holds it, and who is told what.

Pure rules and the store decide; this module draws the card, keeps its actors (the current
approvers and their delegates) in step with the request, and queues the messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.config.approvals import Delegation
from bot.config.org import Person
from bot.directory import Directory
from bot.pipeline.context import Context
from bot.replies import CardMessage, CardUpdate, Text
from cards.model import Card
from cards.store import CardConflict, CardStore, new_card_id
from handlers.approvals.card import KIND, approval_card
from handlers.approvals.decide import Decision, Outcome
from handlers.approvals.delegation import delegates_of
from handlers.approvals.service import ApprovalService, Started
from handlers.approvals.states import Status
from handlers.approvals.view import View, load, where
from storage.models import Approval, CardInstance
from storage.status import CardStatus

SUBJECT = "approval"
STALE = "这张申请已经有了结果或已进入下一步，无需再操作。"


def possible_actors(
    approvers: Sequence[str], delegations: Sequence[Delegation], today: date
) -> list[str]:
    """Who may tap now or before the card is next redrawn: the approvers, and everyone who is or
    will be their delegate (the decision itself checks the dates)."""
    ids = dict.fromkeys(approvers)
    for d in delegations:
        if d.until >= today:
            for a in approvers:
                if d.from_ == a or d.from_ in delegates_of(a, delegations, d.since or today):
                    ids[d.to] = None
    return list(ids)


class ApprovalDesk:
    def __init__(self, service: ApprovalService, cards: CardStore, directory: Directory) -> None:
        self.service = service
        self.cards = cards
        self.directory = directory

    def name(self, person_id: str) -> str:
        person = self.directory.get(person_id)
        return person.name if person else person_id

    async def view(self, approval: Approval) -> View:
        return await load(approval, self.service.template(approval.template))

    async def instance(self, approval_id: int) -> CardInstance | None:
        return await CardInstance.filter(
            kind=KIND, subject_type=SUBJECT, subject_id=str(approval_id)
        ).first()

    async def draw(
        self, card_id: str, approval: Approval, delegations: Sequence[Delegation] | None = None
    ) -> tuple[Card, list[str], View]:
        view = await self.view(approval)
        card = approval_card(card_id, view, self.name, self.service.tz)
        current = [s.approver_id for s in view.current()]
        if delegations is None:
            delegations = await self.service.delegations()
        actors = possible_actors(current, delegations, self.service.today())
        # A requester who stands in for their own approver still may not decide (decide.py).
        return card, [a for a in actors if a != approval.requester_id], view

    # ------------------------------------------------------------------ starting
    async def started(self, ctx: Context, person: Person, started: Started) -> None:
        """Tell the requester how it went; when submitted, show the card to everyone involved."""
        if not started.submitted or started.approval_id is None:
            ctx.reply(Text(started.text))
            if started.missing is not None:
                self._tell_admins(ctx, person, started.text)
            return
        approval = await Approval.get(id=started.approval_id)
        card, actors, view = await self.draw(new_card_id("ap"), approval)
        await self.cards.create(
            card,
            kind=KIND,
            owner_id=person.id,
            data={"approval": approval.id},
            subject=(SUBJECT, str(approval.id)),
            status=CardStatus.open,
            actors=actors,
        )
        ctx.reply(
            Text(
                f"已提交{view.template.name} #{approval.id}，{where(view, self.name, self.service.tz)}。"
            ),
            CardMessage(card.id),
        )
        for pid in [*(s.approver_id for s in view.current()), *view.cc]:
            self._send(ctx, pid, CardMessage(card.id))

    def _tell_admins(self, ctx: Context, requester: Person, text: str) -> None:
        for admin in self.directory.people():
            if admin.role.value == "admin" and admin.id != requester.id:
                ctx.send_to(admin, Text(f"{requester.name} 的审批申请无法提交：{text}"))

    def _send(
        self, ctx: Context, person_id: str, *replies: CardMessage | CardUpdate | Text
    ) -> None:
        person = self.directory.get(person_id)
        if person is not None:
            ctx.send_to(person, *replies)

    # ------------------------------------------------------------------ after a change
    def announce(self, ctx: Context, decision: Decision, view: View, card_id: str) -> None:
        """The requester hears every step; the next approvers get the card."""
        a = view.approval
        name = view.template.name
        by = self.name(decision.acting_for or "") if decision.acting_for else ""
        on_behalf = f"（代 {by}）" if by else ""
        decider = self.name(
            next(
                (s.decided_by or "" for s in view.steps if s.seq == decision.seq and s.decided_by),
                "",
            )
        )
        if decision.outcome is Outcome.advanced:
            text = f"{name} #{a.id}：{decider}{on_behalf} 已同意，{where(view, self.name, self.service.tz)}。"
        elif decision.outcome is Outcome.approved:
            text = f"{name} #{a.id} 已通过 ✅（最后由 {decider}{on_behalf} 同意）。"
        else:
            reason = next(
                (s.comment for s in view.steps if s.seq == decision.seq and s.comment), ""
            )
            text = f"{name} #{a.id} 被 {decider}{on_behalf} 驳回：{reason or '未说明理由'}。可修改后重新提交。"
        self._send(ctx, a.requester_id, Text(text))
        for pid in decision.next_approvers:
            self._send(ctx, pid, CardMessage(card_id))

    async def refresh(self, ctx: Context, approval_id: int) -> CardInstance | None:
        """Redraw the request's card for everyone holding it (outside a tap: optimistic save,
        retried once when someone else redrew it meanwhile)."""
        for _ in range(3):
            instance = await self.instance(approval_id)
            if instance is None:
                return None
            approval = await Approval.get(id=approval_id)
            card, actors, _view = await self.draw(instance.id, approval)
            status = CardStatus.open if approval.status == Status.pending else CardStatus.closed
            try:
                await self.cards.save(
                    instance,
                    card,
                    CardStore.data_of(instance),
                    status if status != instance.status else None,
                    actors,
                )
            except CardConflict:
                continue
            ctx.reply(CardUpdate(instance.id))
            return instance
        return None
