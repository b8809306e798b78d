"""The bot's own small approval page: the fallback when no interactive-card template is set.

GET shows the card with its buttons (nothing happens on GET, so link previews are harmless);
POST performs the tap as the user the link was issued to and shows the result. A used, expired or
forged link gets a clear Chinese page. The token travels in the form as well as in the path, and
a cross-site Origin is refused.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Mapping
from urllib.parse import urlsplit

from aiohttp import web

from bot.channels.dingtalk.links import LinkClaims, LinkSigner
from bot.channels.dingtalk.parse import PLATFORM
from bot.clock import Clock
from bot.events import CardActionEvent
from bot.pipeline.inbox import DEAD, DONE, Inbox
from cards.model import Card
from cards.store import CardStore

log = logging.getLogger(__name__)

RESULT_WAIT_S = 3.0  # how long POST waits for the handler before saying "处理中"

_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # the token is in the URL: never leak it to other sites
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"
    ),
}
_STYLE = (
    "body{font-family:-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;margin:0;"
    "background:#f5f6f7;color:#1f2329}main{max-width:560px;margin:0 auto;padding:16px}"
    ".card{background:#fff;border-radius:10px;padding:16px;box-shadow:0 1px 3px #0001}"
    "h1{font-size:18px;margin:0 0 4px}.sub{color:#646a73;margin:0 0 12px}"
    "dl{margin:0}dt{color:#646a73;font-size:13px;margin-top:8px}dd{margin:2px 0 0}"
    ".hint{color:#8f959e;font-size:12px}.note{background:#f2f3f5;padding:8px;border-radius:6px}"
    ".status{font-weight:600;margin-top:12px}.msg{padding:12px;border-radius:8px;margin-bottom:12px;"
    "background:#fff7e8;color:#7a4d00}.ok{background:#e8f7ee;color:#1f6b3a}"
    "button{display:block;width:100%;font-size:16px;padding:12px;margin-top:10px;border:0;"
    "border-radius:8px;background:#e5e6eb}button.primary{background:#3370ff;color:#fff}"
    "button.danger{background:#f54a45;color:#fff}select{width:100%;padding:8px;font-size:15px}"
)


class ApprovalPage:
    def __init__(
        self,
        *,
        app: str,
        base_path: str,
        signer: LinkSigner,
        cards: CardStore,
        inbox: Inbox,
        clock: Clock,
        public_url: str,
    ) -> None:
        self.app = app
        self.base_path = base_path
        self.signer = signer
        self.cards = cards
        self.inbox = inbox
        self.clock = clock
        self.public_url = public_url.rstrip("/")

    def url(self, token: str) -> str:
        return f"{self.public_url}{self.base_path}/{token}"

    def routes(self) -> list[web.RouteDef]:
        path = f"{self.base_path}/{{token}}"
        return [web.get(path, self._get), web.post(path, self._post)]

    # --- handlers ---------------------------------------------------------------------------

    async def _get(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        found = await self._claims_and_card(token)
        if isinstance(found, web.Response):
            return found
        claims, card = found
        if await self._used(claims):
            return _page(card.title, _message("此链接已使用过，不能重复操作。") + _view(card), 410)
        return _page(card.title, _view(card, token=token, chosen=request.query.get("b", "")))

    async def _post(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        if not self._same_origin(request):
            return _page("无法处理", _message("请求来源不正确，请从钉钉消息中重新打开链接。"), 403)
        form = await request.post()
        if form.get("token") != token:
            return _page("无法处理", _message("页面已失效，请从钉钉消息中重新打开链接。"), 403)
        found = await self._claims_and_card(token)
        if isinstance(found, web.Response):
            return found
        claims, card = found
        if await self._used(claims):  # before the buttons: a used link's card has moved on
            return _page(card.title, _message("此链接已使用过，不能重复操作。") + _view(card), 410)
        if card.closed:
            return _page(card.title, _message("此事项已处理，无需再操作。") + _view(card), 409)
        payload = str(form.get("payload") or "")
        allowed = {b.payload for b in card.buttons} | (
            {card.submit.payload} if card.submit else set()
        )
        if payload not in allowed:
            return _page(card.title, _message("按钮已失效，请刷新页面后重试。") + _view(card), 400)
        dedupe_key = LinkSigner.dedupe_key(claims)
        event = CardActionEvent(
            platform=PLATFORM,
            app=self.app,
            user_id=claims.user_id,
            msg_id=dedupe_key,
            dedupe_key=dedupe_key,
            time=self.clock.now(),
            payload=payload,
            selections=_selections(card, form),
            card_handle=claims.card_id,
            raw={"via": "link"},
        )
        if not await self.inbox.put(event):
            return _page(card.title, _message("此链接已使用过，不能重复操作。") + _view(card), 410)
        done = await self._wait_handled(event.dedupe_key)
        latest = await self._card(claims.card_id) or card
        if done:
            return _page(latest.title, _message("已提交。", ok=True) + _view(latest))
        note = "已提交，正在处理，结果会通过钉钉消息通知你。"
        return _page(latest.title, _message(note, ok=True) + _view(latest), 202)

    # --- helpers ----------------------------------------------------------------------------

    async def _claims_and_card(self, token: str) -> tuple[LinkClaims, Card] | web.Response:
        """The link's claims and its card, or the page that says why there are none."""
        claims = self.signer.verify(token)
        if claims == "expired":
            return _page("链接已过期", _message("此链接已过期，请在钉钉中查看最新消息。"), 410)
        if not isinstance(claims, LinkClaims) or claims.app != self.app:
            return _page("链接无效", _message("链接无效，请从钉钉消息中重新打开。"), 403)
        card = await self._card(claims.card_id)
        if card is None:
            return _page("卡片不存在", _message("这张卡片不存在或已被删除。"), 404)
        return claims, card

    async def _card(self, card_id: str) -> Card | None:
        instance = await self.cards.get(card_id)
        return CardStore.card_of(instance) if instance is not None else None

    async def _used(self, claims: LinkClaims) -> bool:
        rows = await self.inbox.db.fetch(
            "SELECT 1 AS one FROM inbox WHERE platform = ? AND dedupe_key = ?",
            PLATFORM,
            LinkSigner.dedupe_key(claims),
        )
        return bool(rows)

    async def _wait_handled(self, dedupe_key: str) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + RESULT_WAIT_S
        while loop.time() < deadline:
            rows = await self.inbox.db.fetch(
                "SELECT status FROM inbox WHERE platform = ? AND dedupe_key = ?",
                PLATFORM,
                dedupe_key,
            )
            if rows and rows[0]["status"] in (DONE, DEAD):
                return True
            await asyncio.sleep(0.05)  # waiting for the worker, not for time to pass
        return False

    def _same_origin(self, request: web.Request) -> bool:
        origin = request.headers.get("Origin")
        if not origin:
            return True  # DingTalk's in-app browser often sends none; the form token still binds
        allowed = {f"{request.scheme}://{request.host}"}
        if self.public_url:
            parts = urlsplit(self.public_url)
            allowed.add(f"{parts.scheme}://{parts.netloc}")
        return origin in allowed


