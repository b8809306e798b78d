"""The access policy: the whole role × action matrix of what exists today.

Each later feature adds its rows here (approvals, stats, incentives, reminders).
"""

from __future__ import annotations

import pytest

from bot.app import build_runtime
from bot.clock import ManualClock
from bot.config.org import Person, Role
from bot.orgsync import sync_org
from bot.replies import CardMessage, Markdown, Text
from handlers.shared.access import AccessPolicy
from storage.models import Approval, ApprovalStep, Client
from tests.support.crm import NOW, seed_world
from tests.support.harness import Harness, make_config, start_harness

EVERYONE = [
    "chen.zhiyuan",
    "wang.li",
    "zhao.lei",
    "sun.mei",
    "huang.tao",
    "he.jing",
    "zhang.wei",
    "li.na",
    "liu.yang",
    "zhou.jie",
    "wu.fang",
    "xu.qing",
    "ma.jun",
    "lin.feng",
]
OWNERS = ["zhang.wei", "li.na", "liu.yang", "zhou.jie", "wu.fang"]
# Whose clients each person sees, written out by hand from config.yaml's org chart.
SEES = {
    "zhang.wei": {"zhang.wei"},
    "li.na": {"li.na"},
    "liu.yang": {"liu.yang"},
    "zhou.jie": {"zhou.jie"},
    "wu.fang": {"wu.fang"},
    "zhao.lei": {"zhang.wei", "li.na"},  # supervisor of 华东一组
    "sun.mei": {"liu.yang"},
    "huang.tao": {"zhou.jie"},
    "he.jing": {"wu.fang"},
    "wang.li": {"zhang.wei", "li.na", "liu.yang"},  # manager of both 华东 teams
    "chen.zhiyuan": set(OWNERS),  # director over 华东 and 华南
    "lin.feng": set(OWNERS),  # admin
    "xu.qing": set(),  # legal: only what an approval copies them on
    "ma.jun": set(),
}
LOGS_VISITS = {"rep", "supervisor", "manager", "director"}
SUBMITS_APPROVALS = {"rep", "supervisor", "manager", "director", "admin"}


@pytest.fixture
def policy(sqlite_url: str) -> AccessPolicy:
    return build_runtime(make_config(sqlite_url)).policy


def person(policy: AccessPolicy, pid: str) -> Person:
    found = policy.directory.get(pid)
    assert found is not None
    return found


@pytest.mark.parametrize("viewer", EVERYONE)
def test_who_sees_whose_clients(policy: AccessPolicy, viewer: str) -> None:
    scope = policy.scope(person(policy, viewer))
    assert {o for o in OWNERS if scope.covers(o)} == SEES[viewer]


@pytest.mark.parametrize("viewer", EVERYONE)
def test_who_may_do_what_today(policy: AccessPolicy, viewer: str) -> None:
    who = person(policy, viewer)
    assert policy.may(who, "brief.view")  # everyone in the organisation
    assert policy.may(who, "followup.log") == (who.role.value in LOGS_VISITS)
    assert policy.may(who, "approvals.submit") == (who.role.value in SUBMITS_APPROVALS)
    assert policy.may(who, "approvals.view")  # /待审批 and /我的申请: legal and finance decide too
    assert policy.may(who, "admin.status") == (who.role is Role.admin)
    assert policy.may(who, "stats.view") == (who.role not in (Role.legal, Role.finance))
    assert policy.may(who, "incentives.view") == (who.role not in (Role.legal, Role.finance))
    assert policy.may(who, "incentives.team") == (
        who.role in (Role.supervisor, Role.manager, Role.director, Role.admin)
    )
    assert policy.may(who, "payments.record") == (who.role in (Role.finance, Role.admin))
    specs = {s.name: s for s in policy_commands(policy)}
    assert policy.command_refusal(who, specs["帮助"]) is None
    assert policy.command_refusal(who, specs["简报"]) is None
    # Reminders: everyone has tasks of their own (a legal review, a finance check).
    for action in ("reminders.view", "reminders.postpone", "reminders.act"):
        assert policy.may(who, action)
    assert policy.command_refusal(who, specs["待办"]) is None
    assert policy.command_refusal(who, specs["推迟"]) is None
    assert policy.may(who, "orgsync.run") == (who.role.value == "admin")
    assert (policy.command_refusal(who, specs["同步通讯录"]) is None) == (who.role.value == "admin")


def policy_commands(policy: AccessPolicy) -> list:  # type: ignore[type-arg]
    from bot.pipeline.dispatcher import Dispatcher
    from handlers.features import features

    return Dispatcher([f.router for f in features()], gate=policy).commands.specs


