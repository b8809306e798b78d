"""The openai-compatible engine against a local fake of the OpenAI transcription API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from nlp.asr import AsrError, AsrService, AudioError
from nlp.asr.engine_remote import RemoteAsrError, RemoteTranscriber, transcriptions_url
from nlp.settings_asr import AsrSettings, RemoteAsrSettings

AUDIO = Path(__file__).resolve().parent.parent / "data" / "audio"
Reply = Callable[[int], Awaitable[web.StreamResponse]]


@dataclass
class FakeOpenAI:
    """Records each request; ``reply(attempt)`` decides the answer."""

    reply: Reply
    requests: list[dict[str, Any]] = field(default_factory=list)
    release: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        upload = form["file"]
        assert isinstance(upload, web.FileField)
        self.requests.append(
            {
                "path": request.path,
                "auth": request.headers.get("Authorization"),
                "fields": {k: v for k, v in form.items() if isinstance(v, str)},
                "file": upload.file.read(),
                "content_type": upload.content_type,
            }
        )
        return await self.reply(len(self.requests))

    async def hang(self) -> web.StreamResponse:
        # Never answers in time; released at teardown so the server can shut down.
        await self.release.wait()
        return web.json_response({"text": "太迟了"})


async def start_fake(
    aiohttp_server: Any, reply: Reply | None = None
) -> tuple[FakeOpenAI, TestServer]:
    fake = FakeOpenAI(reply=reply or (lambda _: fake.hang()))
    app = web.Application()
    app.router.add_post("/v1/audio/transcriptions", fake.handle)
    server = await aiohttp_server(app)
    return fake, server


def json_reply(text: str, status: int = 200) -> Reply:
    async def reply(_: int) -> web.StreamResponse:
        return web.json_response({"text": text} if status == 200 else {"error": "x"}, status=status)

    return reply


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


def remote(server: TestServer, **overrides: Any) -> RemoteAsrSettings:
    values: dict[str, Any] = {"base_url": str(server.make_url("")), "backoff_s": 0.0}
    return RemoteAsrSettings.model_validate({**values, **overrides})


# --- the HTTP client ---------------------------------------------------------------------------


def test_url_building() -> None:
    assert transcriptions_url("http://gpu:8000") == "http://gpu:8000/v1/audio/transcriptions"
    assert transcriptions_url("http://gpu:8000/") == "http://gpu:8000/v1/audio/transcriptions"
    assert transcriptions_url("https://gpu/v1/") == "https://gpu/v1/audio/transcriptions"


async def test_posts_the_openai_multipart_form(
    aiohttp_server: Any, session: aiohttp.ClientSession
) -> None:
    fake, server = await start_fake(aiohttp_server, json_reply("好的"))
    client = RemoteTranscriber(remote(server, api_key="sk-test", model="large-v3"), session)
    assert await client.transcribe(b"RIFF-wav", language="zh", prompt="华东机械") == "好的"
    [request] = fake.requests
    assert request["path"] == "/v1/audio/transcriptions"
    assert request["auth"] == "Bearer sk-test"
    assert request["fields"] == {
        "model": "large-v3",
        "language": "zh",
        "response_format": "json",
        "prompt": "华东机械",
    }
    assert request["file"] == b"RIFF-wav"
    assert request["content_type"] == "audio/wav"


async def test_retries_server_errors_with_backoff(
    aiohttp_server: Any, session: aiohttp.ClientSession
) -> None:
    async def flaky(attempt: int) -> web.StreamResponse:
        if attempt < 3:
            return web.json_response({"error": "busy"}, status=503)
        return web.json_response({"text": "第三次成功"})

    fake, server = await start_fake(aiohttp_server, flaky)
    client = RemoteTranscriber(remote(server, retries=2), session)
    assert await client.transcribe(b"x", language="zh", prompt=None) == "第三次成功"
    assert len(fake.requests) == 3
    assert "prompt" not in fake.requests[0]["fields"]


async def test_client_errors_are_not_retried(
    aiohttp_server: Any, session: aiohttp.ClientSession
) -> None:
    fake, server = await start_fake(aiohttp_server, json_reply("", status=400))
    client = RemoteTranscriber(remote(server, retries=3), session)
    with pytest.raises(RemoteAsrError, match="HTTP 400"):
        await client.transcribe(b"x", language="zh", prompt=None)
    assert len(fake.requests) == 1


async def test_answers_without_text_are_errors(
    aiohttp_server: Any, session: aiohttp.ClientSession
) -> None:
    async def odd(_: int) -> web.StreamResponse:
        return web.json_response({"segments": []})

    _, server = await start_fake(aiohttp_server, odd)
    client = RemoteTranscriber(remote(server, retries=0), session)
    with pytest.raises(RemoteAsrError, match="no text"):
        await client.transcribe(b"x", language="zh", prompt=None)


async def test_timeouts_are_retried_then_reported(
    aiohttp_server: Any, session: aiohttp.ClientSession
) -> None:
    fake, server = await start_fake(aiohttp_server)
    client = RemoteTranscriber(remote(server, timeout_s=0.2, retries=1), session)
    with pytest.raises(RemoteAsrError, match="timed out"):
        await client.transcribe(b"x", language="zh", prompt=None)
    assert len(fake.requests) == 2
    fake.release.set()


# --- through the service -----------------------------------------------------------------------


def service_settings(server: TestServer, **remote_overrides: Any) -> AsrSettings:
    return AsrSettings.model_validate(
        {
            "engine": "openai-compatible",
            "executor": "thread",
            "remote": {"base_url": str(server.make_url("")), "backoff_s": 0.0, **remote_overrides},
        }
    )


async def test_remote_answer_is_used_and_simplified(aiohttp_server: Any) -> None:
    fake, server = await start_fake(
        aiohttp_server, json_reply("華東機械報價三十萬，下週三之前回覆。")
    )
    async with AsrService(service_settings(server)) as asr:
        transcript = await asr.transcribe(
            (AUDIO / "visit_quote.amr").read_bytes(), hotwords=["华东机械"]
        )
    assert transcript.text == "华东机械报价三十万，下周三之前回复。"
    assert transcript.engine == "openai-compatible"
    assert transcript.fallback_reason is None
    assert transcript.duration_s == pytest.approx(6.2, abs=0.1)
    [request] = fake.requests
    assert request["file"][:4] == b"RIFF"  # AMR is decoded first: not every server reads it
    assert request["fields"]["prompt"] == "华东机械"


async def test_remote_timeout_falls_back_to_the_local_engine(aiohttp_server: Any) -> None:
    fake, server = await start_fake(aiohttp_server)
    async with AsrService(service_settings(server, timeout_s=0.3, retries=1)) as asr:
        transcript = await asr.transcribe((AUDIO / "visit_quote.amr").read_bytes())
    fake.release.set()
    assert len(fake.requests) == 2
    assert transcript.engine == "faster-whisper"
    assert transcript.fallback_reason is not None and "timed out" in transcript.fallback_reason
    assert "明天" in transcript.text  # the local model really transcribed the note


async def test_no_fallback_means_a_chinese_error(aiohttp_server: Any) -> None:
    _fake, server = await start_fake(aiohttp_server, json_reply("", status=500))
    async with AsrService(service_settings(server, retries=0, fallback="none")) as asr:
        with pytest.raises(AsrError) as caught:
            await asr.transcribe((AUDIO / "visit_quote.amr").read_bytes())
    assert "语音识别服务暂时不可用" in caught.value.message_zh
    assert "HTTP 500" in caught.value.detail


async def test_unusable_audio_is_rejected_before_any_upload(aiohttp_server: Any) -> None:
    fake, server = await start_fake(aiohttp_server, json_reply("不应该被调用"))
    async with AsrService(service_settings(server, fallback="none")) as asr:
        with pytest.raises(AudioError) as caught:
            await asr.transcribe((AUDIO / "silent.amr").read_bytes())
    assert caught.value.code == "silent"
    assert fake.requests == []
