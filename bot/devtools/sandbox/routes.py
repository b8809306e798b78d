"""The sandbox page and its small API: the client side of the built-in WeCom simulator.

Every action goes through the simulator as a WeCom client's would (``send_text``,
``send_voice``, ``tap``, ``submit``), so the bot sees encrypted, signed callbacks; what the page
shows is the simulator's feed for the chosen persona. Registered only in demo mode.

    GET  /sandbox                          the page
    GET  /sandbox/api/setup                personas, sample voice notes, org name, time zone
    GET  /sandbox/api/conversation?user=U&etag=E&wait=25   long-poll: the chat once it changed
    POST /sandbox/api/text      {user, text}
    POST /sandbox/api/sample    {user, sample}
    POST /sandbox/api/voice?user=U&seconds=S   body: the recording (audio/webm, ogg, mp4)
    POST /sandbox/api/tap       {user, task_id, key}
    POST /sandbox/api/submit    {user, task_id, choices: {question_key: option_id}}
    GET  /sandbox/api/media/{media_id}?user=U  an image or file the bot sent to U
    GET  /sandbox/api/audio/{id}?user=U        a voice note U sent, playable in a browser
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from aiohttp import web

from bot.config.models import AppConfig
from bot.devtools.demo.mode import DEMO_HOSTS as LOCAL_HOSTS
from bot.devtools.demo.samples import load_samples
from bot.devtools.sandbox.conversation import Conversations, Outgoing
from bot.devtools.sandbox.personas import Persona, personas_of
from bot.devtools.sandbox.playback import playable
from bot.devtools.sim.wecom import WecomSimulator
from bot.devtools.sim.wecom_callbacks import CallbackResult
from bot.devtools.sim.wecom_rules import SimApiError

STATIC = Path(__file__).resolve().parent / "static"
API = "/sandbox/api"
LONG_POLL_S = 25.0
MAX_TEXT_CHARS = 2000
MAX_VOICE_BYTES = 2 << 20  # WeCom's limit for a voice file
MAX_VOICE_SECONDS = 60  # WeCom's longest voice message
RECORDING_TYPES = {"audio/webm": "webm", "audio/ogg": "ogg", "audio/mp4": "m4a"}
IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
MAX_IMAGE_BYTES = 10 << 20  # WeCom's limit for an image
NOT_DELIVERED = "没有送达：机器人没有应答，请查看服务日志。"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class SandboxError(Exception):
    def __init__(self, status: int, message_zh: str) -> None:
        super().__init__(message_zh)
        self.status = status
        self.message_zh = message_zh


def _local_only(handler: Handler) -> Handler:
    """Refuse requests addressed to another host name or sent from another site's page.

    The server binds 127.0.0.1 only; this also stops DNS rebinding and cross-site form posts.
    """

    async def guarded(request: web.Request) -> web.StreamResponse:
        host = urlsplit(f"//{request.host}").hostname
        origin = request.headers.get("Origin")
        if host not in LOCAL_HOSTS or (origin and urlsplit(origin).hostname not in LOCAL_HOSTS):
            return web.json_response({"error": "沙盒只接受本机访问。"}, status=403)
        try:
            return await handler(request)
        except SandboxError as exc:
            return web.json_response({"error": exc.message_zh}, status=exc.status)

    return guarded


class SandboxApi:
    def __init__(self, sim: WecomSimulator, config: AppConfig, samples_dir: Path) -> None:
        self.sim = sim
        self.config = config
        self.personas = {p.userid: p for p in personas_of(config)}
        self.samples = {s.id: s for s in load_samples(samples_dir)}
        self.conversations = Conversations(sim, sim.clock)
        self._playable: dict[int, tuple[bytes, str]] = {}

    def install(self, app: web.Application) -> None:
        routes: list[tuple[str, str, Handler]] = [
            ("GET", "/", self.home),
            ("GET", "/sandbox", self.page),
            ("GET", f"{API}/setup", self.setup),
            ("GET", f"{API}/conversation", self.conversation),
            ("POST", f"{API}/text", self.text),
            ("POST", f"{API}/sample", self.sample),
            ("POST", f"{API}/voice", self.voice),
            ("POST", f"{API}/image", self.image),
            ("POST", f"{API}/tap", self.tap),
            ("POST", f"{API}/submit", self.submit),
            ("GET", f"{API}/media/{{media_id}}", self.media),
            ("GET", f"{API}/audio/{{out_id:\\d+}}", self.audio),
        ]
        app.add_routes([web.route(m, path, _local_only(h)) for m, path, h in routes])
        app.router.add_static("/sandbox/static", STATIC)
        app.on_shutdown.append(self._shutdown)

    async def _shutdown(self, _: web.Application) -> None:
        self.conversations.close()

    # ------------------------------------------------------------------ reading
    async def home(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound("/sandbox")

    async def page(self, request: web.Request) -> web.StreamResponse:
        return web.FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-store"})

    async def setup(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "org_name": self.config.org_name,
                "timezone": self.config.timezone,
                "personas": [p.to_dict() for p in self.personas.values()],
                "samples": [
                    {"id": s.id, "title": s.title, "text": s.text, "seconds": s.seconds}
                    for s in self.samples.values()
                ],
                "max_voice_seconds": MAX_VOICE_SECONDS,
            }
        )

    async def conversation(self, request: web.Request) -> web.Response:
        user = self._persona(request.query.get("user")).userid
        try:
            wait = min(max(float(request.query.get("wait", "0")), 0.0), LONG_POLL_S)
        except ValueError:
            raise SandboxError(400, "wait 参数应为秒数。") from None
        users = list(self.personas)
        snap = await self.conversations.wait(user, users, request.query.get("etag", ""), wait)
        return web.json_response(snap)

    async def media(self, request: web.Request) -> web.StreamResponse:
        user = self._persona(request.query.get("user")).userid
        media_id = request.match_info["media_id"]
        # Only what the bot sent to this persona: the page never browses the tenant's files.
        if not any(i.media_id == media_id for i in self.sim.inbox_of(user)):
            raise SandboxError(404, "找不到这个文件。")
        try:
            stored = self.sim.tenant.get_media(media_id)
        except SimApiError:
            raise SandboxError(404, "文件已过期（企业微信临时素材保存 3 天）。") from None
        inline = stored.content_type.startswith("image/")
        disposition = "inline" if inline else "attachment"
        return web.Response(
            body=stored.data,
            content_type=stored.content_type,
            headers={
                "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(stored.filename)}"
            },
        )

    async def audio(self, request: web.Request) -> web.StreamResponse:
        user = self._persona(request.query.get("user")).userid
        out = self.conversations.sent(user, int(request.match_info["out_id"]))
        if out is None or not out.audio:
            raise SandboxError(404, "找不到这条语音。")
        if out.id not in self._playable:
            self._playable[out.id] = await asyncio.to_thread(playable, out.audio, out.audio_type)
        data, content_type = self._playable[out.id]
        return web.Response(body=data, content_type=content_type)

    # ------------------------------------------------------------------ acting as the user
    async def text(self, request: web.Request) -> web.Response:
        body = await self._json(request)
        user = self._persona(body.get("user")).userid
        text = str(body.get("text", "")).strip()
        if not text:
            raise SandboxError(400, "不能发送空白消息。")
        if len(text) > MAX_TEXT_CHARS:
            raise SandboxError(400, f"消息太长（最多 {MAX_TEXT_CHARS} 字）。")
        out = self.conversations.record(user, "text", text=text)
        return await self._deliver(out, self.sim.send_text(user, text))

    async def sample(self, request: web.Request) -> web.Response:
        body = await self._json(request)
        user = self._persona(body.get("user")).userid
        sample = self.samples.get(str(body.get("sample", "")))
        if sample is None:
            raise SandboxError(404, "没有这条示例语音。")
        data = await asyncio.to_thread(sample.file.read_bytes)
        out = self.conversations.record(
            user,
            "voice",
            seconds=sample.seconds,
            label=sample.title,
            audio=data,
            audio_type="audio/amr",
        )
        return await self._deliver(out, self.sim.send_voice(user, data))

    async def voice(self, request: web.Request) -> web.Response:
        user = self._persona(request.query.get("user")).userid
        content_type = request.content_type
        if content_type not in RECORDING_TYPES:
            raise SandboxError(415, "不支持的录音格式（支持 WebM、Ogg、MP4 音频）。")
        data = await self._body(request, MAX_VOICE_BYTES, "录音太大（企业微信语音最大 2MB）。")
        if not data:
            raise SandboxError(400, "录音是空的，请重新录制。")
        try:
            seconds = min(float(request.query.get("seconds", "0")), MAX_VOICE_SECONDS)
        except ValueError:
            seconds = 0.0
        out = self.conversations.record(
            user, "voice", seconds=seconds, audio=data, audio_type=content_type
        )
        filename = f"voice.{RECORDING_TYPES[content_type]}"
        return await self._deliver(
            out, self.sim.send_voice(user, data, content_type=content_type, filename=filename)
        )

    async def image(self, request: web.Request) -> web.Response:
        """A picture from the phone's album (e.g. an attachment an approval asks for)."""
        user = self._persona(request.query.get("user")).userid
        if request.content_type not in IMAGE_TYPES:
            raise SandboxError(415, "只能发送图片（PNG、JPEG、GIF、WebP）。")
        data = await self._body(request, MAX_IMAGE_BYTES, "图片太大（企业微信图片最大 10MB）。")
        if not data:
            raise SandboxError(400, "图片是空的。")
        name = str(request.query.get("filename", ""))[:60] or "图片"
        out = self.conversations.record(user, "text", text=f"［图片］{name}")
        return await self._deliver(out, self.sim.send_image(user, data, request.content_type))

    async def tap(self, request: web.Request) -> web.Response:
        body = await self._json(request)
        user = self._persona(body.get("user")).userid
        task_id, key = str(body.get("task_id", "")), str(body.get("key", ""))
        try:
            result = await self.sim.tap(user, task_id, key)
        except ValueError:
            raise SandboxError(409, "这张卡片已处理，按钮不能再点。") from None
        except LookupError:
            raise SandboxError(404, "找不到这张卡片或按钮。") from None
        return self._answer(result)

    async def submit(self, request: web.Request) -> web.Response:
        body = await self._json(request)
        user = self._persona(body.get("user")).userid
        choices = body.get("choices") or {}
        if not isinstance(choices, dict):
            raise SandboxError(400, "choices 应为 {问题: 选项}。")
        try:
            result = await self.sim.submit(
                user, str(body.get("task_id", "")), {str(k): str(v) for k, v in choices.items()}
            )
        except ValueError:
            raise SandboxError(409, "这张卡片已处理，不能再提交。") from None
        except LookupError:
            raise SandboxError(400, "请选择列表里的选项。") from None
        return self._answer(result)

    # ------------------------------------------------------------------ helpers
    def _persona(self, userid: object) -> Persona:
        persona = self.personas.get(str(userid or ""))
        if persona is None:
            raise SandboxError(404, "没有这个身份（只有配置里有企业微信账号的人）。")
        return persona

    @staticmethod
    async def _body(request: web.Request, limit: int, too_big: str) -> bytes:
        # Streamed, so the limit is WeCom's for the media type rather than the app's body limit.
        if (request.content_length or 0) > limit:
            raise SandboxError(413, too_big)
        data = bytearray()
        async for chunk in request.content.iter_chunked(64 << 10):
            data += chunk
            if len(data) > limit:
                raise SandboxError(413, too_big)
        return bytes(data)

    async def _json(self, request: web.Request) -> dict[str, Any]:
        # A JSON body cannot come from a plain cross-site form: only the page sends these.
        if request.content_type != "application/json":
            raise SandboxError(415, "请求应为 JSON。")
        try:
            body = json.loads(await request.read())
        except ValueError:
            raise SandboxError(400, "请求不是有效的 JSON。") from None
        if not isinstance(body, dict):
            raise SandboxError(400, "请求不是有效的 JSON。")
        return body

    async def _deliver(self, out: Outgoing, sending: Awaitable[CallbackResult]) -> web.Response:
        result = await sending
        self.conversations.settle(out, result.ok, NOT_DELIVERED)
        return self._answer(result)

    @staticmethod
    def _answer(result: CallbackResult) -> web.Response:
        if not result.ok:
            return web.json_response({"error": NOT_DELIVERED}, status=502)
        return web.json_response({"ok": True})
