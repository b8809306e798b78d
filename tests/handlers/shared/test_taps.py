"""The shared tap step, through the real pipeline on SQLite and PostgreSQL.

A small any-of decision card (李娜 or 张伟 may decide) exercises every branch: stale drawing,
closed card, someone else's tap (refused and audited), and two people tapping at once.
"""

from __future__ import annotations

import asyncio

import pytest

from bot.app import create_app
from bot.clock import ManualClock
from bot.config.org import Role
from bot.events import TextEvent
from bot.feature import Feature, permission
from bot.pipeline.context import Context
from bot.pipeline.router import Router
from bot.pipeline.taps import Tap, TapResult
from bot.replies import CardMessage, CardUpdate, Text
from cards.actions import CardAction
from cards.model import Button, Card
from cards.store import CardConflict, CardStore
from handlers.shared.access import CARD_STALE, CARD_TAKEN
from storage.models import AuditLog, CardInstance
from tests.support.crm import NOW
from tests.support.harness import Harness, build_harness, make_config

DECIDERS = ["li.na", "zhang.wei"]
DECIDE = "probe.decide"
# Reps and supervisors may decide such cards; the card then says which of them.
MAY_DECIDE = permission(DECIDE, [Role.rep, Role.supervisor], "决定样品寄送")


class Decide(CardAction, prefix="tdc"):
    op: str


def decision_card(card_id: str, note: str = "") -> Card:
    return Card(
        card_id,
        "样品寄送",
        "李娜或张伟任一人决定",
        note=note,
        buttons=(
            Button("同意", Decide(card_id, 0, "ok").pack(), "primary"),
            Button("备注", Decide(card_id, 0, "note").pack()),
        ),
    )


def decision_router(decisions: list[str]) -> Router:
    router = Router("decide")

    @router.on(TextEvent)
    async def start(ctx: Context, cards: CardStore) -> None:
        card = decision_card("tdc-1")
        await cards.create(card, kind="probe", owner_id="zhou.jie", data={}, actors=DECIDERS)
        ctx.reply(CardMessage(card.id))

    @router.tap(Decide, "probe.decide", permission=DECIDE)
    async def decide(ctx: Context, tap: Tap[Decide]) -> TapResult:
        if tap.action.op == "note":
            ctx.reply(CardUpdate(tap.card.id))
            return TapResult(decision_card(tap.card.id, f"{tap.person.name}看过"))
        decisions.append(tap.person.id)
        ctx.reply(Text(f"{tap.person.name}已同意"), CardUpdate(tap.card.id))
        closed = Card.from_dict({**tap.card.to_dict(), "closed": f"已同意 · {tap.person.name}"})
        return TapResult(closed, status="closed", actors=[], audit={"decision": "ok"})

    return router


@pytest.fixture
async def make_bot(db_url: str, aiohttp_client):  # type: ignore[no-untyped-def]
    async def make(decisions: list[str]) -> Harness:
        h = build_harness(
            make_config(db_url, workers=4),
            features=[Feature("decide", decision_router(decisions), (MAY_DECIDE,))],
            clock=ManualClock(NOW),
        )
        h.client = await aiohttp_client(create_app(h.runtime.config, runtime=h.runtime))
        await h.say("zhou.jie", "开始")
        await h.next_sent()
        return h

    yield make


async def button(label: str) -> str:
    card = CardStore.card_of(await CardInstance.get(id="tdc-1"))
    return next(b.payload for b in card.buttons if b.text == label)


async def test_a_tap_on_an_old_drawing_is_refused_and_shown_the_card_as_it_is(make_bot) -> None:
    decisions: list[str] = []
    bot = await make_bot(decisions)
    old_ok = await button("同意")  # drawn at version 1
    await bot.tap("li.na", "tdc-1", "备注")  # the card changes: version 2
    await bot.next_sent()
    assert (await CardInstance.get(id="tdc-1")).version == 2
    await bot.tap_payload("zhang.wei", old_ok)
    note, redraw = await bot.next_sent(2)
    assert isinstance(note.reply, Text) and note.reply.text == CARD_STALE
    assert isinstance(redraw.reply, CardUpdate) and redraw.card["note"] == "李娜看过"
    assert decisions == []
    assert (await CardInstance.get(id="tdc-1")).status == "open"


async def test_a_closed_card_takes_no_more_decisions(make_bot) -> None:
    decisions: list[str] = []
    bot = await make_bot(decisions)
    await bot.tap("li.na", "tdc-1", "同意")
    await bot.next_sent(2)
    await bot.tap("zhang.wei", "tdc-1", "同意")  # the button as drawn on the closed card
    note, redraw = await bot.next_sent(2)
    assert (
        isinstance(note.reply, Text)
        and note.reply.text == "这张卡片已处理（已同意 · 李娜），不能再操作。"
    )
    assert isinstance(redraw.reply, CardUpdate)
    assert decisions == ["li.na"]


