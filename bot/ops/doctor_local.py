"""Doctor checks on this machine: the database, speech recognition, the chart font, the LLM."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from importlib import resources

import aiohttp

from bot.config.models import AppConfig
from bot.fonts import FontFile, find_cjk_font
from bot.ops.findings import Finding, fail, ok, skip
from nlp.asr.errors import AsrError
from nlp.audio import AudioError
from storage.db import Database, redact_url
from storage.migrate import pending_migrations

DB_TIMEOUT_S = 15.0
SAMPLE = "one_second.amr"  # 1.0 s of a rep's voice note (AMR-NB, as WeCom sends), bundled


async def check_database(config: AppConfig) -> Finding:
    url = config.database.url
    title = f"数据库 {redact_url(url)}"
    db = Database(url)
    try:
        await asyncio.wait_for(db.open(), DB_TIMEOUT_S)
        await asyncio.wait_for(db.ping(), DB_TIMEOUT_S)
        pending = await pending_migrations(db)
    except Exception as exc:  # any driver's failure is the admin's to read, not ours to crash on
        return fail(
            title,
            f"无法连接（{type(exc).__name__}）",
            "检查 database.url，确认数据库已启动、本机可以访问、账号有权限",
        )
    finally:
        await db.close()
    if pending:
        return fail(title, f"可以连接，但还有 {len(pending)} 个迁移未执行", "运行 salesbot migrate")
    return ok(title, "可以连接，结构已是最新")


def sample_audio() -> bytes:
    return (resources.files("nlp.asr") / "data" / SAMPLE).read_bytes()


async def check_asr(config: AppConfig) -> Finding:
    from nlp.asr.service import AsrService

    settings = config.asr
    title = f"语音识别 {settings.engine}（{settings.model}）"
    # One thread worker: the check needs the model loaded once, not the production pool.
    probe = settings.model_copy(update={"workers": 1, "executor": "thread"})
    try:
        async with AsrService(probe) as asr:
            # The first pass pays one-off set-up inside the engine; the second is what a note costs.
            first = await asr.transcribe(sample_audio())
            transcript = await asr.transcribe(sample_audio())
    except AsrError as exc:
        detail = exc.message_zh + (f"（{exc.detail}）" if exc.detail else "")
        return fail(title, detail, "检查 asr.model：bundled-base、一个存在的模型目录或模型名称")
    except AudioError as exc:
        return fail(title, f"样本音频无法解码（{exc}）", "检查 PyAV/FFmpeg 是否完整安装")
    duration = transcript.duration_s or 1.0
    rtf = transcript.elapsed_s / duration
    heard = transcript.text.strip() or "（无文字）"
    return ok(
        title,
        f"模型已加载，{duration:.1f} 秒样本用时 {transcript.elapsed_s:.2f} 秒"
        f"（实时率 {rtf:.2f}；首次 {first.elapsed_s:.2f} 秒），识别为「{heard}」",
    )


def check_font(fonts: Iterable[FontFile] | None = None) -> Finding:
    """The font the charts will use (the same finder), from ``fonts`` or matplotlib's list."""
    found = find_cjk_font(fonts)
    if found is None:
        return fail(
            "图表中文字体",
            "没有找到能显示中文的字体，图表里的中文会显示成方框",
            "安装 fonts-noto-cjk 或 fonts-wqy-microhei（apt install），然后重启",
        )
    name, path = found
    return ok("图表中文字体", f"{name}（{path}）")


async def check_llm(config: AppConfig) -> Finding:
    llm = config.nlp.llm
    title = f"大模型 {llm.model}"
    if not llm.enabled:
        return skip("大模型", "nlp.llm.enabled 为 false，只用规则抽取")
    headers = {}
    if llm.api_key is not None:
        headers["Authorization"] = f"Bearer {llm.api_key.get_secret_value()}"
    # Shaped like the extractor's own request (a system prompt, JSON mode), so a server that
    # cannot do JSON mode fails here rather than on a rep's note.
    payload = {
        "model": llm.model,
        "messages": [
            {"role": "system", "content": "只用 JSON 回答。"},
            {"role": "user", "content": '回答 {"ok": true}'},
        ],
        "response_format": {"type": "json_object"},
        "max_tokens": 16,
    }
    timeout = aiohttp.ClientTimeout(total=llm.timeout_s)
    try:
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.post(llm.chat_url, json=payload, headers=headers) as resp,
        ):
            status = resp.status
    except (aiohttp.ClientError, TimeoutError) as exc:
        return fail(
            title, f"{llm.chat_url} 无法连接（{type(exc).__name__}）", "检查 nlp.llm.base_url"
        )
    if status in (401, 403):
        return fail(title, f"接口拒绝了密钥（HTTP {status}）", "检查 nlp.llm.api_key")
    if status != 200:
        return fail(title, f"接口返回 HTTP {status}", "检查 nlp.llm.base_url 和 nlp.llm.model")
    return ok(title, f"{llm.chat_url} 可用")
