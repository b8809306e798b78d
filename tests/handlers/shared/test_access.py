"""The access policy: the whole role × action matrix of what exists today.

The walk of every person through every command and card action, through the bot, is
tests/security/test_role_matrix.py.
"""

from __future__ import annotations

import pytest

from bot.app import build_runtime
from bot.config.org import Person, Role
from bot.orgsync import sync_org
from handlers.shared.access import AccessPolicy
from storage.models import Approval, ApprovalStep, Client
from tests.security.matrix_table import EVERYONE, SEES
from tests.security.matrix_table import REPS as OWNERS
from tests.support.crm import seed_world
from tests.support.harness import make_config

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

    routers = [r for f in features() for r in f.routers(policy.config)]
    return Dispatcher(routers, gate=policy).commands.specs


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


def test_every_refusal_text_is_worded_in_the_access_module_only() -> None:
    """ "Refusals are worded here and nowhere else": no other module of the bot spells one out."""
    import re
    from pathlib import Path

    import handlers.shared.access as access

    root = Path(__file__).resolve().parents[3]
    texts = {  # each text's longest fixed part: what a copy would have to spell out
        name: max(re.split(r"\{\w*\}", value), key=len)
        for name, value in vars(access).items()
        if name.isupper() and isinstance(value, str) and value
    }
    assert "CARD_GONE" in texts and "NOT_ALLOWED" in texts
    found = [
        f"{path.relative_to(root)}: {name}"
        for folder in ("bot", "handlers", "cards", "scheduler")
        for path in sorted((root / folder).rglob("*.py"))
        if path.name != "access.py" or path.parent.name != "shared"
        for name, text in texts.items()
        if text in path.read_text(encoding="utf-8")
    ]
    assert found == []
