"""Read a platform's whole directory into a ``Snapshot``.

WeCom: ``department/list`` (every department the app may see, with its leaders), then
``user/list`` per department (``fetch_child`` is not relied on: apps created since 2022 may not
use it). Only status 1 (active) and 4 (not yet activated) count as members; 2 (disabled) and 5
(left) are people who are gone.
DingTalk: ``topapi/v2/department/listsub`` breadth-first from the root (1), then
``topapi/v2/user/list`` per department, 100 per page by cursor; ``leader`` marks who leads the
department asked about.
"""

from __future__ import annotations

from typing import Any

import aiohttp

from bot.channels.dingtalk.client import ApiError, OpenApi
from bot.channels.wecom.client import WecomApiError, WecomClient, WecomTransportError
from bot.orgdir.plan import Dept, Member, Snapshot

WECOM_MEMBER_STATUS = (1, 4)
DINGTALK_PAGE = 100
TOKEN_ERRORS = (40014, 42001, 40001)


class DirectoryError(RuntimeError):
    """The platform refused or failed a directory call; nothing is changed on our side."""


# Errors an admin can act on, in their words (the platform's own errmsg is English).
NO_PERMISSION = (60011, 48002, 50004)
PERMISSION_HINT = "应用没有读取通讯录的权限：请在管理后台把通讯录（部门和成员）加入应用的可见范围"


def _api_error(platform: str, path: str, code: int, errmsg: str) -> DirectoryError:
    hint = PERMISSION_HINT if code in NO_PERMISSION else "请稍后再试，或按错误码查阅开放平台文档"
    return DirectoryError(f"{platform}接口 {path} 返回错误码 {code}（{errmsg}）。{hint}")


async def _wecom(client: WecomClient, path: str, params: dict[str, str] | None = None) -> Any:
    try:
        return await client.call("GET", path, params=params)
    except WecomApiError as exc:  # e.g. 60011: the app may not read the directory
        raise _api_error("企业微信", path, exc.errcode, exc.errmsg) from None
    except WecomTransportError as exc:
        raise DirectoryError(f"连不上企业微信（{exc}）：请检查网络或代理后重试") from None


async def wecom_snapshot(client: WecomClient) -> Snapshot:
    result = await _wecom(client, "department/list")
    depts = {
        int(d["id"]): Dept(
            int(d["id"]),
            str(d["name"]),
            int(d.get("parentid") or 0),
            tuple(d.get("department_leader") or ()),
        )
        for d in result.get("department", [])
    }
    members: dict[str, Member] = {}
    for dept_id in sorted(depts):
        page = await _wecom(client, "user/list", {"department_id": str(dept_id)})
        for u in page.get("userlist", []):
            if int(u.get("status", 1)) not in WECOM_MEMBER_STATUS or u["userid"] in members:
                continue
            main = int(u.get("main_department") or (u.get("department") or [dept_id])[0])
            others = [int(x) for x in u.get("department") or [] if int(x) != main]
            leaders = u.get("direct_leader") or []
            members[u["userid"]] = Member(
                str(u["userid"]), str(u["name"]), str(u.get("position") or ""), (main, *others),
                str(leaders[0]) if leaders else None,
            )  # fmt: skip
    return Snapshot("wecom", depts, members)


async def _oapi(api: OpenApi, path: str, body: dict[str, Any]) -> Any:
    for attempt in (1, 2):
        url = f"{api.oapi_base}{path}"
        try:
            token = await api.token()
            async with api.session.post(url, params={"access_token": token}, json=body) as resp:
                data = await resp.json(content_type=None)
        except ApiError as exc:  # the access token itself was refused
            raise DirectoryError(
                f"钉钉拒绝了访问令牌（{exc}）：请检查 channels.dingtalk 的 app_key 和 app_secret"
            ) from None
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:  # ValueError: not JSON
            raise DirectoryError(
                f"连不上钉钉接口 {path}（{type(exc).__name__}）：请检查网络或代理后重试"
            ) from None
        code = int(data.get("errcode") or 0)
        if code == 0:
            return data.get("result")
        if code in TOKEN_ERRORS and attempt == 1:
            api.forget_token(token)
            continue
        raise _api_error("钉钉", path, code, str(data.get("errmsg", "")))
    raise AssertionError("unreachable")


async def dingtalk_snapshot(api: OpenApi, root_name: str) -> Snapshot:
    depts: dict[int, Dept] = {1: Dept(1, root_name, 0)}
    queue = [1]
    while queue:
        parent = queue.pop(0)
        for d in await _oapi(api, "/topapi/v2/department/listsub", {"dept_id": parent}) or []:
            depts[int(d["dept_id"])] = Dept(
                int(d["dept_id"]), str(d["name"]), int(d.get("parent_id") or parent)
            )
            queue.append(int(d["dept_id"]))
    raw: dict[str, dict[str, Any]] = {}
    leaders: dict[int, list[str]] = {}
    for dept_id in sorted(depts):
        cursor = 0
        while True:
            page = await _oapi(
                api,
                "/topapi/v2/user/list",
                {"dept_id": dept_id, "cursor": cursor, "size": DINGTALK_PAGE},
            )
            for u in page.get("list", []):
                raw.setdefault(str(u["userid"]), u)
                if u.get("leader"):
                    leaders.setdefault(dept_id, []).append(str(u["userid"]))
            if not page.get("has_more"):
                break
            cursor = int(page["next_cursor"])
    depts = {i: Dept(d.id, d.name, d.parent, tuple(leaders.get(i, ()))) for i, d in depts.items()}
    members = {
        uid: Member(
            uid,
            str(u["name"]),
            str(u.get("title") or ""),
            tuple(int(x) for x in u.get("dept_id_list") or [1]),
        )
        for uid, u in raw.items()
    }
    return Snapshot("dingtalk", depts, members)
