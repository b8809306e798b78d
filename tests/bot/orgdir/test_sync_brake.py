"""Org sync when the directory read goes wrong, against both simulators: a listing the platform
refuses changes nothing and says so; a directory that comes back much shrunk is not applied
until an admin forces it; and the schedule repeats every interval, telling the admins when the
brake stopped it."""

from __future__ import annotations

import asyncio

from bot.devtools.sim.orgchart import OrgChart
from bot.orgdir.service import OrgSyncService
from bot.replies import Text
from storage.models import AuditLog, OutboxMessage, Person
from tests.bot.orgdir.world import SETTINGS, Tenant, service
from tests.support.harness import Harness
from tests.support.waiting import eventually

ADMIN = "lin.feng"  # config.yaml's admin


async def ask(harness: Harness, text: str) -> str:
    await harness.say(ADMIN, text)
    (msg,) = await harness.next_sent(within=60)
    assert isinstance(msg.reply, Text), msg.reply
    return msg.reply.text


def reps(chart: OrgChart, count: int) -> list[str]:
    keys = [s.key for s in chart.staff.values() if s.title == "销售代表"]
    return keys[:count]


async def synced(tenant: Tenant, *, active: bool = True) -> int:
    return await Person.filter(source=tenant.platform, active=active).count()


async def test_a_refused_listing_changes_nothing(world: tuple[Tenant, Harness, OrgChart]) -> None:
    tenant, harness, chart = world
    await service(harness).run()
    (gone,) = reps(chart, 1)
    tenant.leave(gone)
    tenant.fail_next_user_list(60011)  # the app lost its permission to read members
    answer = await ask(harness, "/同步通讯录")
    label = {"wecom": "企业微信", "dingtalk": "钉钉"}[tenant.platform]
    assert answer.startswith(f"同步通讯录失败，未做任何改动：{label}接口 ")
    assert "返回错误码 60011" in answer
    assert answer.endswith(
        "应用没有读取通讯录的权限：请在管理后台把通讯录（部门和成员）加入应用的可见范围"
    )
    assert (await Person.get(id=tenant.pid(gone))).active
    # The next sync, with the permission back, goes through.
    assert "离职 1 人" in await ask(harness, "/同步通讯录")


async def test_a_much_shrunk_directory_waits_for_an_admin_to_force_it(
    world: tuple[Tenant, Harness, OrgChart],
) -> None:
    tenant, harness, chart = world
    await service(harness).run()
    assert await synced(tenant) == 243
    for key in reps(chart, 80):  # a third at once: more like a bad read than a bad quarter
        tenant.leave(key)
    label = {"wecom": "企业微信", "dingtalk": "钉钉"}[tenant.platform]
    assert await ask(harness, "/同步通讯录") == (
        f"{label}通讯录这次读到的名单比上次少了 80 人（共 243 人的 33%），超过了离职比例上限 20%"
        "（org_sync.max_leave_share），可能是通讯录没读全或应用的可见范围变小了，所以未做任何改动。"
        "确认这些人确实已离职后，请发送「/同步通讯录 强制」。"
    )
    assert await synced(tenant, active=False) == 0
    assert not await AuditLog.filter(action="orgsync.left").exists()

    assert "离职 80 人" in await ask(harness, "/同步通讯录 强制")
    assert await synced(tenant, active=False) == 80
    assert await AuditLog.filter(action="orgsync.left").count() == 80


async def test_the_schedule_repeats_and_tells_the_admins_when_it_held_back(
    world: tuple[Tenant, Harness, OrgChart],
) -> None:
    tenant, harness, chart = world
    rt = harness.runtime
    config = rt.config.model_copy(
        update={"org_sync": SETTINGS.model_copy(update={"enabled": True})}
    )
    waits: list[float] = []
    gate: asyncio.Queue[None] = asyncio.Queue()

    async def sleep(seconds: float) -> None:  # the schedule's wait, stepped by the test
        waits.append(seconds)
        await gate.get()

    svc = OrgSyncService(config, rt.db, rt.directory, rt.outbox, rt.channels, rt.clock, sleep=sleep)
    await svc.schedule()
    try:

        async def waited(n: int) -> bool:
            return len(waits) == n

        await eventually(lambda: waited(1), within=60)
        assert await synced(tenant) == 243
        tenant.join("Later01" if tenant.platform == "wecom" else "9000000000000002", "晚来",
                    chart.dept_named("华南二组").id, "销售代表")  # fmt: skip
        gate.put_nowait(None)
        await eventually(lambda: waited(2), within=60)
        assert await Person.filter(name="晚来", active=True).exists()  # the second run synced

        for key in reps(chart, 80):
            tenant.leave(key)
        gate.put_nowait(None)
        await eventually(lambda: waited(3), within=60)
        assert await synced(tenant, active=False) == 0  # held back
        notes = await OutboxMessage.filter(dedupe_key__startswith="orgsync-refused:").values(
            "recipient", "payload"
        )
        assert [n["recipient"] for n in notes] == [
            "LinFeng" if tenant.platform == "wecom" else ADMIN
        ]
        assert "定时同步通讯录" in notes[0]["payload"] and "/同步通讯录 强制" in notes[0]["payload"]
        assert waits == [config.org_sync.interval_minutes * 60] * 3
    finally:
        await svc.stop()
