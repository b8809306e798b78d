"""salesbot doctor against both simulators: ✓ with the right credentials, the exact ✗ otherwise."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from pydantic import SecretStr

from bot.app import create_app
from bot.config import AppConfig
from bot.config.channels import Channels
from bot.devtools.sim.dingtalk import DingtalkSimulator
from bot.devtools.sim.wecom import WecomSimulator
from bot.ops.doctor import report, run_doctor
from bot.ops.doctor_local import check_asr, check_database, check_font, check_llm
from bot.ops.findings import Finding
from storage.db import redact_url
from tests.pipeline.test_processes import free_port
from tests.support.fake_llm import KEY, start_fake_llm
from tests.support.harness import make_config

TEMPLATE = "salesbot-approval-v1"
NOT_LOCAL = ("asr", "font", "llm")  # loading Whisper is its own test below
SECRET_FIX = (
    "Secret 不对：在企业微信管理后台「应用管理 → 应用」里查看 Secret，填到 channels.wecom.secret"
)


@pytest.fixture
async def sims() -> AsyncIterator[tuple[WecomSimulator, DingtalkSimulator]]:
    wecom = WecomSimulator()
    wecom.add_user("LinFeng", "林峰")
    wecom.add_user("ZhangWei", "张伟")
    await wecom.start()
    ding = DingtalkSimulator()
    ding.tenant.card_templates = {TEMPLATE}
    await ding.start()
    yield wecom, ding
    await wecom.stop()
    await ding.stop()


def configured(
    db_url: str,
    wecom: WecomSimulator,
    ding: DingtalkSimulator,
    *,
    public_url: str | None = None,
    wecom_app: dict[str, Any] | None = None,
    ding_app: dict[str, Any] | None = None,
) -> AppConfig:
    base = make_config(db_url)
    channels = Channels(
        wecom=(wecom.app_config(**(wecom_app or {})),),
        dingtalk=(ding.app_config(**{"card_template_id": TEMPLATE, **(ding_app or {})}),),
    )
    server = base.server.model_copy(update={"public_url": public_url})
    return base.model_copy(update={"channels": channels, "server": server})


def lines(found: list[Finding]) -> list[str]:
    return [f.line() for f in found]


async def running_bot(config: AppConfig, port: int) -> web.AppRunner:
    runner = web.AppRunner(create_app(config))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner


async def test_all_checks_pass_with_the_right_credentials(
    sims: tuple[WecomSimulator, DingtalkSimulator], db_url: str
) -> None:
    wecom, ding = sims
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    config = configured(db_url, wecom, ding, public_url=base)
    runner = await running_bot(config, port)
    try:
        found = await run_doctor(config, skip_sections=NOT_LOCAL)
    finally:
        await runner.cleanup()
    assert lines(found) == [
        f"✓ 数据库 {redact_url(db_url)}：可以连接，结构已是最新",
        "✓ 企业微信 wecom 获取 token：corp_id 和 Secret 正确",
        f"✓ 企业微信 wecom 应用：「销售助手」（agentid {wecom.agent_id}）可见范围 2 人、1 个部门",
        "✓ 企业微信 wecom EncodingAESKey：格式正确；是否与企业微信后台一致，由企业微信在后台保存回调 URL 时校验",
        f"✓ 企业微信 wecom 回调地址：{base}/wecom/callback 通过了企业微信的 URL 校验",
        "✓ 钉钉 dingtalk 获取 token：AppKey 和 AppSecret 正确",
        "✓ 钉钉 dingtalk Stream 连接：已建立并正常关闭",
        f"✓ 钉钉 dingtalk 卡片模板：{TEMPLATE} 可用",
    ]
    assert report(found) == ("\n".join(lines(found)) + "\n全部通过，可以运行 salesbot serve。", 0)
    # The probe card was created for the check, never delivered to anyone.
    assert not any(ding.items(user) for user in ("staff2001", "manager0001"))


async def test_wrong_secrets_and_template_give_exact_lines(
    sims: tuple[WecomSimulator, DingtalkSimulator], sqlite_url: str
) -> None:
    wecom, ding = sims
    config = configured(
        sqlite_url,
        wecom,
        ding,
        wecom_app={"secret": "not-the-secret"},
        ding_app={"app_secret": "not-the-secret"},
    )
    found = await run_doctor(config, skip_sections=("database", *NOT_LOCAL))
    assert lines(found) == [
        f"✗ 企业微信 wecom 获取 token：errcode 40001 invalid credential → {SECRET_FIX}",
        "✗ 钉钉 dingtalk 获取 token：HTTP 400 invalidClientIdOrSecret → 在钉钉开发者后台"
        "「凭证与基础信息」复制 Client ID 和 Client Secret，填到 channels.dingtalk.app_key / app_secret",
    ]
    text, status = report(found)
    assert status == 1 and text.endswith("有 2 项需要处理。")

    other = configured(
        sqlite_url,
        wecom,
        ding,
        wecom_app={"agent_id": wecom.agent_id + 1},
        ding_app={"card_template_id": "no-such-template"},
    )
    found = await run_doctor(other, skip_sections=("database", *NOT_LOCAL))
    by_title = {f.title: f.line() for f in found}
    assert by_title["企业微信 wecom 应用"] == (
        f"✗ 企业微信 wecom 应用：agentid {wecom.agent_id + 1}：errcode 40056 invalid agentid → "
        "agent_id 不对：在「应用管理 → 应用」复制 AgentId，填到 channels.wecom.agent_id"
    )
    assert by_title["钉钉 dingtalk 卡片模板"] == (
        "✗ 钉钉 dingtalk 卡片模板：no-such-template 不可用（HTTP 400 "
        "InvalidParameter.cardTemplateId） → 在钉钉卡片平台确认模板已发布，并把模板 ID 填到 "
        "channels.dingtalk.card_template_id"
    )


async def test_wrong_aes_key_and_callback_states(
    sims: tuple[WecomSimulator, DingtalkSimulator], sqlite_url: str
) -> None:
    wecom, ding = sims
    broken = configured(sqlite_url, wecom, ding, wecom_app={"encoding_aes_key": "!" * 43})
    found = await run_doctor(broken, skip_sections=("database", "dingtalk", *NOT_LOCAL))
    assert lines(found)[2:] == [
        "✗ 企业微信 wecom EncodingAESKey：不是 43 位 Base64 密钥，回调无法解密 → 在应用的"
        "「接收消息 → 设置 API 接收」页重新复制 EncodingAESKey，填到 channels.wecom.encoding_aes_key",
        "– 企业微信 wecom 回调地址：跳过（没有配置 server.public_url，无法从外部验证 /wecom/callback）",
    ]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    config = configured(sqlite_url, wecom, ding, public_url=base)
    found = await run_doctor(config, skip_sections=("database", "dingtalk", *NOT_LOCAL))
    assert found[-1].line() == (
        f"✗ 企业微信 wecom 回调地址：{base}/wecom/callback 无法连接（ClientConnectorError）"
        " → 先运行 salesbot serve，并确认反向代理把该路径转发到机器人"
    )
    # The bot runs with another key than the file the doctor reads: the URL check fails.
    other_key = "A" * 43
    runner = await running_bot(
        configured(
            sqlite_url, wecom, ding, public_url=base, wecom_app={"encoding_aes_key": other_key}
        ),
        port,
    )
    try:
        found = await run_doctor(config, skip_sections=("database", "dingtalk", *NOT_LOCAL))
    finally:
        await runner.cleanup()
    # Same token, other key: the signature holds and the decryption fails (the bot's 400).
    assert found[-1].line() == (
        f"✗ 企业微信 wecom 回调地址：{base}/wecom/callback 没有通过 URL 校验（HTTP 400）"
        " → 运行中的机器人用的 Token/EncodingAESKey 与本配置不同：重启 salesbot serve 使配置生效"
    )


async def test_database_unreachable_and_not_migrated(tmp_path: Path) -> None:
    down = make_config("postgres://postgres@127.0.0.1:1/salesbot")
    assert (await check_database(down)).line() == (
        "✗ 数据库 postgres://postgres@127.0.0.1:1/salesbot：无法连接（ConnectionRefusedError）"
        " → 检查 database.url，确认数据库已启动、本机可以访问、账号有权限"
    )
    fresh = make_config(f"sqlite://{tmp_path}/new.sqlite3")
    line = (await check_database(fresh)).line()
    assert line.startswith(f"✗ 数据库 sqlite://{tmp_path}/new.sqlite3：可以连接，但还有 ")
    assert line.endswith("个迁移未执行 → 运行 salesbot migrate")


async def test_asr_loads_and_transcribes_the_bundled_sample() -> None:
    config = make_config("sqlite://:memory:")
    finding = await check_asr(config)
    assert finding.status == "ok", finding.line()
    assert finding.line().startswith(
        "✓ 语音识别 faster-whisper（bundled-base）：模型已加载，1.0 秒样本用时 "
    )
    assert "实时率" in finding.detail and "识别为「" in finding.detail


async def test_a_missing_model_gives_the_exact_line(tmp_path: Path) -> None:
    config = make_config("sqlite://:memory:")
    missing = tmp_path / "no-model"
    asr = config.asr.model_copy(update={"model": str(missing)})
    finding = await check_asr(config.model_copy(update={"asr": asr}))
    assert finding.line() == (
        f"✗ 语音识别 faster-whisper（{missing}）：找不到配置的语音识别模型，请检查 asr.model。"
        f"（model directory {missing} does not exist）"
        " → 检查 asr.model：bundled-base、一个存在的模型目录或模型名称"
    )


async def test_dingtalk_stream_gateway_refusing_the_connection_is_a_fail(
    sims: tuple[WecomSimulator, DingtalkSimulator], sqlite_url: str
) -> None:
    wecom, ding = sims
    ding.refuse_connections(1)  # the gateway answers connections/open with 503
    config = configured(sqlite_url, wecom, ding)
    found = await run_doctor(config, skip_sections=("database", "wecom", *NOT_LOCAL))
    assert lines(found) == [
        "✓ 钉钉 dingtalk 获取 token：AppKey 和 AppSecret 正确",
        "✗ 钉钉 dingtalk Stream 连接：connections/open 返回 HTTP 503 ServiceUnavailable → "
        "钉钉 Stream 网关暂时不可用：稍后再运行 salesbot doctor；一直失败请检查本机到 openapi_base 的网络",
        f"✓ 钉钉 dingtalk 卡片模板：{TEMPLATE} 可用",
    ]
    assert report(found)[1] == 1


def test_no_font_with_chinese_glyphs_is_a_fail() -> None:
    pytest.importorskip("matplotlib")
    from matplotlib import font_manager, get_data_path

    # matplotlib's own DejaVu Sans: a real font, without Chinese glyphs.
    latin = Path(get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    only_latin = [font_manager.FontEntry(fname=str(latin), name="DejaVu Sans")]
    assert check_font(only_latin).line() == (
        "✗ 图表中文字体：没有找到能显示中文的字体，图表里的中文会显示成方框"
        " → 安装 fonts-noto-cjk 或 fonts-wqy-microhei（apt install），然后重启"
    )
    assert check_font([]).status == "fail"


async def test_dingtalk_http_mode_checks_the_served_callback_path(
    sims: tuple[WecomSimulator, DingtalkSimulator], sqlite_url: str
) -> None:
    wecom, ding = sims
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    http = {"mode": "http", "callback_path": "/dingtalk/callback"}
    config = configured(sqlite_url, wecom, ding, public_url=base, ding_app=http)
    wrong_path = configured(
        sqlite_url, wecom, ding, public_url=base, ding_app={**http, "callback_path": "/ding/cb"}
    )
    runner = await running_bot(config, port)
    try:
        found = await run_doctor(config, skip_sections=("database", "wecom", *NOT_LOCAL))
        missing = await run_doctor(wrong_path, skip_sections=("database", "wecom", *NOT_LOCAL))
    finally:
        await runner.cleanup()
    assert (
        found[1].line()
        == f"✓ 钉钉 dingtalk 回调地址：{base}/dingtalk/callback 由运行中的机器人应答"
    )
    assert missing[1].line() == (
        f"✗ 钉钉 dingtalk 回调地址：{base}/ding/cb 返回 404"
        " → 检查 callback_path 与反向代理的转发路径是否一致"
    )


async def test_a_proxy_answering_for_a_stopped_bot_is_not_taken_for_the_bot(
    sims: tuple[WecomSimulator, DingtalkSimulator], sqlite_url: str, aiohttp_server: Any
) -> None:
    """nginx with the bot down answers 502 on every path: a ✗ that says so, for both platforms;
    any other answer that is not the bot's own is no ✓ either."""
    wecom, ding = sims
    answer = {"status": 502}

    async def proxy(request: web.Request) -> web.Response:
        return web.Response(status=answer["status"], text="<html>Bad Gateway</html>")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", proxy)
    server = await aiohttp_server(app)
    base = str(server.make_url("")).rstrip("/")
    http = {"mode": "http", "callback_path": "/dingtalk/callback"}
    config = configured(sqlite_url, wecom, ding, public_url=base, ding_app=http)
    found = await run_doctor(config, skip_sections=("database", *NOT_LOCAL))
    by_title = {f.title: f.line() for f in found}
    fix = "运行 salesbot serve，并确认反向代理把该路径转发到机器人监听的 127.0.0.1:8080"
    assert by_title["企业微信 wecom 回调地址"] == (
        f"✗ 企业微信 wecom 回调地址：{base}/wecom/callback 返回 HTTP 502："
        f"机器人未运行或反向代理无法连到它 → {fix}"
    )
    assert by_title["钉钉 dingtalk 回调地址"] == (
        f"✗ 钉钉 dingtalk 回调地址：{base}/dingtalk/callback 返回 HTTP 502："
        f"机器人未运行或反向代理无法连到它 → {fix}"
    )
    answer["status"] = 200  # e.g. a default site's page where the bot should be
    found = await run_doctor(config, skip_sections=("database", *NOT_LOCAL))
    by_title = {f.title: f.line() for f in found}
    wrong = "检查 server.public_url 和反向代理：该路径应转发到 salesbot serve"
    assert by_title["企业微信 wecom 回调地址"] == (
        f"✗ 企业微信 wecom 回调地址：{base}/wecom/callback 返回 HTTP 200，不是机器人的应答 → {wrong}"
    )
    assert by_title["钉钉 dingtalk 回调地址"] == (
        f"✗ 钉钉 dingtalk 回调地址：{base}/dingtalk/callback 返回 HTTP 200，不是机器人的应答 → {wrong}"
    )


async def test_llm_endpoint_is_checked_when_enabled(aiohttp_server) -> None:  # type: ignore[no-untyped-def]
    fake = await start_fake_llm(aiohttp_server, {"ok": True})
    config = make_config("sqlite://:memory:")

    def with_llm(**values: Any) -> AppConfig:
        llm = config.nlp.llm.model_copy(update={"enabled": True, "base_url": fake["url"], **values})
        return config.model_copy(update={"nlp": config.nlp.model_copy(update={"llm": llm})})

    good = with_llm(api_key=SecretStr(KEY))
    assert (await check_llm(good)).line() == (
        f"✓ 大模型 {good.nlp.llm.model}：{fake['url']}/v1/chat/completions 可用"
    )
    wrong = with_llm(api_key=SecretStr("sk-wrong"))
    assert (await check_llm(wrong)).line() == (
        f"✗ 大模型 {good.nlp.llm.model}：接口拒绝了密钥（HTTP 401） → 检查 nlp.llm.api_key"
    )
    assert (
        await check_llm(config)
    ).line() == "– 大模型：跳过（nlp.llm.enabled 为 false，只用规则抽取）"
