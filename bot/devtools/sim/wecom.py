"""A local WeCom: the server side of a self-built app, for tests, benchmarks and demo mode.

    sim = WecomSimulator(clock=clock)
    sim.add_user("ZhangWei", "张伟")
    await sim.start()                        # serves cgi-bin on 127.0.0.1:<free port>
    app_config = sim.app_config()            # a WecomApp whose api_base points here
    sim.callback_url = "http://127.0.0.1:8080/wecom/callback"
    await sim.send_text("ZhangWei", "今天拜访了华东机械")
    item = await sim.wait_for("ZhangWei", lambda i: i.kind == "template_card")
    await sim.tap("ZhangWei", item.card.task_id, "保存")
    sim.inbox_of("ZhangWei")                 # everything the user sees, cards kept current
    await sim.wait_changed(sim.feed_version, 25)  # a client's long-poll: any feed changed?

Credentials are random per instance; nothing is read from or written to files.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable
from typing import Any

from aiohttp import web

from bot.clock import Clock, SystemClock
from bot.config.channels import WecomApp
from bot.devtools.sim.orgchart import OrgChart, wecom_userid
from bot.devtools.sim.outage import Outage
from bot.devtools.sim.wecom_api import WecomApi
from bot.devtools.sim.wecom_callbacks import (
    CallbackResult,
    Poster,
    SignedRequest,
    Signer,
    message_xml,
)
from bot.devtools.sim.wecom_feed import FeedItem, HeldCard
from bot.devtools.sim.wecom_tenant import Department, Stats, Tenant, User

LOCALHOST = "127.0.0.1"


def silent_amr(seconds: float = 1.0) -> bytes:
    """A valid AMR-NB file of ``seconds`` of NO_DATA frames (20 ms each), as media/get serves."""
    return b"#!AMR\n" + b"\x7c" * max(1, int(seconds * 50))


class WecomSimulator:
    def __init__(
        self,
        *,
        clock: Clock | None = None,
        agent_id: int = 1000002,
        callback_timeout_s: float = 5.0,
        callback_retry_interval_s: float = 1.0,
        response_code_ttl_s: float = 86_400,
    ) -> None:
        self.clock = clock or SystemClock()
        self.corp_id = "ww" + secrets.token_hex(8)
        self.agent_id = agent_id
        self.secret = secrets.token_urlsafe(32)
        self.token = secrets.token_hex(16)
        self.encoding_aes_key = base64.b64encode(secrets.token_bytes(32)).decode()[:43]
        self.tenant = Tenant(self.clock, agent_id, response_code_ttl_s=response_code_ttl_s)
        self.outage = Outage()  # sim.outage.begin("http" | "busy") … sim.outage.end()
        key = base64.b64decode(self.encoding_aes_key + "=")
        self.signer = Signer(self.token, key, self.corp_id, agent_id)
        self.poster = Poster(
            timeout_s=callback_timeout_s, retry_interval_s=callback_retry_interval_s
        )
        self._callback_url: str | None = None
        self.tenant.callback_configured = False
        self.api_base: str | None = None
        self._runner: web.AppRunner | None = None
        self._msg_seq = secrets.randbelow(10**12) * 10**6

    # ------------------------------------------------------------------ serving
    def web_app(self) -> web.Application:
        """The cgi-bin API as an aiohttp app (mount it with ``mount`` or serve it with ``start``)."""
        app = WecomApi(self.tenant, self.corp_id, self.secret).app()
        app.middlewares.append(self.outage.middleware)
        app.on_cleanup.append(lambda _: self.poster.stop())
        return app

    async def start(self, port: int = 0) -> str:
        """Serve on 127.0.0.1 (a free port unless given); returns the ``api_base``."""
        self._runner = web.AppRunner(self.web_app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, LOCALHOST, port)
        await site.start()
        bound = self._runner.addresses[0][1]
        self.api_base = f"http://{LOCALHOST}:{bound}/cgi-bin/"
        return self.api_base

    async def stop(self) -> None:
        await self.poster.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def mount(self, parent: web.Application, prefix: str, public_base: str) -> str:
        """Serve the API under ``prefix`` of another app, e.g. ``/sim/wecom``; returns api_base."""
        parent.add_subapp(prefix.rstrip("/"), self.web_app())
        self.api_base = public_base.rstrip("/") + prefix.rstrip("/") + "/cgi-bin/"
        return self.api_base

    def app_config(self, name: str = "wecom", **overrides: Any) -> WecomApp:
        """The bot's configuration for this tenant (what an admin copies from the console)."""
        values: dict[str, Any] = {
            "name": name,
            "corp_id": self.corp_id,
            "agent_id": self.agent_id,
            "secret": self.secret,
            "token": self.token,
            "encoding_aes_key": self.encoding_aes_key,
            "api_base": self.api_base or "http://127.0.0.1:9/cgi-bin/",
        }
        return WecomApp(**{**values, **overrides})

    @property
    def callback_url(self) -> str | None:
        return self._callback_url

    @callback_url.setter
    def callback_url(self, url: str | None) -> None:
        # Interactive cards need the app's callback URL configured (WeCom answers 43012).
        self._callback_url = url
        self.tenant.callback_configured = bool(url)

    # ------------------------------------------------------------------ directory
    def add_user(
        self, userid: str, name: str, department: list[int] | None = None, position: str = ""
    ) -> User:
        user = User(userid, name, department or [1], position)
        self.tenant.users[userid] = user
        return user

    def add_department(self, id: int, name: str, parentid: int = 1) -> Department:
        dep = Department(id, name, parentid, len(self.tenant.departments))
        self.tenant.departments[id] = dep
        return dep

    def load_directory(self, chart: OrgChart) -> dict[str, str]:
        """The whole company into the tenant's contacts; returns staff key → WeCom userid."""
        taken = set(self.tenant.users)
        ids = {s.key: wecom_userid(s.name, taken) for s in chart.staff.values()}
        for d in chart.depts.values():
            leader = [ids[d.leader]] if d.leader else []
            self.tenant.departments[d.id] = Department(d.id, d.name, d.parent, d.order, leader)
        for s in chart.staff.values():
            self.tenant.users[ids[s.key]] = User(
                ids[s.key], s.name, list(s.depts), s.title,
                [1 if dep in s.leader_of else 0 for dep in s.depts],
            )  # fmt: skip
        return ids

    # ------------------------------------------------------------------ hooks
    @property
    def stats(self) -> Stats:
        return self.tenant.stats

    def expire_tokens(self) -> None:
        """Revoke every live access token now (WeCom may do so before expires_in)."""
        self.tenant.expire_tokens()

    def fail_next(self, api: str, errcode: int, times: int = 1) -> None:
        """Answer the next ``times`` calls of ``api`` (e.g. "message/send") with ``errcode``."""
        self.tenant.faults[api].extend([errcode] * times)

    # ------------------------------------------------------------------ user actions
    async def url_check(self, echo: str | None = None) -> tuple[bool, int, str]:
        """WeCom's URL check: (the bot echoed the plaintext exactly, status, body)."""
        echo = echo or str(secrets.randbelow(10**19))
        request = self.signer.sign_url_check(echo, self._now_s())
        status, body = await self.poster.get(self._url(), request)
        return status == 200 and body == echo, status, body

    async def send_text(self, user: str, text: str) -> CallbackResult:
        return await self._message(user, "text", {"Content": text})

    async def send_voice(
        self,
        user: str,
        amr: bytes | None = None,
        *,
        content_type: str = "audio/amr",
        filename: str = "voice.amr",
    ) -> CallbackResult:
        """A voice note: the audio is stored (fetchable with media/get), then the callback sent."""
        # WeCom delivers AMR; the sandbox hands in browser recordings (WebM/Opus) with their type.
        media = self.tenant.store_media("voice", filename, content_type, amr or silent_amr())
        result = await self._message(user, "voice", {"MediaId": media.media_id, "Format": "amr"})
        result.extra["media_id"] = media.media_id
        return result

    async def send_image(
        self, user: str, data: bytes, content_type: str = "image/png"
    ) -> CallbackResult:
        media = self.tenant.store_media("image", "image.png", content_type, data)
        fields = {
            "PicUrl": f"https://wework.qpic.cn/sim/{media.media_id}",
            "MediaId": media.media_id,
        }
        result = await self._message(user, "image", fields)
        result.extra["media_id"] = media.media_id
        return result

    async def enter_agent(self, user: str) -> CallbackResult:
        return await self._event(user, {"Event": "enter_agent", "EventKey": ""})

    async def click_menu(self, user: str, key: str) -> CallbackResult:
        return await self._event(user, {"Event": "click", "EventKey": key})

    async def tap(self, user: str, task_id: str, button: str) -> CallbackResult:
        """Tap a button (by key or text) on ``user``'s copy of a card: a template_card_event."""
        held = self.tenant.holder(user, task_id)
        if held.greyed is not None:
            raise ValueError(f"the buttons of {task_id} are greyed ({held.greyed})")
        if held.card_type != "button_interaction":
            raise ValueError("this card is submitted with submit(), not tapped")
        found = held.button(button)
        if found is None:
            raise LookupError(f"no button {button!r} on {task_id}")
        return await self._card_event(held, found["key"], None)

    async def submit(
        self, user: str, task_id: str, choices: dict[str, str] | None = None
    ) -> CallbackResult:
        """Pick options on a multiple_interaction card and press its submit button."""
        held = self.tenant.holder(user, task_id)
        if held.greyed is not None or held.card_type != "multiple_interaction":
            raise ValueError(f"{task_id} cannot be submitted")
        picked: dict[str, list[str]] = {}
        for select in held.body["select_list"]:
            ids = [o["id"] for o in select["option_list"]]
            default = select.get("selected_id") if select.get("selected_id") in ids else ids[0]
            choice = (choices or {}).get(select["question_key"], default)
            if choice not in ids:
                raise LookupError(f"{choice!r} is not an option of {select['question_key']}")
            picked[select["question_key"]] = [choice]
        return await self._card_event(held, held.body["submit_button"]["key"], picked)

    async def resend(self, result: CallbackResult, times: int = 1) -> CallbackResult:
        """Post the identical request again, as WeCom does when it missed our answer."""
        for _ in range(times):
            await self.poster.post_once(self._url(), result.request, result)
        return result

    # ------------------------------------------------------------------ the user's screen
    def inbox_of(self, user: str) -> list[FeedItem]:
        return self.tenant.feed.items(user)

    @property
    def feed_version(self) -> int:
        """Grows with every change to any user's feed (a new item, a card updated in place)."""
        return self.tenant.feed.version

    async def wait_changed(self, since: int, within: float) -> bool:
        """Wait until ``feed_version`` moves past ``since``; False after ``within`` seconds."""
        return await self.tenant.feed.wait_changed(since, within)

    def cards_of(self, user: str) -> list[HeldCard]:
        return [i.card for i in self.inbox_of(user) if i.card is not None]

    async def wait_for(
        self, user: str, predicate: Callable[[FeedItem], bool], within: float = 10.0
    ) -> FeedItem:
        """The first item in ``user``'s feed matching ``predicate`` (new or updated in place)."""
        return await self.tenant.feed.wait_for(user, predicate, within)

    # ------------------------------------------------------------------ internals
    def _now_s(self) -> int:
        return self.clock.ms() // 1000

    def _url(self) -> str:
        if not self._callback_url:
            raise RuntimeError("set callback_url to the bot's callback first")
        return self._callback_url

    def _base(self, user: str, msg_type: str) -> dict[str, Any]:
        return {
            "ToUserName": self.corp_id,
            "FromUserName": user,
            "CreateTime": self._now_s(),
            "MsgType": msg_type,
        }

    async def _message(self, user: str, msg_type: str, fields: dict[str, Any]) -> CallbackResult:
        self._msg_seq += 1
        plain = {
            **self._base(user, msg_type),
            **fields,
            "MsgId": self._msg_seq,
            "AgentID": self.agent_id,
        }
        return await self._post(message_xml(plain))

    async def _event(self, user: str, fields: dict[str, Any]) -> CallbackResult:
        plain = {**self._base(user, "event"), **fields, "AgentID": self.agent_id}
        return await self._post(message_xml(plain))

    async def _card_event(
        self, held: HeldCard, key: str, picked: dict[str, list[str]] | None
    ) -> CallbackResult:
        code = self.tenant.tap_code(held.user, held.task_id)
        fields = {
            "Event": "template_card_event",
            "EventKey": key,
            "TaskId": held.task_id,
            "CardType": held.card_type,
            "ResponseCode": code,
            "AgentID": self.agent_id,
        }
        plain = {**self._base(held.user, "event"), **fields}
        result = await self._post(message_xml(plain, picked))
        result.extra["response_code"] = code
        return result

    async def _post(self, plaintext: str) -> CallbackResult:
        request: SignedRequest = self.signer.sign_message(plaintext, self._now_s())
        return await self.poster.deliver(self._url(), request)
