"""The simulated DingTalk contacts API (the legacy ``topapi`` the directory still lives on):
``POST /topapi/v2/department/listsub`` (the next level of departments below ``dept_id``, root 1)
and ``POST /topapi/v2/user/list`` (a department's members, cursor paging, ``size`` ≤ 100).

Errors as DingTalk's oapi sends them: HTTP 200 with ``{"errcode", "errmsg", "request_id"}``.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.devtools.sim.dingtalk_tenant import Tenant
from bot.devtools.sim.orgchart import OrgChart

MAX_PAGE = 100
FAULT_MESSAGES = {60011: "管理员权限不足，（user/dept）没有权限", -1: "系统繁忙"}


@dataclass
class DtDept:
    dept_id: int
    name: str
    parent_id: int


@dataclass
class DtUser:
    userid: str
    name: str
    title: str
    dept_id_list: list[int]
    leader_in: list[int] = field(default_factory=list)  # departments this user leads
    active: bool = True


@dataclass
class Directory:
    depts: dict[int, DtDept] = field(default_factory=dict)
    users: dict[str, DtUser] = field(default_factory=dict)
    # api ("department/listsub" | "user/list") → errcodes to answer its next calls with
    faults: dict[str, list[int]] = field(default_factory=dict)

    def fail_next(self, api: str, errcode: int, times: int = 1) -> None:
        """Answer the next ``times`` calls of ``api`` with ``errcode`` (60011: no permission)."""
        self.faults.setdefault(api, []).extend([errcode] * times)

    def load(self, chart: OrgChart, seed: int = 11) -> dict[str, str]:
        """The whole company; returns staff key → DingTalk userid (numeric, like real staff ids)."""
        rng = random.Random(seed)
        ids: dict[str, str] = {}
        for s in chart.staff.values():
            uid = str(rng.randrange(10**15, 10**16))
            while uid in self.users:
                uid = str(rng.randrange(10**15, 10**16))
            ids[s.key] = uid
            self.users[uid] = DtUser(uid, s.name, s.title, list(s.depts), list(s.leader_of))
        for d in chart.depts.values():
            self.depts[d.id] = DtDept(d.id, d.name, d.parent)
        return ids


def _answer(result: Any = None, errcode: int = 0, errmsg: str = "ok") -> web.Response:
    body: dict[str, Any] = {
        "errcode": errcode,
        "errmsg": errmsg,
        "request_id": uuid.uuid4().hex[:14],
    }
    if errcode == 0:
        body["result"] = result
    return web.json_response(body)


class DirectoryRoutes:
    def __init__(self, tenant: Tenant, directory: Directory) -> None:
        self.t = tenant
        self.d = directory

    def routes(self) -> list[web.RouteDef]:
        return [
            web.post("/topapi/v2/department/listsub", self.listsub),
            web.post("/topapi/v2/user/list", self.user_list),
        ]

    async def _body(self, request: web.Request) -> dict[str, Any] | web.Response:
        if not self.t.token_ok(request.query.get("access_token")):
            return _answer(errcode=40014, errmsg="不合法的access_token")
        faults = self.d.faults.get(request.path.removeprefix("/topapi/v2/"))
        if faults:
            code = faults.pop(0)
            return _answer(errcode=code, errmsg=FAULT_MESSAGES.get(code, "系统错误"))
        try:
            body = json.loads(await request.read() or b"{}")
        except ValueError:
            return _answer(errcode=40035, errmsg="不合法的参数")
        return body if isinstance(body, dict) else _answer(errcode=40035, errmsg="不合法的参数")

    async def listsub(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        if isinstance(body, web.Response):
            return body
        dept_id = body.get("dept_id", 1)
        if not isinstance(dept_id, int) or (dept_id != 1 and dept_id not in self.d.depts):
            return _answer(errcode=60003, errmsg="部门不存在")
        subs = sorted(
            (d for d in self.d.depts.values() if d.parent_id == dept_id), key=lambda d: d.dept_id
        )
        return _answer(
            [
                {
                    "dept_id": d.dept_id,
                    "name": d.name,
                    "parent_id": d.parent_id,
                    "create_dept_group": False,
                    "auto_add_user": True,
                }
                for d in subs
            ]
        )

    async def user_list(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        if isinstance(body, web.Response):
            return body
        dept_id, cursor, size = body.get("dept_id"), body.get("cursor"), body.get("size")
        if not all(isinstance(v, int) for v in (dept_id, cursor, size)):
            return _answer(errcode=40035, errmsg="缺少参数 dept_id、cursor 或 size")
        assert isinstance(dept_id, int) and isinstance(cursor, int) and isinstance(size, int)
        if not 1 <= size <= MAX_PAGE:
            return _answer(errcode=40035, errmsg=f"size 须在 1 到 {MAX_PAGE} 之间")
        if dept_id != 1 and dept_id not in self.d.depts:
            return _answer(errcode=60003, errmsg="部门不存在")
        members = sorted(
            (u for u in self.d.users.values() if u.active and dept_id in u.dept_id_list),
            key=lambda u: u.userid,
        )
        page = members[cursor : cursor + size]
        more = cursor + size < len(members)
        result: dict[str, Any] = {
            "has_more": more,
            "list": [
                {
                    "userid": u.userid,
                    "unionid": "u" + u.userid[::-1],
                    "name": u.name,
                    "title": u.title,
                    "dept_id_list": list(u.dept_id_list),
                    "leader": dept_id in u.leader_in,
                    "active": True,
                    "admin": False,
                    "boss": False,
                }
                for u in page
            ],
        }
        if more:
            result["next_cursor"] = cursor + size
        return _answer(result)
