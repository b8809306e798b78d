"""From a directory snapshot to the people and teams the bot should know: pure, no I/O.

Scope: only the departments named in ``org_sync.departments`` (and below). Role: the first rule
whose department (the person's or any above it) and/or exact title matches, else the default.
Supervisor: the person's direct leader when the platform names one, else the leader of the
nearest department up the tree that someone else leads. A person config.yaml knows (by their
platform user id) is config's: never written here, but still a supervisor others may point to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.config.orgsync import OrgSync

PREFIX = {"wecom": "wx", "dingtalk": "dd"}


@dataclass(frozen=True)
class Dept:
    id: int
    name: str
    parent: int  # 0: none
    leaders: tuple[str, ...] = ()  # platform user ids


@dataclass(frozen=True)
class Member:
    userid: str
    name: str
    title: str
    depts: tuple[int, ...]  # the first is the main department
    direct_leader: str | None = None


@dataclass(frozen=True)
class Snapshot:
    platform: str  # wecom | dingtalk
    depts: Mapping[int, Dept]
    members: Mapping[str, Member]


@dataclass(frozen=True)
class SyncedPerson:
    id: str
    userid: str
    name: str
    role: str
    title: str
    team_id: str
    supervisor_id: str | None
    department: str  # the path, e.g. 销售中心/华东大区/华东一组


@dataclass(frozen=True)
class SyncedTeam:
    id: str
    name: str
    region: str
    region_name: str
    lead_id: str | None


@dataclass(frozen=True)
class SyncPlan:
    platform: str
    people: tuple[SyncedPerson, ...]
    teams: tuple[SyncedTeam, ...]
    config_ids: frozenset[str]  # config people seen in the directory (left alone)


def person_id(platform: str, userid: str) -> str:
    return f"{PREFIX[platform]}-{userid}"[:64]


def _chain(snapshot: Snapshot, dept_id: int) -> list[Dept]:
    """The department and those above it, nearest first."""
    out: list[Dept] = []
    current = snapshot.depts.get(dept_id)
    while current is not None and current not in out:
        out.append(current)
        current = snapshot.depts.get(current.parent)
    return out


def _in_scope(snapshot: Snapshot, settings: OrgSync, member: Member) -> bool:
    if not settings.departments:
        return True
    return any(
        d.name in settings.departments for dep in member.depts for d in _chain(snapshot, dep)
    )


def role_of(snapshot: Snapshot, settings: OrgSync, member: Member) -> str:
    names = {d.name for dep in member.depts for d in _chain(snapshot, dep)}
    for rule in settings.roles:
        if rule.department is not None and rule.department not in names:
            continue
        if rule.title is not None and rule.title != member.title:
            continue
        return rule.role.value
    return settings.default_role.value


def _leader_above(snapshot: Snapshot, member: Member) -> str | None:
    if member.direct_leader and member.direct_leader != member.userid:
        return member.direct_leader
    for dept in _chain(snapshot, member.depts[0]) if member.depts else []:
        others = [u for u in dept.leaders if u != member.userid]
        if others:
            return others[0]
    return None


def _region(snapshot: Snapshot, settings: OrgSync, dept_id: int) -> Dept:
    """The department just below the scope's top (销售中心 → 华东大区), or the top-level one."""
    chain = _chain(snapshot, dept_id)
    for i, d in enumerate(chain):
        if d.name in settings.departments or snapshot.depts.get(d.parent) is None:
            return chain[i - 1] if i > 0 else d
    return chain[-1]


def plan(snapshot: Snapshot, settings: OrgSync, config_ids: Mapping[str, str]) -> SyncPlan:
    """``config_ids``: this platform's user id → the config person who has it."""
    p = snapshot.platform

    def pid(userid: str) -> str:
        return config_ids.get(userid) or person_id(p, userid)

    in_scope = {
        u: m for u, m in snapshot.members.items() if m.depts and _in_scope(snapshot, settings, m)
    }
    known = set(in_scope) | set(config_ids)
    people: list[SyncedPerson] = []
    team_depts: set[int] = set()
    for member in sorted(in_scope.values(), key=lambda m: m.userid):
        if member.userid in config_ids:
            continue
        boss = _leader_above(snapshot, member)
        main = member.depts[0]
        team_depts.add(main)
        path = "/".join(
            d.name for d in reversed(_chain(snapshot, main)) if snapshot.depts.get(d.parent)
        )
        people.append(
            SyncedPerson(
                id=pid(member.userid),
                userid=member.userid,
                name=member.name,
                role=role_of(snapshot, settings, member),
                title=member.title,
                team_id=f"{PREFIX[p]}-d{main}",
                supervisor_id=pid(boss) if boss and boss in known else None,
                department=path or snapshot.depts[main].name,
            )
        )
    teams = []
    for dept_id in sorted(team_depts):
        dept = snapshot.depts[dept_id]
        region = _region(snapshot, settings, dept_id)
        lead = next((u for u in dept.leaders if u in known), None)
        teams.append(
            SyncedTeam(
                id=f"{PREFIX[p]}-d{dept_id}",
                name=dept.name,
                region=f"{PREFIX[p]}-d{region.id}",
                region_name=region.name,
                lead_id=pid(lead) if lead else None,
            )
        )
    seen_config = frozenset(config_ids[u] for u in in_scope if u in config_ids)
    return SyncPlan(p, tuple(people), tuple(teams), seen_config)
