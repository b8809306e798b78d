"""A two-step approval, the smallest feature that exercises cards end to end.

"申请审批" from a rep starts it: the card goes to huang.tao, then chen.zhiyuan. Only the current
approver may act (checked against the tap's user, as the real approvals feature will do); each
decision redraws the card for everyone holding it, and the requester is told the outcome.
"""

from __future__ import annotations

from dataclasses import replace

from bot.config.org import Person
from bot.events import TextEvent
from bot.pipeline.context import Context
from bot.pipeline.router import Router
from bot.pipeline.taps import Tap, TapResult
from bot.replies import CardMessage, CardUpdate, Text
from cards.actions import CardAction
from cards.model import Button, Card, Row
from cards.store import CardStore, new_card_id

CHAIN = ("huang.tao", "chen.zhiyuan")
START = "申请审批"


class ProbeTap(CardAction, prefix="pr"):
    op: str


def _card(card_id: str, step: int, approver: Person) -> Card:
    return Card(
        id=card_id,
        title="报价审批",
        subtitle=f"第 {step + 1}/{len(CHAIN)} 步：等待 {approver.name} 审批",
        rows=(Row("客户", "华东机械"), Row("金额", "¥120,000")),
        buttons=(
            Button("同意", ProbeTap(card_id, 0, "ok").pack(), "primary"),
            Button("驳回", ProbeTap(card_id, 0, "no").pack(), "danger"),
        ),
    )


def approval_router(decisions: list[str]) -> Router:
    router = Router("approval-probe")

    def wants_start(ctx: Context) -> bool:
        return isinstance(ctx.event, TextEvent) and ctx.event.text == START

    @router.on(TextEvent, filters=(wants_start,))
    async def start(ctx: Context, person: Person | None) -> None:
        assert person is not None
        store = ctx.services.get(CardStore)
        first = ctx.directory.get(CHAIN[0])
        assert first is not None
        card = _card(new_card_id("pr"), 0, first)
        await store.create(
            card,
            kind="probe",
            owner_id=person.id,
            data={"step": 0, "requester": person.id},
            actors=[CHAIN[0]],  # only the current approver may tap (the shared tap step checks)
        )
        ctx.send_to(first, CardMessage(card.id))
        ctx.reply(Text("已提交审批"))

    @router.tap(ProbeTap, "probe.decide")
    async def tap(ctx: Context, tap: Tap[ProbeTap]) -> TapResult:
        data = tap.data
        step = int(data["step"])
        decisions.append(f"{tap.person.id}:{tap.action.op}")
        card = tap.card
        requester = ctx.directory.get(str(data["requester"]))
        assert requester is not None
        if tap.action.op == "no" or step + 1 == len(CHAIN):
            verdict = "已同意" if tap.action.op == "ok" else "已驳回"
            ctx.reply(CardUpdate(card.id))
            ctx.send_to(requester, Text(f"你的报价审批{verdict}"))
            closed = replace(card, closed=f"{verdict} · {tap.person.name}")
            return TapResult(closed, {**data, "step": len(CHAIN)}, "closed", actors=[])
        following = ctx.directory.get(CHAIN[step + 1])
        assert following is not None
        card = replace(card, subtitle=_card(card.id, step + 1, following).subtitle)
        ctx.reply(CardUpdate(card.id))
        ctx.send_to(following, CardMessage(card.id))
        return TapResult(card, {**data, "step": step + 1}, actors=[CHAIN[step + 1]])

    return router
