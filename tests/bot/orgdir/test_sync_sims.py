"""Org sync against both simulators serving the same ~320-person company: roles from the
mapping, a join, a leave with the leaver's open work handed to their supervisor (audit + note
in chat), a department move, and config.yaml winning over the directory."""

from __future__ import annotations

from collections import Counter
from typing import Any

from bot.app import create_app
from bot.clock import ManualClock
from bot.devtools.sim.orgchart import OrgChart, generate
from bot.devtools.sim.wecom import WecomSimulator
from storage.models import Approval, ApprovalStep, AuditLog, Client, Deal, Identity, Person, Task
from tests.bot.orgdir.world import SETTINGS, Tenant, service
from tests.channels.wecom.support import add_people, with_wecom
from tests.support.crm import NOW
from tests.support.harness import Harness, build_harness, make_config
from tests.support.waiting import eventually


async def test_roles_from_the_mapping_and_scope(world: tuple[Tenant, Harness, OrgChart]) -> None:
    tenant, harness, chart = world
    (report,) = await service(harness).run()
    assert len(report.joined) == 231 + 5 + 7 and report.left == []
    people = await Person.filter(source=tenant.platform)
    assert Counter(p.role for p in people) == {
        "director": 1, "manager": 5, "supervisor": 15, "rep": 210, "legal": 5, "finance": 7,
    }  # fmt: skip
    # 技术部 and 人力资源部 are outside the synced departments.
    engineer = next(s for s in chart.staff.values() if s.title == "工程师")
    assert not await Person.filter(id=tenant.pid(engineer.key)).exists()
    # A rep: team = their department, supervisor = its leader, region = the 大区 above it.
    team = chart.dept_named("华东二组")
    rep = next(s for s in chart.members(team.id) if s.title == "销售代表")
    p = await Person.get(id=tenant.pid(rep.key))
    assert (p.team_id, p.supervisor_id, p.department) == (
        f"{tenant.prefix}-d{team.id}",
        tenant.pid(team.leader or ""),
        "销售中心/华东大区/华东二组",
    )
    # A team leader reports to the region's leader; the region's leader to the sales director.
    lead = await Person.get(id=tenant.pid(team.leader or ""))
    region = chart.dept_named("华东大区")
    assert lead.supervisor_id == tenant.pid(region.leader or "")
    assert (await Person.get(id=tenant.pid(region.leader or ""))).supervisor_id == tenant.pid(
        chart.dept_named("销售中心").leader or ""
    )
    assert await Identity.filter(platform=tenant.platform, person_id=p.id).values_list(
        "external_id", flat=True
    ) == [tenant.ids[rep.key]]
    # The Directory now knows the synced people, by their platform id.
    assert harness.runtime.directory.by_platform(tenant.platform, tenant.ids[rep.key]) is not None
    # Nothing changes when nothing changed.
    (again,) = await service(harness).run()
    assert (again.joined, again.moved, again.left, again.changed) == ([], [], [], 0)


async def test_join_move_and_leave_with_handover(world: tuple[Tenant, Harness, OrgChart]) -> None:
    tenant, harness, chart = world
    await service(harness).run()
    team = chart.dept_named("华东一组")
    leaver = next(s for s in chart.members(team.id) if s.title == "销售代表")
    boss_id = tenant.pid(team.leader or "")
    leaver_id = tenant.pid(leaver.key)
    client = await Client.create(name="明远科技", owner_id=leaver_id)
    deal = await Deal.create(
        client=client, owner_id=leaver_id, stage="方案演示", stage_entered_at=NOW, created_at=NOW
    )
    won = await Deal.create(
        client=client,
        owner_id=leaver_id,
        stage="赢单",
        status="won",
        stage_entered_at=NOW,
        created_at=NOW,
    )
    task = await Task.create(kind="next_action", assignee_id=leaver_id, deal=deal, title="发合同")
    approval = await Approval.create(template="discount", requester_id="zhang.wei", title="折扣")
    step = await ApprovalStep.create(
        approval=approval, seq=1, approver_id=leaver_id, status="pending"
    )

    tenant.leave(leaver.key)
    tenant.join("NewHire01" if tenant.platform == "wecom" else "9000000000000001", "苗新人",
                chart.dept_named("华南二组").id, "销售代表")  # fmt: skip
    mover = next(s for s in chart.members(chart.dept_named("华北一组").id) if s.title == "销售代表")
    north3 = chart.dept_named("华北三组")
    tenant.move(mover.key, north3.id)

    (report,) = await service(harness).run()
    assert report.joined == ["苗新人"] and report.moved == [mover.name]
    assert [(h.name, h.to_id, h.deals, h.tasks, h.steps, h.clients) for h in report.left] == [
        (leaver.name, boss_id, 1, 1, 1, 1)
    ]
    gone = await Person.get(id=leaver_id)
    assert (gone.active, gone.left_at) == (False, NOW)  # deactivated, not deleted
    assert (await Deal.get(id=deal.id)).owner_id == boss_id
    assert (await Deal.get(id=won.id)).owner_id == leaver_id  # closed history stays theirs
    assert (await Task.get(id=task.id)).assignee_id == boss_id
    assert (await ApprovalStep.get(id=step.id)).approver_id == boss_id
    assert (await Client.get(id=client.id)).owner_id == boss_id
    audit = await AuditLog.get(action="orgsync.left", subject_id=leaver_id)
    assert audit.details == {
        "to": boss_id,
        "deals": 1,
        "tasks": 1,
        "approval_steps": 1,
        "clients": 1,
    }
    note = (
        f"通讯录显示「{leaver.name}」已离职。"
        "TA 的 1 个进行中的商机、1 个待办、1 个待审批事项、1 个客户 已转交给你，请及时跟进。"
    )

    async def noted() -> bool:
        return note in tenant.inbox(tenant.ids[team.leader or ""])

    await eventually(noted)

    new = await Person.get(name="苗新人")
    assert (new.role, new.team_id, new.supervisor_id) == (
        "rep",
        f"{tenant.prefix}-d{chart.dept_named('华南二组').id}",
        tenant.pid(chart.dept_named("华南二组").leader or ""),
    )
    moved = await Person.get(id=tenant.pid(mover.key))
    assert (moved.department, moved.team_id, moved.supervisor_id) == (
        "销售中心/华北大区/华北三组",
        f"{tenant.prefix}-d{north3.id}",
        tenant.pid(north3.leader or ""),
    )
    assert harness.runtime.directory.get(leaver_id) is None


