"""The simulated OpenAPI: token, robot messages, files, media upload, cards, sessionWebhooks.

Validation follows DingTalk: msgParam must be a JSON *string*, at most 20 userIds, every
cardParamMap value a string; errors are HTTP 4xx with ``{code, message, requestid}``.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from aiohttp import web

from bot.devtools.sim.dingtalk_feed import SimCard
from bot.devtools.sim.dingtalk_tenant import DOWNLOAD_URL_TTL_S, Tenant, Upload, api_error

_CARD = ("title", "text")
MSG_FIELDS: dict[str, tuple[str, ...]] = {
    "sampleText": ("content",),
    "sampleMarkdown": ("title", "text"),
    "sampleImageMsg": ("photoURL",),
    "sampleLink": ("text", "title", "picUrl", "messageUrl"),
    "sampleFile": ("mediaId", "fileName", "fileType"),
    "sampleActionCard": (*_CARD, "singleTitle", "singleURL"),
    "sampleActionCard6": (*_CARD, "buttonTitle1", "buttonUrl1", "buttonTitle2", "buttonUrl2"),
    **{
        f"sampleActionCard{n}": (
            *_CARD,
            *[f"{k}{i}" for i in range(1, n + 1) for k in ("actionTitle", "actionURL")],
        )
        for n in (2, 3, 4, 5)
    },
}
BATCH_LIMIT = 20


class OpenApiRoutes:
    def __init__(self, tenant: Tenant) -> None:
        self.t = tenant

    def routes(self) -> list[web.RouteDef]:
        return [
            web.post("/v1.0/oauth2/accessToken", self.access_token),
            web.post("/v1.0/robot/oToMessages/batchSend", self.batch_send),
            web.post("/v1.0/robot/groupMessages/send", self.group_send),
            web.post("/v1.0/robot/messageFiles/download", self.files_download),
            web.get("/files/{token}", self.file_get),
            web.post("/media/upload", self.media_upload),
            web.post("/v1.0/card/instances", self.card_create),
            web.post("/v1.0/card/instances/deliver", self.card_deliver),
            web.post("/v1.0/card/instances/createAndDeliver", self.card_create_and_deliver),
            web.put("/v1.0/card/instances", self.card_update),
            web.post("/robot/sendBySession", self.session_send),
        ]

    # --- helpers ----------------------------------------------------------------------------

    async def _body(self, request: web.Request) -> dict[str, Any] | web.Response:
        if not self.t.token_ok(request.headers.get("x-acs-dingtalk-access-token")):
            return api_error(401, "InvalidAuthentication", "不合法的access_token")
        try:
            body = await request.json()
        except json.JSONDecodeError:
            return api_error(400, "InvalidParameter", "请求体不是合法的 JSON")
        if not isinstance(body, dict):
            return api_error(400, "InvalidParameter", "请求体必须是对象")
        self.t.calls.append((request.path, body))
        return body

    def _message(self, body: dict[str, Any]) -> tuple[str, dict[str, Any]] | web.Response:
        if body.get("robotCode") != self.t.robot_code:
            return api_error(400, "InvalidParameter.robotCode", "robotCode 不存在")
        key, raw = body.get("msgKey"), body.get("msgParam")
        if key not in MSG_FIELDS:
            return api_error(400, "InvalidParameter.msgKey", f"msgKey {key} 不存在")
        if not isinstance(raw, str):
            return api_error(400, "InvalidParameter.msgParam", "msgParam 必须是 JSON 字符串")
        try:
            param = json.loads(raw)
        except json.JSONDecodeError:
            return api_error(400, "InvalidParameter.msgParam", "msgParam 不是合法的 JSON")
        missing = [f for f in MSG_FIELDS[key] if not isinstance(param.get(f), str)]
        if missing:
            return api_error(400, "InvalidParameter.msgParam", f"msgParam 缺少 {missing}")
        if key == "sampleFile" and param["mediaId"] not in self.t.uploads:
            return api_error(400, "InvalidParameter.mediaId", "mediaId 不存在")
        return str(key), param

    def _record(self, recipient: str, via: str, key: str, param: dict[str, Any]) -> None:
        at = self.t.clock.now()
        feed = self.t.feed
        if key == "sampleText":
            feed.add(recipient, at, "text", via, text=param["content"], msg_key=key, param=param)
        elif key == "sampleMarkdown":
            feed.add(
                recipient, at, "markdown", via, text=param["text"], title=param["title"],
                msg_key=key, param=param,
            )  # fmt: skip
        elif key == "sampleImageMsg":
            upload = self.t.uploads.get(param["photoURL"])
            feed.add(
                recipient, at, "image", via, msg_key=key, param=param,
                media=upload.data if upload else None,
            )  # fmt: skip
        elif key == "sampleFile":
            upload = self.t.uploads[param["mediaId"]]
            feed.add(
                recipient, at, "file", via, title=param["fileName"], msg_key=key, param=param,
                media=upload.data,
            )  # fmt: skip
        elif key.startswith("sampleActionCard"):
            feed.add(
                recipient, at, "action_card", via, text=param["text"], title=param["title"],
                msg_key=key, param=param, links=action_links(key, param),
            )  # fmt: skip
        else:
            feed.add(recipient, at, "link", via, text=param.get("text", ""), msg_key=key)

    # --- token ------------------------------------------------------------------------------

    async def access_token(self, request: web.Request) -> web.Response:
        body = await request.json()
        if body.get("appKey") != self.t.app_key or body.get("appSecret") != self.t.app_secret:
            return api_error(400, "invalidClientIdOrSecret", "无效的clientId或clientSecret")
        return web.json_response({"accessToken": self.t.issue_token(), "expireIn": 7200})

    # --- robot messages ---------------------------------------------------------------------

    async def batch_send(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        if isinstance(body, web.Response):
            return body
        users = body.get("userIds")
        if not isinstance(users, list) or not users or len(users) > BATCH_LIMIT:
            return api_error(400, "InvalidParameter.userIds", "userIds 需要 1 到 20 个用户")
        msg = self._message(body)
        if isinstance(msg, web.Response):
            return msg
        key, param = msg
        invalid = [u for u in users if u in self.t.invalid_staff]
        flow = [u for u in users if u not in invalid and self.t.take_flow_control(u)]
        for user in users:
            if user not in invalid and user not in flow:
                self._record(str(user), "batchSend", key, param)
        return web.json_response(
            {
                "processQueryKey": secrets.token_urlsafe(16),
                "invalidStaffIdList": invalid,
                "flowControlledStaffIdList": flow,
            }
        )

    async def group_send(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        if isinstance(body, web.Response):
            return body
        cid = body.get("openConversationId")
        if not isinstance(cid, str) or not cid:
            return api_error(400, "InvalidParameter.openConversationId", "群会话不存在")
        msg = self._message(body)
        if isinstance(msg, web.Response):
            return msg
        self._record(f"chat:{cid}", "groupMessages", *msg)
        return web.json_response({"processQueryKey": secrets.token_urlsafe(16)})

    async def session_send(self, request: web.Request) -> web.Response:
        session = self.t.sessions.get(request.query.get("session", ""))
        if session is None or session[1] <= self.t.clock.ms():
            # HTTP 200 with the failure in errcode, as DingTalk answers an expired session.
            return web.json_response({"errcode": 300005, "errmsg": "session 已过期"})
        body = await request.json()
        recipient, kind = session[0], body.get("msgtype")
        self.t.calls.append((request.path, body))
        at = self.t.clock.now()
        if kind == "text":
            text = body.get("text", {}).get("content", "")
            self.t.feed.add(recipient, at, "text", "webhook", text=text)
        elif kind == "markdown":
            md = body.get("markdown", {})
            self.t.feed.add(
                recipient, at, "markdown", "webhook", text=md.get("text", ""),
                title=md.get("title", ""),
            )  # fmt: skip
        else:
            return web.json_response({"errcode": 40035, "errmsg": f"不支持的 msgtype {kind}"})
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    # --- files ------------------------------------------------------------------------------

    async def files_download(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        if isinstance(body, web.Response):
            return body
        code = body.get("downloadCode")
        if body.get("robotCode") != self.t.robot_code or code not in self.t.files:
            return api_error(400, "InvalidParameter.downloadCode", "downloadCode 无效或已过期")
        token = secrets.token_urlsafe(24)
        self.t.download_urls[token] = (str(code), self.t.clock.ms() + DOWNLOAD_URL_TTL_S * 1000)
        return web.json_response({"downloadUrl": f"{self.t.base_url}/files/{token}"})

    async def file_get(self, request: web.Request) -> web.Response:
        entry = self.t.download_urls.get(request.match_info["token"])
        if entry is None or entry[1] <= self.t.clock.ms():
            return web.Response(status=403, text="AccessDenied")
        self.t.downloads.append(entry[0])
        return web.Response(body=self.t.files[entry[0]], content_type="application/octet-stream")

    async def media_upload(self, request: web.Request) -> web.Response:
        if not self.t.token_ok(request.query.get("access_token")):
            return web.json_response({"errcode": 40014, "errmsg": "不合法的access_token"})
        form = await request.post()
        media = form.get("media")
        kind = str(form.get("type") or request.query.get("type") or "")
        if not isinstance(media, web.FileField) or kind not in ("image", "file", "voice", "video"):
            return web.json_response({"errcode": 40004, "errmsg": "不合法的媒体文件类型"})
        media_id = "@lA" + secrets.token_urlsafe(18)
        self.t.uploads[media_id] = Upload(media.file.read(), media.filename, kind)
        return web.json_response({"errcode": 0, "errmsg": "ok", "media_id": media_id, "type": kind})

    # --- cards ------------------------------------------------------------------------------

    def _card_data(self, body: dict[str, Any]) -> dict[str, str] | web.Response:
        data = body.get("cardData")
        params = data.get("cardParamMap") if isinstance(data, dict) else None
        if not isinstance(params, dict):
            return api_error(400, "InvalidParameter.cardData", "cardData.cardParamMap 必填")
        bad = [k for k, v in params.items() if not isinstance(v, str)]
        if bad:
            return api_error(
                400, "InvalidParameter.cardParamMap", f"cardParamMap 的值必须是字符串：{bad}"
            )
        return params

    def _create(self, body: dict[str, Any]) -> SimCard | web.Response:
        track, template = body.get("outTrackId"), body.get("cardTemplateId")
        if not track or not template:
            return api_error(400, "InvalidParameter", "outTrackId 和 cardTemplateId 必填")
        if self.t.card_templates is not None and template not in self.t.card_templates:
            return api_error(400, "InvalidParameter.cardTemplateId", "卡片模板不存在或未发布")
        if track in self.t.cards:
            return api_error(400, "InvalidParameter.outTrackIdExists", "outTrackId 已存在")
        if body.get("callbackType", "STREAM") not in ("STREAM", "HTTP"):
            return api_error(400, "InvalidParameter.callbackType", "callbackType 不合法")
        params = self._card_data(body)
        if isinstance(params, web.Response):
            return params
        card = SimCard(str(track), str(template), params, str(body.get("callbackType", "")))
        self.t.cards[card.out_track_id] = card
        return card

    def _deliver(self, card: SimCard, body: dict[str, Any]) -> web.Response | None:
        space = str(body.get("openSpaceId") or "")
        if body.get("userIdType", 1) != 1:
            return api_error(400, "InvalidParameter.userIdType", "仅支持 userIdType 1")
        if space.startswith("dtv1.card//IM_ROBOT."):
            model = body.get("imRobotOpenDeliverModel") or {}
            if model.get("spaceType") != "IM_ROBOT":
                return api_error(400, "InvalidParameter", "imRobotOpenDeliverModel 必填")
            recipient = space.removeprefix("dtv1.card//IM_ROBOT.")
        elif space.startswith("dtv1.card//IM_GROUP."):
            model = body.get("imGroupOpenDeliverModel") or {}
            if model.get("robotCode") != self.t.robot_code:
                return api_error(400, "InvalidParameter", "imGroupOpenDeliverModel.robotCode 无效")
            recipient = "chat:" + space.removeprefix("dtv1.card//IM_GROUP.")
        else:
            return api_error(400, "InvalidParameter.openSpaceId", f"openSpaceId 不合法：{space}")
        if recipient in self.t.invalid_staff:
            return api_error(400, "InvalidParameter.userId", "用户不存在")
        card.spaces.append(recipient)
        self.t.feed.add(recipient, self.t.clock.now(), "card", "card", card=card)
        return None

    async def _new_card(
        self, request: web.Request
    ) -> tuple[dict[str, Any], SimCard] | web.Response:
        body = await self._body(request)
        if isinstance(body, web.Response):
            return body
        card = self._create(body)
        if isinstance(card, web.Response):
            return card
        return body, card

    async def card_create(self, request: web.Request) -> web.Response:
        created = await self._new_card(request)
        if isinstance(created, web.Response):
            return created
        return web.json_response({"success": True, "result": created[1].out_track_id})

    async def card_deliver(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        if isinstance(body, web.Response):
            return body
        card = self.t.cards.get(str(body.get("outTrackId")))
        if card is None:
            return api_error(400, "InvalidParameter.outTrackId", "卡片实例不存在")
        problem = self._deliver(card, body)
        return problem or web.json_response({"success": True, "result": [{"success": True}]})

    async def card_create_and_deliver(self, request: web.Request) -> web.Response:
        created = await self._new_card(request)
        if isinstance(created, web.Response):
            return created
        body, card = created
        problem = self._deliver(card, body)
        if problem is not None:
            del self.t.cards[card.out_track_id]
            return problem
        result = {"outTrackId": card.out_track_id, "deliverResults": [{"success": True}]}
        return web.json_response({"success": True, "result": result})

    async def card_update(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        if isinstance(body, web.Response):
            return body
        card = self.t.cards.get(str(body.get("outTrackId")))
        if card is None:
            return api_error(400, "InvalidParameter.outTrackId", "卡片实例不存在")
        params = self._card_data(body)
        if isinstance(params, web.Response):
            return params
        options = body.get("cardUpdateOptions") or {}
        card.update(params, by_key=bool(options.get("updateCardDataByKey")))
        self.t.feed.changed()
        return web.json_response({"success": True, "result": True})


def action_links(key: str, param: dict[str, Any]) -> list[tuple[str, str]]:
    if key == "sampleActionCard":
        return [(param["singleTitle"], param["singleURL"])]
    if key == "sampleActionCard6":
        return [(param[f"buttonTitle{i}"], param[f"buttonUrl{i}"]) for i in (1, 2)]
    n = int(key.removeprefix("sampleActionCard"))
    return [(param[f"actionTitle{i}"], param[f"actionURL{i}"]) for i in range(1, n + 1)]
