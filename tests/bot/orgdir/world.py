"""Both simulators behind one interface, serving the same ~320-person company, for the org
sync tests (the ``world`` fixture in conftest.py builds a bot on either)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.config.org import Role
from bot.config.orgsync import OrgSync, RoleRule
from bot.devtools.sim.dingtalk_directory import DtUser
from bot.devtools.sim.wecom_tenant import User
from bot.orgdir.service import OrgSyncService
from tests.support.harness import Harness

SETTINGS = OrgSync(
    enabled=False,  # the schedule is not what is tested here: the service runs on demand
    departments=("销售中心", "法务部", "财务部"),
    roles=(
        RoleRule(role=Role.director, title="销售总监"),
        RoleRule(role=Role.manager, title="大区经理"),
        RoleRule(role=Role.supervisor, title="销售主管"),
        RoleRule(role=Role.legal, department="法务部"),
        RoleRule(role=Role.finance, department="财务部"),
    ),
)


@dataclass
class Tenant:
    """One simulator behind one interface: load the chart, and change people in it."""

    platform: str
    sim: Any
    ids: dict[str, str]  # staff key → platform user id
    prefix: str

    def pid(self, key: str) -> str:
        return f"{self.prefix}-{self.ids[key]}"

    def join(self, userid: str, name: str, dept: int, title: str) -> None:
        if self.platform == "wecom":
            self.sim.tenant.users[userid] = User(userid, name, [dept], title)
        else:
            self.sim.directory.users[userid] = DtUser(userid, name, title, [dept])

    def leave(self, key: str) -> None:
        if self.platform == "wecom":
            self.sim.tenant.users[self.ids[key]].status = 5  # 已退出企业
        else:
            del self.sim.directory.users[self.ids[key]]

    def move(self, key: str, dept: int) -> None:
        if self.platform == "wecom":
            self.sim.tenant.users[self.ids[key]].department = [dept]
        else:
            self.sim.directory.users[self.ids[key]].dept_id_list = [dept]

    def inbox(self, userid: str) -> list[str]:
        items = self.sim.inbox_of(userid) if self.platform == "wecom" else self.sim.items(userid)
        return [i.text for i in items if i.text]

    def fail_next_user_list(self, errcode: int) -> None:
        """The directory's next member listing answers ``errcode`` (60011: no permission)."""
        if self.platform == "wecom":
            self.sim.fail_next("user/list", errcode)
        else:
            self.sim.directory.fail_next("user/list", errcode)


def service(harness: Harness) -> OrgSyncService:
    return harness.runtime.services.get(OrgSyncService)
