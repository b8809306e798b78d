"""The role × action matrix through the real bot, on SQLite and PostgreSQL.

Every person of config.yaml's org, a stranger and another org's member try every chat command
the dispatcher knows, tap every kind of card action the action registry knows and ask, in plain
words, what each feature answering plain words answers. The expected outcome of each cell is
written by hand in tests/security/matrix_table.py: a command, card or request-answering feature
the table has no row for fails the walk. A refusal is the one text from handlers/shared/access.py
and changes nothing in the database; an allowed answer covers the asker's scope and no more;
every message the bot sends on the way is Chinese. One bot per database, cells in a loop.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

import pytest

from bot.app import build_runtime
from bot.channels.testing import SentMessage
from bot.clock import ManualClock
from bot.config.org import ROLE_LABELS
from bot.pipeline.dispatcher import UNKNOWN_COMMAND
from bot.replies import CardMessage, CardUpdate, File, Image, Markdown, Reply, Text
from cards.actions import split
from cards.store import CardStore
from handlers.approvals.decide import Outcome
from handlers.approvals.service import ApprovalService
from handlers.followup.ask import NOT_RECORDED
from handlers.shared.access import NOT_ALLOWED, NOT_YOUR_CARD, UNKNOWN_USER
from storage.models import (
    Approval,
    ApprovalStep,
    AuditLog,
    CardInstance,
    FollowUp,
    Task,
)
from tests.security.matrix_checks import CHECKS, Walk, seed_scopes, state
from tests.security.matrix_table import (
    COMMANDS,
    EVERYONE,
    LOGS_VISITS,
    NAMES,
    OUTSIDERS,
    REQUESTS,
    ROLES,
    TAPS,
    Cell,
)
from tests.support.crm import NOW
from tests.support.harness import Harness, make_config, start_harness
from tests.support.jobs import run_slot
from tests.support.waiting import eventually

# Answers that only read what the asker may see (and /回款, which writes its own row): everyone
# allowed asks at once. The rest change what later answers show, so people take turns.
AT_ONCE = frozenset(
    {
        "help",
        "brief",
        "funnel",
        "person",
        "covers",
        "ranking",
        "stalled",
        "export",
        "own_incentives",
        "team",
        "own_tasks",
        "payment",
        "orgsync",
        "status",
    }
)
NOTE = "今天拜访了南方纺织陈总，聊了仓储系统，下周二前发方案"
CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(r"Traceback|Error|Exception|\bNone\b|[A-Za-z]+ [A-Za-z]+ [A-Za-z]+")


def test_the_table_has_a_row_for_every_command_card_action_and_person(sqlite_url: str) -> None:
    runtime = build_runtime(make_config(sqlite_url))
    dispatcher = runtime.dispatcher
    assert {s.name for s in dispatcher.commands.specs} == {c.command for c in COMMANDS}
    assert dispatcher.actions.prefixes == set(TAPS)
    claims = [claim for router in dispatcher.routers for claim in router.requests]
    unasked = [c.handler.name for c in claims if not any(a.topic in c.topics for a in REQUESTS)]
    assert unasked == [], "no row in tests/security/matrix_table.py REQUESTS for these"
    assert {p.id: p.role for p in runtime.config.people} == ROLES
    assert {p.id: p.name for p in runtime.config.people} == NAMES


# ---------------------------------------------------------------------- driving the bot
async def settle(bot: Harness, start: int) -> None:
    """Until every event is handled and every reply delivered; a handler that raised fails."""
    db = bot.runtime.db

    async def idle() -> bool:
        rows = await db.fetch("SELECT status, error FROM inbox WHERE status IN (0, 1)")
        failed = [r["error"] for r in rows if r["error"]]  # retried later: the clock stands still
        assert not failed, failed
        if rows:
            return False
        left = await db.fetch("SELECT COUNT(*) AS n FROM outbox WHERE status IN (0, 1)")
        return int(left[0]["n"]) == 0

    # Every cell answers someone: wait for the first message, then for the queues to drain.
    await asyncio.wait_for(bot.channel.wait_for(start + 1), 20)
    await eventually(idle, every=0.002)


def readable(m: SentMessage) -> str:
    r = m.reply
    if isinstance(r, Text):
        return r.text
    if isinstance(r, Markdown):
        return f"{r.title}\n{r.text}"
    if isinstance(r, CardMessage | CardUpdate):
        card = m.card or {}
        rows = " ".join(f"{x['label']} {x['value']}" for x in card.get("rows", ()))
        return " ".join(
            [card.get("title", ""), card.get("subtitle", ""), card.get("note", ""), rows]
        )
    if isinstance(r, Image):
        return r.caption
    assert isinstance(r, File), r
    return r.filename


async def act(bot: Harness, action: Awaitable[Any], start: int | None = None) -> list[SentMessage]:
    """Run one cell; what the bot sent for it, each message checked to be Chinese."""
    start = len(bot.channel.sent) if start is None else start
    await action
    await settle(bot, start)
    sent = bot.channel.sent[start:]
    for m in sent:
        text = readable(m)
        assert CJK.search(text) and not ENGLISH.search(text), (m.recipient, text)
    return sent


def to(sent: list[SentMessage], who: str) -> list[Reply]:
    return [m.reply for m in sent if m.recipient == who]


def refusal(viewer: str, what: str) -> Text:
    if viewer in OUTSIDERS:
        return Text(UNKNOWN_USER.format(platform="test", user=viewer))
    return Text(NOT_ALLOWED.format(role=ROLE_LABELS[ROLES[viewer]], what=what))


Refusal = tuple[str, Callable[[], Awaitable[Any]], Text]  # who, what they send, the answer


async def refused(bot: Harness, cells: list[Refusal]) -> None:
    """Refused cells, sent all at once (the bot handles each person's messages in order): each
    gets its one refusal text, to the asker only, and together they change nothing."""
    before = await state(bot)
    start = len(bot.channel.sent)
    for _viewer, send, _expected in cells:
        await send()
    await asyncio.wait_for(bot.channel.wait_for(start + len(cells)), 60)
    sent = await act(bot, asyncio.sleep(0), start)
    for viewer in dict.fromkeys(v for v, _, _ in cells):
        expected = [answer for v, _, answer in cells if v == viewer]
        assert to(sent, viewer) == expected, viewer
    assert len(sent) == len(cells)
    assert await state(bot) == before


# ---------------------------------------------------------------------- the world
@pytest.fixture
async def bot(db_url: str, aiohttp_client) -> Harness:  # type: ignore[no-untyped-def]
    harness = await start_harness(
        make_config(db_url), aiohttp_client, clock=ManualClock(NOW), world=True
    )
    await seed_scopes()
    return harness


# ---------------------------------------------------------------------- card actions
def card_of(sent: list[SentMessage], who: str) -> str:
    return next(r.card_id for r in to(sent, who) if isinstance(r, CardMessage))


async def others_tap(bot: Harness, card_id: str, allowed: set[str], who: str) -> int:
    """Everyone but ``allowed`` taps every button: refused, audited, nothing changes. A role that
    may never make such a tap is told so; a role that may, that the card is someone else's."""
    instance = await CardInstance.get(id=card_id)
    buttons = [b.text for b in CardStore.card_of(instance).buttons]
    assert buttons
    packed = split(CardStore.card_of(instance).buttons[0].payload)
    assert packed is not None
    kind = TAPS[packed[0]]
    others = [v for v in [*EVERYONE, *OUTSIDERS] if v not in allowed]
    cells: list[Refusal] = []
    for viewer in others:
        answer = Text(NOT_YOUR_CARD.format(who=who))
        if viewer in OUTSIDERS or ROLES[viewer] not in kind.roles:
            answer = refusal(viewer, kind.what)
        for button in buttons:
            cells.append((viewer, partial(bot.tap, viewer, card_id, button), answer))
    await refused(bot, cells)
    for viewer in others:
        actor = f"test:{viewer}" if viewer in OUTSIDERS else viewer
        logged = AuditLog.filter(action="card.refused", actor=actor, subject_id=card_id)
        assert await logged.count() == len(buttons), viewer
    return len(cells)


async def the_card_actions(bot: Harness) -> dict[str, int]:
    """Each kind of card: everyone else is refused; then whoever may tap it does, and it works."""
    cells: dict[str, int] = {}
    sent = await act(
        bot, bot.say("zhang.wei", "今天拜访了华东机械王经理，报价35万，下周三前发合同")
    )
    draft = card_of(sent, "zhang.wei")
    cells["fu"] = await others_tap(bot, draft, {"zhang.wei"}, "张伟")
    sent = await act(bot, bot.tap("zhang.wei", draft, "保存"))
    assert (await CardInstance.get(id=draft)).status == "saved"
    assert await FollowUp.filter(rep_id="zhang.wei", raw_text__contains="王经理").count() == 2

    offer = card_of(sent, "zhang.wei")  # 需要发起审批吗？ after the saved visit
    cells["ao"] = await others_tap(bot, offer, {"zhang.wei"}, "张伟")
    await act(bot, bot.tap("zhang.wei", offer, "暂不需要"))
    assert (await CardInstance.get(id=offer)).status == "closed"
    assert not await Approval.exists()

    sent = await act(bot, bot.say("zhang.wei", "金桥物流"))
    question = card_of(sent, "zhang.wei")  # 这是一条拜访记录吗？
    cells["nq"] = await others_tap(bot, question, {"zhang.wei"}, "张伟")
    sent = await act(bot, bot.tap("zhang.wei", question, "不是"))
    assert Text(NOT_RECORDED) in to(sent, "zhang.wei")

    task = await Task.create(
        kind="next_action", assignee_id="zhang.wei", title="给王经理回电话", due_at=NOW
    )

    async def remind() -> None:
        await run_slot(bot, "reminders", NOW)
        await run_slot(bot, "deliver", NOW)

    reminder = card_of(await act(bot, remind()), "zhang.wei")
    cells["rm"] = await others_tap(bot, reminder, {"zhang.wei"}, "张伟")
    await act(bot, bot.tap("zhang.wei", reminder, "完成"))
    assert (await Task.get(id=task.id)).status == "done"

    sent = await act(bot, bot.say("zhang.wei", "/样品"))  # nothing given: the guided card asks
    guided = card_of(sent, "zhang.wei")
    cells["ag"] = await others_tap(bot, guided, {"zhang.wei"}, "张伟")
    await act(bot, bot.tap("zhang.wei", guided, "取消"))
    assert (await CardInstance.get(id=guided)).status == "closed"
    assert await Approval.filter(requester_id="zhang.wei", status="withdrawn").count() == 1

    cells["ap"] = await approval_taps(bot)
    return cells


async def approval_taps(bot: Harness) -> int:
    """同意 / 驳回: only the current approver (赵磊) or his delegate (孙梅); never the requester,
    not even when 赵磊 made him a delegate too."""
    await act(bot, bot.say("zhao.lei", "/委托 孙梅 至 12月5日"))
    first = card_of(await act(bot, bot.say("zhang.wei", "/样品 华东机械 样机一台")), "zhao.lei")
    second = card_of(await act(bot, bot.say("zhang.wei", "/技术支持 华东机械 调试")), "zhao.lei")
    cells = await others_tap(bot, first, {"zhao.lei", "sun.mei"}, "赵磊、孙梅")

    await act(bot, bot.tap("sun.mei", first, "同意"))
    approval = await Approval.get(
        id=CardStore.data_of(await CardInstance.get(id=first))["approval"]
    )
    assert approval.status == "approved"
    step = await ApprovalStep.get(approval_id=approval.id, kind="approve")
    assert (step.approver_id, step.decided_by) == ("zhao.lei", "sun.mei")

    await act(bot, bot.tap("zhao.lei", second, "驳回"))
    sent = await act(bot, bot.say("zhao.lei", "1"))
    rejected = await Approval.get(
        id=CardStore.data_of(await CardInstance.get(id=second))["approval"]
    )
    assert rejected.status == "rejected" and to(sent, "zhao.lei")[-1] == Text(
        f"已驳回 #{rejected.id}。"
    )

    await act(bot, bot.say("zhao.lei", "/委托 张伟 至 12月5日"))
    own = card_of(await act(bot, bot.say("zhang.wei", "/样品 华东机械 样机二台")), "zhao.lei")
    expected = Text(NOT_YOUR_CARD.format(who="赵磊、孙梅"))
    await refused(
        bot,
        [("zhang.wei", partial(bot.tap, "zhang.wei", own, b), expected) for b in ("同意", "驳回")],
    )
    cells += 2
    # Below the card, the decision itself refuses him too (were a card ever to list him).
    mine = await Approval.get(id=CardStore.data_of(await CardInstance.get(id=own))["approval"])
    zhang = bot.runtime.directory.get("zhang.wei")
    assert zhang is not None
    service = bot.runtime.services.get(ApprovalService)
    decision = await service.decide(
        mine, seq=1, person=zhang, approve=True, comment=None, platform="test"
    )
    assert decision.outcome is Outcome.refused
    assert (await Approval.get(id=mine.id)).status == "pending"
    sent = await act(bot, bot.say("zhang.wei", "/待审批"))
    assert to(sent, "zhang.wei") == [Text("目前没有等你审批的申请。")]
    return cells


async def the_commands(bot: Harness) -> int:
    """Every person × every command of the dispatcher's table, plus a visit note (text and
    voice) and an unknown command: first every refusal at once; then the answers that only read,
    each command asked by everyone allowed at once; then the rest one by one (they change what
    later answers show, and each is checked against the database as it is)."""
    specs = bot.runtime.dispatcher.commands.specs
    missing = {s.name for s in specs} - {c.command for c in COMMANDS}
    assert not missing, f"no row in tests/security/matrix_table.py for {missing}"
    rows = [c for spec in specs for c in COMMANDS if c.command == spec.name]
    people = [*EVERYONE, *OUTSIDERS]
    cells: list[Refusal] = []
    for viewer in people:
        role = ROLES.get(viewer)  # None: not in the organisation
        for cell in (c for c in rows if role not in c.roles):
            text = command(cell, viewer)
            cells.append(
                (viewer, partial(bot.say, viewer, text), refusal(viewer, f"使用 /{cell.command}"))
            )
        if role not in LOGS_VISITS:
            for note in (bot.say, partial(spoken, bot)):
                cells.append((viewer, partial(note, viewer, NOTE), refusal(viewer, "记录拜访")))
        unknown = Text(UNKNOWN_COMMAND.format(name="不存在")) if role else refusal(viewer, "")
        cells.append((viewer, partial(bot.say, viewer, "/不存在"), unknown))
    await refused(bot, cells)

    for cell in (c for c in rows if c.answer in AT_ONCE):  # everyone allowed asks at once
        askers = [v for v in EVERYONE if ROLES[v] in cell.roles]
        start = len(bot.channel.sent)
        for viewer in askers:
            await bot.say(viewer, command(cell, viewer))
        sent = await act(bot, asyncio.sleep(0), start)
        for viewer in askers:
            assert to(sent, viewer), (viewer, cell)
            await CHECKS[cell.answer](Walk(bot, viewer, to(sent, viewer), []))
    for viewer in EVERYONE:
        role = ROLES[viewer]
        for cell in (c for c in rows if role in c.roles and c.answer not in AT_ONCE):
            before = await state(bot) if cell.answer == "client" else []
            replies = to(await act(bot, bot.say(viewer, command(cell, viewer))), viewer)
            assert replies, (viewer, cell)
            await CHECKS[cell.answer](Walk(bot, viewer, replies, before))
        if role in LOGS_VISITS:
            for note in (bot.say, partial(spoken, bot)):
                sent = await act(bot, note(viewer, NOTE))
                cards = [m.card["title"] for m in sent if m.card is not None]
                assert cards == ["拜访记录确认"], (viewer, sent)
    return len(people) * (len(rows) + 3)


async def the_requests(bot: Harness) -> int:
    """Every person asks each feature in plain words: a role without the feature's permission
    gets the one refusal (never a visit-note draft), the others an answer inside their scope."""
    people = [*EVERYONE, *OUTSIDERS]
    cells: list[Refusal] = [
        (viewer, partial(bot.say, viewer, ask.text), refusal(viewer, ask.what))
        for viewer in people
        for ask in REQUESTS
        if ROLES.get(viewer) not in ask.roles
    ]
    assert {v for v, _, _ in cells} >= {"xu.qing", "ma.jun", *OUTSIDERS}
    await refused(bot, cells)
    for ask in REQUESTS:  # each only reads: everyone allowed asks at once
        askers = [v for v in EVERYONE if ROLES[v] in ask.roles]
        start = len(bot.channel.sent)
        for viewer in askers:
            await bot.say(viewer, ask.text)
        sent = await act(bot, asyncio.sleep(0), start)
        for viewer in askers:
            assert to(sent, viewer), (viewer, ask)
            await CHECKS[ask.answer](Walk(bot, viewer, to(sent, viewer), []))
    return len(people) * len(REQUESTS)


async def spoken(bot: Harness, who: str, heard: str) -> bool:
    """A voice note the platform already transcribed (DingTalk): nothing to download or hear."""
    return await bot.voice(who, heard=heard)


def command(cell: Cell, viewer: str) -> str:
    return f"/{cell.command} {cell.args.format(viewer=viewer)}".strip()


async def test_every_person_every_command_and_card_action(bot: Harness) -> None:
    taps = await the_card_actions(bot)
    assert set(taps) == bot.runtime.dispatcher.actions.prefixes  # a new kind needs its scenario
    cells = await the_commands(bot)  # fewer: a row names a command that no longer exists
    assert cells == (len(EVERYONE) + len(OUTSIDERS)) * (len(COMMANDS) + 3)
    assert await the_requests(bot) == (len(EVERYONE) + len(OUTSIDERS)) * len(REQUESTS)
