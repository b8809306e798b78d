"""Write a ``SyncPlan`` to the database: upsert teams and people, deactivate who left and hand
their open work to their supervisor, with an audit entry and a note to the supervisor.

Nothing is deleted. Only people this platform's sync brought in are touched: config.yaml's
people are the override, and another platform's people are that platform's business.

A brake: a directory read that comes back empty or much shrunk (the app's visible scope narrowed,
a half-answered listing) would deactivate everyone missing and hand their work away. When more
than ``max_leave_share`` of the synced people (and more than one) would leave, nothing is written
unless the admin forces it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.orgdir.plan import SyncPlan
from storage.db import Database
from storage.models import (
    ApprovalStep,
    AuditLog,
    Client,
    Deal,
    Identity,
    Person,
    Task,
    Team,
)

OPEN_STEP = ("waiting", "pending")
SYNC_LOCK = 7_304_201  # PostgreSQL advisory lock: one replica syncs at a time


@dataclass(frozen=True)
class Handover:
    person_id: str
    name: str
    to_id: str | None
    deals: int
    tasks: int
    steps: int
    clients: int


@dataclass(frozen=True)
class Refusal:
    """Too many would have left: nothing was applied."""

    leaving: int
    active: int  # the platform's synced people who were active before this read
    limit: float  # org_sync.max_leave_share


def too_many_leave(leaving: int, active: int, limit: float) -> bool:
    # One departure is never a bad read, however small the company.
    return leaving > 1 and leaving > limit * active


FORCE_HINT = "/同步通讯录 强制"


@dataclass
class SyncReport:
    platform: str
    joined: list[str] = field(default_factory=list)  # names
    moved: list[str] = field(default_factory=list)
    changed: int = 0
    left: list[Handover] = field(default_factory=list)
    skipped: bool = False  # another replica was syncing
    refused: Refusal | None = None

    def summary(self) -> str:
        if self.skipped:
            return "另一个实例正在同步通讯录，本次跳过"
        label = {"wecom": "企业微信", "dingtalk": "钉钉"}.get(self.platform, self.platform)
        if self.refused is not None:
            r = self.refused
            return (
                f"{label}通讯录这次读到的名单比上次少了 {r.leaving} 人（共 {r.active} 人的 "
                f"{r.leaving / r.active:.0%}），超过了离职比例上限 {r.limit:.0%}"
                "（org_sync.max_leave_share），可能是通讯录没读全或应用的可见范围变小了，"
                f"所以未做任何改动。确认这些人确实已离职后，请发送「{FORCE_HINT}」。"
            )
        return (
            f"{label}通讯录：新增 {len(self.joined)} 人，调岗 {len(self.moved)} 人，"
            f"离职 {len(self.left)} 人，资料更新 {self.changed} 人"
        )


async def _takeover(person: Person, active: dict[str, Person]) -> str | None:
    """The nearest supervisor up the chain who is still active."""
    seen = {person.id}
    current = person.supervisor_id
    while current and current not in seen:
        boss = active.get(current) or await Person.get_or_none(id=current)
        if boss is None:
            return None
        if boss.active:
            return boss.id
        seen.add(current)
        current = boss.supervisor_id
    return None


async def _hand_over(person: Person, to_id: str | None, now: datetime) -> Handover:
    counts = [0, 0, 0, 0]
    if to_id is not None:
        counts[0] = await Deal.filter(owner_id=person.id, status="open").update(owner_id=to_id)
        counts[1] = await Task.filter(assignee_id=person.id, status="open").update(
            assignee_id=to_id
        )
        counts[2] = await ApprovalStep.filter(approver_id=person.id, status__in=OPEN_STEP).update(
            approver_id=to_id
        )
        counts[3] = await Client.filter(owner_id=person.id).update(owner_id=to_id)
    handover = Handover(person.id, person.name, to_id, *counts)
    await AuditLog.create(
        at=now, actor="system", action="orgsync.left", subject_type="person", subject_id=person.id,
        details={"to": to_id, "deals": counts[0], "tasks": counts[1], "approval_steps": counts[2], "clients": counts[3]},
    )  # fmt: skip
    return handover


async def apply_plan(
    db: Database,
    plan: SyncPlan,
    now: datetime,
    *,
    max_leave_share: float = 1.0,
    force: bool = False,
) -> SyncReport:
    """Write ``plan``; unless ``force``, nothing when too many would leave (``report.refused``)."""
    report = SyncReport(plan.platform)
    async with db.transaction() as tx:
        if db.dialect == "postgres":
            rows = await tx.fetch("SELECT pg_try_advisory_xact_lock(?) AS got", SYNC_LOCK)
            if not rows[0]["got"]:
                report.skipped = True
                return report
        stored = {p.id: p for p in await Person.filter(source=plan.platform)}
        wanted = {s.id for s in plan.people}
        active_before = [p for p in stored.values() if p.active]
        leaving = sum(1 for p in active_before if p.id not in wanted)
        if not force and too_many_leave(leaving, len(active_before), max_leave_share):
            report.refused = Refusal(leaving, len(active_before), max_leave_share)
            return report
        for t in plan.teams:
            await Team.update_or_create(
                id=t.id,
                defaults={
                    "name": t.name,
                    "region": t.region,
                    "region_name": t.region_name,
                    "lead_id": t.lead_id,
                },
            )
        for s in plan.people:
            values = {
                "name": s.name, "role": s.role, "team_id": s.team_id, "supervisor_id": s.supervisor_id,
                "title": s.title, "department": s.department, "source": plan.platform, "active": True,
                "left_at": None,
            }  # fmt: skip
            old = stored.get(s.id)
            if old is None or not old.active:
                if await Person.filter(id=s.id, source="config").exists():
                    continue  # a config person's id: config wins
                report.joined.append(s.name)
            elif old.department != s.department:
                report.moved.append(s.name)
            elif any(getattr(old, k) != v for k, v in values.items()):
                report.changed += 1
            await Person.update_or_create(id=s.id, defaults=values)
            await Identity.get_or_create(
                platform=plan.platform, external_id=s.userid, defaults={"person_id": s.id}
            )
        active = {p.id: p for p in await Person.filter(active=True)}
        leavers = [p for p in stored.values() if p.active and p.id not in wanted]
        for p in leavers:
            await Person.filter(id=p.id).update(active=False, left_at=now, updated_at=now)
            active.pop(p.id, None)
        for p in leavers:
            report.left.append(await _hand_over(p, await _takeover(p, active), now))
    return report