def test_a_director_sees_their_region_only(sqlite_url: str) -> None:
    config = make_config(sqlite_url)
    south = Person(id="li.qiang", name="李强", role=Role.director)
    people = [
        p.model_copy(update={"supervisor": "li.qiang"}) if p.id in ("huang.tao", "he.jing") else p
        for p in config.people
    ]
    policy = build_runtime(config.model_copy(update={"people": (*people, south)})).policy
    east = policy.scope(person(policy, "chen.zhiyuan"))
    assert {o for o in OWNERS if east.covers(o)} == {"zhang.wei", "li.na", "liu.yang"}
    southern = policy.scope(person(policy, "li.qiang"))
    assert {o for o in OWNERS if southern.covers(o)} == {"zhou.jie", "wu.fang"}


async def test_legal_sees_the_client_an_approval_copies_them_on(db_url: str) -> None:
    rt = build_runtime(make_config(db_url))
    await rt.db.open()
    try:
        await sync_org(rt.config, rt.db)
        clients = await seed_world()
        approval = await Approval.create(
            template="contract",
            requester_id="zhang.wei",
            client=clients["华东机械"],
            title="合同审批",
            form={},
        )
        await ApprovalStep.create(approval=approval, seq=1, approver_id="xu.qing", kind="cc")
        legal = person(rt.policy, "xu.qing")
        assert await rt.policy.sees_client(legal, clients["华东机械"])
        assert not await rt.policy.sees_client(legal, clients["金桥物流"])
        visible = await Client.filter(rt.policy.scope(legal).clients_q()).values_list(
            "name", flat=True
        )
        assert visible == ["华东机械"]
        finance = person(rt.policy, "ma.jun")
        assert not await rt.policy.sees_client(finance, clients["华东机械"])
    finally:
        await rt.db.close()


@pytest.fixture
async def bot(db_url: str, aiohttp_client) -> Harness:
    return await start_harness(
        make_config(db_url), aiohttp_client, clock=ManualClock(NOW), world=True
    )


async def test_the_matrix_through_the_bot(bot: Harness) -> None:
    """Every person: a brief of 华东机械 (张伟's), a visit note, and a tap on 张伟's card."""
    await bot.say("zhang.wei", "今天拜访了华东机械王经理，报价35万，下周三前发合同")
    (card,) = await bot.next_sent()
    assert isinstance(card.reply, CardMessage)
    card_id = card.card["id"]
    for viewer in EVERYONE:
        await bot.say(viewer, "/简报 华东机械")
        (msg,) = await bot.next_sent()
        sees = "zhang.wei" in SEES[viewer]
        assert isinstance(msg.reply, Markdown if sees else Text), (viewer, msg.reply)

        await bot.say(viewer, "今天拜访了南方纺织陈总，聊了仓储系统，下周二前发方案")
        (msg,) = await bot.next_sent()
        role = person(bot.runtime.policy, viewer).role.value
        if role in LOGS_VISITS:
            assert isinstance(msg.reply, CardMessage), (viewer, msg.reply)
        else:
            assert isinstance(msg.reply, Text) and msg.reply.text.endswith(
                "不能记录拜访。发送 /帮助 查看你可以使用的命令。"
            ), (viewer, msg.reply)

        if viewer != "zhang.wei":
            await bot.tap(viewer, card_id, "丢弃")
            (msg,) = await bot.next_sent()
            assert isinstance(msg.reply, Text) and msg.reply.text == (
                "这张卡片需要由张伟处理，你不能操作。"
            )
        role = person(bot.runtime.policy, viewer).role
        await bot.say(viewer, "/帮助")
        (msg,) = await bot.next_sent()
        assert "不能使用" not in _text(msg.reply), (viewer, msg.reply)

        await bot.say(viewer, "/状态")
        (msg,) = await bot.next_sent()
        if role is Role.admin:
            assert isinstance(msg.reply, Markdown) and "机器人状态" in msg.reply.text
        else:
            assert isinstance(msg.reply, Text) and "不能使用 /状态" in msg.reply.text, viewer

        await bot.say(viewer, "/停滞")
        (msg,) = await bot.next_sent()
        refused = "不能使用 /停滞" in _text(msg.reply)
        assert refused == (role in (Role.legal, Role.finance)), (viewer, msg.reply)
    # Someone not in the organisation (a stranger, or another org's member whose platform id is
    # not on the list) gets the same introduction for every command, note and tap, and nothing else.
    for who in ("stranger", "other.org.user"):
        for text in (
            "/简报 华东机械",
            "/帮助",
            "/状态",
            "/停滞",
            "今天拜访了华东机械王经理，报价35万",
        ):
            await bot.say(who, text)
            (msg,) = await bot.next_sent()
            assert isinstance(msg.reply, Text) and "你还不在本系统的人员名单中" in msg.reply.text
        await bot.tap(who, card_id, "丢弃")
        (msg,) = await bot.next_sent()
        assert isinstance(msg.reply, Text) and "你还不在本系统的人员名单中" in msg.reply.text


def _text(reply: object) -> str:
    return str(getattr(reply, "text", ""))