async def test_config_yaml_wins_over_the_directory(world: tuple[Tenant, Harness, OrgChart]) -> None:
    tenant, harness, chart = world
    region = chart.dept_named("华东大区")
    uid = "ZhangWei" if tenant.platform == "wecom" else "staff2001"  # config's 张伟 (a rep)
    tenant.join(uid, "张伟", region.id, "大区经理")
    await service(harness).run()
    zhang = await Person.get(id="zhang.wei")
    assert (zhang.role, zhang.source, zhang.supervisor_id) == ("rep", "config", "zhao.lei")
    assert not await Person.filter(id=f"{tenant.prefix}-{uid}").exists()


async def test_sync_command_in_chat_for_admins_only(db_url: str, aiohttp_client: Any) -> None:
    """/同步通讯录 through WeCom: an admin gets the summary; a synced newcomer can then talk to
    the bot at once (the Directory was refreshed); a rep is refused."""
    sim = WecomSimulator(clock=ManualClock(NOW))
    await sim.start()
    try:
        config = with_wecom(make_config(db_url), sim.app_config())
        config = config.model_copy(update={"org_sync": SETTINGS})
        add_people(sim, config)
        ids = sim.load_directory(generate())
        harness = build_harness(config, clock=sim.clock)
        client = await aiohttp_client(create_app(config, runtime=harness.runtime))
        sim.callback_url = str(client.make_url(config.channels.wecom[0].callback_path))

        await sim.send_text("ZhangWei", "/同步通讯录")
        refusal = await sim.wait_for("ZhangWei", lambda i: i.kind == "text")
        assert refusal.text.startswith("你的角色（销售）不能使用 /同步通讯录")
        assert not await Person.filter(source="wecom").exists()

        await sim.send_text("LinFeng", "/同步通讯录")
        done = await sim.wait_for("LinFeng", lambda i: "通讯录" in i.text, within=60)
        assert done.text == "企业微信通讯录：新增 243 人，调岗 0 人，离职 0 人，资料更新 0 人"

        newcomer = ids["s0010"]
        await sim.send_text(newcomer, "/帮助")
        answer = await sim.wait_for(newcomer, lambda i: i.kind == "markdown")
        assert "可用的命令" in answer.text
    finally:
        await sim.stop()


async def test_other_replicas_pick_up_a_sync_from_the_database(
    world: tuple[Tenant, Harness, OrgChart],
) -> None:
    """Only one replica syncs; the others see its result through the people table."""
    tenant, harness, chart = world
    svc = service(harness)
    await svc.run()
    assert await svc.refresh_if_changed() is False  # nothing new since its own sync
    someone = tenant.pid(next(s for s in chart.staff.values() if s.title == "销售代表").key)
    # What another replica's sync writes: one person leaves, one joins.
    await Person.filter(id=someone).update(active=False, updated_at=NOW)
    await Person.create(
        id=f"{tenant.prefix}-Elsewhere", name="别处同步", role="rep", source=tenant.platform
    )
    assert harness.runtime.directory.get(someone) is not None
    assert await svc.refresh_if_changed() is True
    assert harness.runtime.directory.get(someone) is None
    assert harness.runtime.directory.get(f"{tenant.prefix}-Elsewhere") is not None


async def test_enabled_sync_runs_on_its_own_at_start(db_url: str, aiohttp_client: Any) -> None:
    """With org_sync.enabled the app syncs at start and then every interval_minutes."""
    sim = WecomSimulator(clock=ManualClock(NOW))
    await sim.start()
    try:
        config = with_wecom(make_config(db_url), sim.app_config())
        config = config.model_copy(
            update={"org_sync": SETTINGS.model_copy(update={"enabled": True})}
        )
        add_people(sim, config)
        sim.load_directory(generate())
        harness = build_harness(config, clock=sim.clock)
        await aiohttp_client(create_app(config, runtime=harness.runtime))

        async def synced() -> bool:
            return await Person.filter(source="wecom").count() == 243

        await eventually(synced, within=60)
        assert sim.stats.calls["user/list"] == len(sim.tenant.departments)
    finally:
        await sim.stop()