def _selections(card: Card, form: Mapping[str, object]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for select in card.selects:
        value = str(form.get(f"sel:{select.key}") or "")
        if value in {o.id for o in select.options}:
            out[select.key] = [value]
    return out


def _message(text: str, *, ok: bool = False) -> str:
    return f'<div class="msg{" ok" if ok else ""}">{html.escape(text)}</div>'


def _view(card: Card, *, token: str = "", chosen: str = "") -> str:
    e = html.escape
    parts = [f"<h1>{e(card.title)}</h1>"]
    if card.subtitle:
        parts.append(f'<p class="sub">{e(card.subtitle)}</p>')
    if card.rows:
        parts.append("<dl>")
        for r in card.rows:
            hint = f' <span class="hint">{e(r.hint)}</span>' if r.hint else ""
            parts.append(f"<dt>{e(r.label)}</dt><dd>{e(r.value)}{hint}</dd>")
        parts.append("</dl>")
    if card.note:
        parts.append(f'<p class="note">{e(card.note)}</p>')
    if card.closed:
        parts.append(f'<p class="status">{e(card.closed)}</p>')
    elif token:
        parts.append(_form(card, token, chosen))
    return f'<div class="card">{"".join(parts)}</div>'


def _form(card: Card, token: str, chosen: str) -> str:
    e = html.escape
    out = [f'<form method="post"><input type="hidden" name="token" value="{e(token)}">']
    for s in card.selects:
        options = "".join(
            f'<option value="{e(o.id)}"{" selected" if o.id == s.selected else ""}>{e(o.text)}</option>'
            for o in s.options
        )
        out.append(f'<p>{e(s.title)}</p><select name="sel:{e(s.key)}">{options}</select>')
    buttons = [*card.buttons, *([card.submit] if card.submit else [])]
    for i, b in enumerate(buttons):
        css = "primary" if b.style == "primary" or str(i) == chosen else b.style
        out.append(
            f'<button type="submit" name="payload" value="{e(b.payload)}" class="{e(css)}">'
            f"{e(b.text)}</button>"
        )
    out.append("</form>")
    return "".join(out)


def _page(title: str, body: str, status: int = 200) -> web.Response:
    doc = (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )
    return web.Response(
        text=doc, status=status, content_type="text/html", charset="utf-8", headers=_HEADERS
    )
