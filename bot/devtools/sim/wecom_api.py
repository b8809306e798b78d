"""The simulator's HTTP face: WeCom's ``cgi-bin`` endpoints over a ``Tenant``.

Errors come back the way WeCom sends them: HTTP 200 with ``{"errcode", "errmsg"}``, also for
media/get, whose success is the raw file.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import BodyPartReader, web

from bot.devtools.sim.wecom_rules import INVALID_PARAM, SimApiError
from bot.devtools.sim.wecom_tenant import Tenant

UPLOAD_LIMITS = {"image": 10 << 20, "voice": 2 << 20, "video": 10 << 20, "file": 20 << 20}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _ok(data: dict[str, Any] | None = None) -> web.Response:
    return web.json_response({"errcode": 0, "errmsg": "ok", **(data or {})})


def _error(exc: SimApiError) -> web.Response:
    return web.json_response({"errcode": exc.errcode, "errmsg": exc.errmsg})


class WecomApi:
    def __init__(self, tenant: Tenant, corp_id: str, secret: str) -> None:
        self.tenant = tenant
        self.corp_id = corp_id
        self.secret = secret

    def app(self) -> web.Application:
        app = web.Application(client_max_size=24 << 20)
        app.add_routes(
            [
                web.get("/cgi-bin/gettoken", self.gettoken),
                web.post("/cgi-bin/message/send", self._guard("message/send", self.send)),
                web.post(
                    "/cgi-bin/message/update_template_card",
                    self._guard("message/update_template_card", self.update_card),
                ),
                web.post("/cgi-bin/media/upload", self._guard("media/upload", self.upload)),
                web.get("/cgi-bin/media/get", self._guard("media/get", self.media_get)),
                web.get("/cgi-bin/user/get", self._guard("user/get", self.user_get)),
                web.get("/cgi-bin/agent/get", self._guard("agent/get", self.agent_get)),
                web.get(
                    "/cgi-bin/department/list", self._guard("department/list", self.departments)
                ),
                web.get("/cgi-bin/user/list", self._guard("user/list", self.user_list)),
            ]
        )
        return app

    def _guard(self, api: str, handler: Handler) -> Handler:
        """Token check and injected faults first, as WeCom checks the token before anything."""

        async def guarded(request: web.Request) -> web.StreamResponse:
            self.tenant.stats.calls[api] += 1
            try:
                self.tenant.check_token(request.query.get("access_token"))
                self.tenant.take_fault(api)
                return await handler(request)
            except SimApiError as exc:
                return _error(exc)

        return guarded

    async def gettoken(self, request: web.Request) -> web.Response:
        self.tenant.stats.gettoken += 1
        if request.query.get("corpid") != self.corp_id:
            return _error(SimApiError(40013, "invalid corpid"))
        if request.query.get("corpsecret") != self.secret:
            return _error(SimApiError(40001, "invalid credential"))
        token, expires_in = self.tenant.issue_token()
        return _ok({"access_token": token, "expires_in": expires_in})

    async def _json(self, request: web.Request) -> dict[str, Any]:
        try:
            data = json.loads(await request.read())
        except ValueError:
            raise SimApiError(47001, "data format error") from None
        if not isinstance(data, dict):
            raise SimApiError(47001, "data format error")
        return data

    async def send(self, request: web.Request) -> web.Response:
        answer = self.tenant.send(await self._json(request))
        return web.json_response(answer)

    async def update_card(self, request: web.Request) -> web.Response:
        return web.json_response(self.tenant.update_card(await self._json(request)))

    async def upload(self, request: web.Request) -> web.Response:
        kind = request.query.get("type", "")
        if kind not in UPLOAD_LIMITS:
            raise SimApiError(40004, "invalid media type")
        if not request.content_type.startswith("multipart/"):
            raise SimApiError(44001, "empty media data")
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader) or part.name != "media":
                continue
            filename = getattr(part, "filename", None)
            if not filename:
                raise SimApiError(40005, "invalid file type: the part needs a filename")
            data = bytes(await part.read())
            if not data:
                raise SimApiError(44001, "empty media data")
            if len(data) > UPLOAD_LIMITS[kind]:
                raise SimApiError(40006, "invalid file size")
            ctype = part.headers.get("Content-Type", "application/octet-stream")
            media = self.tenant.store_media(kind, filename, ctype, data)
            return _ok(
                {
                    "type": kind,
                    "media_id": media.media_id,
                    "created_at": str(media.created_ms // 1000),
                }
            )
        raise SimApiError(44001, "empty media data: no part named 'media'")

    async def media_get(self, request: web.Request) -> web.Response:
        media = self.tenant.get_media(request.query.get("media_id", ""))
        return web.Response(
            body=media.data,
            content_type=media.content_type,
            headers={"Content-Disposition": f'attachment; filename="{media.filename}"'},
        )

    async def user_get(self, request: web.Request) -> web.Response:
        user = self.tenant.users.get(request.query.get("userid", ""))
        if user is None:
            raise SimApiError(60111, "userid not found")
        return _ok(
            {
                "userid": user.userid,
                "name": user.name,
                "department": user.department,
                "position": user.position,
                "status": 1,
            }
        )

    async def agent_get(self, request: web.Request) -> web.Response:
        # A self-built app's token sees only its own app: any other agentid is invalid for it.
        agent = request.query.get("agentid", "")
        if not agent.isdecimal() or int(agent) != self.tenant.agent_id:
            raise SimApiError(40056, "invalid agentid")
        users = [{"userid": u} for u in sorted(self.tenant.users)]
        return _ok(
            {
                "agentid": self.tenant.agent_id,
                "name": self.tenant.agent_name,
                "square_logo_url": "",
                "description": "",
                "allow_userinfos": {"user": users},
                "allow_partys": {"partyid": [1]},
                "allow_tags": {"tagid": []},
                "close": 0,
                "redirect_domain": "",
                "report_location_flag": 0,
                "isreportenter": 0,
                "home_url": "",
                "customized_publish_status": 1,
            }
        )

    async def departments(self, request: web.Request) -> web.Response:
        root = request.query.get("id")
        deps = list(self.tenant.departments.values())
        if root:
            if not root.isdecimal() or int(root) not in self.tenant.departments:
                raise SimApiError(INVALID_PARAM, "invalid department id")
            wanted = {int(root)}
            changed = True
            while changed:  # the department and everything below it
                before = len(wanted)
                wanted |= {d.id for d in deps if d.parentid in wanted}
                changed = len(wanted) != before
            deps = [d for d in deps if d.id in wanted]
        return _ok(
            {
                "department": [
                    {
                        "id": d.id,
                        "name": d.name,
                        "parentid": d.parentid,
                        "order": d.order,
                        "department_leader": list(d.department_leader),
                    }
                    for d in sorted(deps, key=lambda d: d.id)
                ]
            }
        )

    async def user_list(self, request: web.Request) -> web.Response:
        """读取部门成员详情: the members of one department (with fetch_child=1, of its subtree)."""
        root = request.query.get("department_id", "")
        if not root.isdecimal() or int(root) not in self.tenant.departments:
            raise SimApiError(60123, "invalid department")
        wanted = {int(root)}
        if request.query.get("fetch_child") == "1":
            changed = True
            while changed:
                before = len(wanted)
                wanted |= {d.id for d in self.tenant.departments.values() if d.parentid in wanted}
                changed = len(wanted) != before
        users = [u for u in self.tenant.users.values() if wanted & set(u.department)]
        return _ok(
            {
                "userlist": [
                    {
                        "userid": u.userid,
                        "name": u.name,
                        "department": list(u.department),
                        "order": [0] * len(u.department),
                        "position": u.position,
                        "is_leader_in_dept": list(u.is_leader_in_dept) or [0] * len(u.department),
                        "direct_leader": list(u.direct_leader),
                        "status": u.status,
                        "main_department": u.department[0] if u.department else 1,
                    }
                    for u in sorted(users, key=lambda u: u.userid)
                ]
            }
        )