async def test_someone_else_is_refused_audited_and_changes_nothing(make_bot) -> None:
    decisions: list[str] = []
    bot = await make_bot(decisions)
    await bot.tap("wu.fang", "tdc-1", "同意")
    (refused,) = await bot.next_sent()
    assert isinstance(refused.reply, Text)
    assert refused.reply.text == "这张卡片需要由李娜、张伟处理，你不能操作。"
    instance = await CardInstance.get(id="tdc-1")
    assert instance.version == 1 and instance.status == "open" and decisions == []
    audit = await AuditLog.get(action="card.refused")
    assert audit.actor == "wu.fang" and audit.subject_id == "tdc-1"
    assert audit.details["platform"] == "test" and audit.details["tap"] == "probe.decide"


async def test_a_role_without_the_permission_is_refused_even_when_listed(make_bot) -> None:
    """The role is checked like a command's, before the card's actors: 徐晴 (legal) is listed on
    the card, yet her role may not decide such cards."""
    decisions: list[str] = []
    bot = await make_bot(decisions)
    instance = await CardInstance.get(id="tdc-1")
    await bot.runtime.cards.save(
        instance, CardStore.card_of(instance), {}, actors=[*DECIDERS, "xu.qing"]
    )
    await bot.tap("xu.qing", "tdc-1", "同意")
    (refused,) = await bot.next_sent()
    assert refused.reply == Text(
        "你的角色（法务）不能决定样品寄送。发送 /帮助 查看你可以使用的命令。"
    )
    after = await CardInstance.get(id="tdc-1")
    assert (after.version, after.status, decisions) == (2, "open", [])
    audit = await AuditLog.get(action="card.refused")
    assert (audit.actor, audit.subject_id) == ("xu.qing", "tdc-1")
    assert audit.details["permission"] == DECIDE and audit.details["tap"] == "probe.decide"


async def test_a_decision_is_audited_with_who_when_and_platform(make_bot) -> None:
    decisions: list[str] = []
    bot = await make_bot(decisions)
    await bot.tap("zhang.wei", "tdc-1", "同意")
    await bot.next_sent(2)
    audit = await AuditLog.get(action="probe.decide")
    assert audit.actor == "zhang.wei" and audit.at == bot.runtime.clock.now()
    assert audit.details["platform"] == "test" and audit.details["decision"] == "ok"
    assert (audit.details["from_version"], audit.details["to_version"]) == (1, 2)
    assert CardStore.actors_of(await CardInstance.get(id="tdc-1")) == []


class Rendezvous:
    """The tap step's card store, holding each tap after it loaded the card until ``parties``
    taps have: both then pass the open-and-current checks on the same version before either
    locks, so the loser always meets the lock's version check — no timing involved."""

    def __init__(self, cards: CardStore, parties: int) -> None:
        self.cards = cards
        self.parties = parties
        self.arrived = 0
        self.all_in = asyncio.Event()

    async def get(self, card_id: str) -> CardInstance | None:
        instance = await self.cards.get(card_id)
        self.arrived += 1
        if self.arrived >= self.parties:
            self.all_in.set()
        await asyncio.wait_for(self.all_in.wait(), 10)
        return instance

    def __getattr__(self, name: str) -> object:
        return getattr(self.cards, name)


async def test_two_deciders_tapping_at_once_give_exactly_one_decision(make_bot) -> None:
    from handlers.shared.taps import SharedTapStep

    decisions: list[str] = []
    bot = await make_bot(decisions)
    step = bot.runtime.services.get(SharedTapStep)
    step.cards = Rendezvous(step.cards, parties=2)  # type: ignore[assignment]
    ok = await button("同意")
    await asyncio.gather(bot.tap_payload("li.na", ok), bot.tap_payload("zhang.wei", ok))
    sent = await bot.next_sent(4)
    assert len(decisions) == 1
    winner = {"li.na": "李娜", "zhang.wei": "张伟"}[decisions[0]]
    loser = next(p for p in DECIDERS if p != decisions[0])
    to_loser = [m.reply for m in sent if m.recipient == loser]
    assert to_loser == [Text(CARD_TAKEN), CardUpdate("tdc-1")]
    to_winner = [m.reply for m in sent if m.recipient == decisions[0]]
    assert to_winner == [Text(f"{winner}已同意"), CardUpdate("tdc-1")]
    instance = await CardInstance.get(id="tdc-1")
    assert (
        instance.status == "closed" and CardStore.card_of(instance).closed == f"已同意 · {winner}"
    )
    assert await AuditLog.filter(action="probe.decide").count() == 1


async def test_the_lock_refuses_a_version_that_moved_on(make_bot) -> None:
    from handlers.shared.taps import SharedTapStep

    bot = await make_bot([])
    step = bot.runtime.services.get(SharedTapStep)
    instance = await CardInstance.get(id="tdc-1")
    stale_copy = await CardInstance.get(id="tdc-1")
    async with bot.runtime.db.transaction():
        assert await step._lock("tdc-1", 1) is not None
    await bot.runtime.cards.save(instance, decision_card("tdc-1", "改过"), {})
    async with bot.runtime.db.transaction():
        assert await step._lock("tdc-1", 1) is None  # the tap drawn at v1 loses
        assert await step._lock("tdc-1", 2) is not None
    with pytest.raises(CardConflict):
        await bot.runtime.cards.save(stale_copy, decision_card("tdc-1"), {})  # read at v1
