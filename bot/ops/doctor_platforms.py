"""Doctor checks against WeCom and DingTalk with the configured credentials.

Each talks to the configured ``api_base`` / ``openapi_base``, so the same code checks a real tenant
or a simulator. Nothing is sent to a user: the calls are token fetches, the app's own details, a
Stream connection opened and closed, and a card instance that is created but never delivered.

The callback check sends WeCom's own URL verification (a signed, encrypted ``echostr``) to
``server.public_url`` + the callback path, i.e. to the running bot as WeCom would reach it. It
proves the route is served and that the running bot decrypts with this file's token and key; it
cannot prove WeCom holds the same key (no API tells): WeCom checks that itself, with the same
verification, when the admin saves the callback URL in its console.
"""

from __future__ import annotations

import secrets

import aiohttp
from yarl import URL

from bot.channels.wecom.client import WecomApiError, WecomClient, WecomTransportError
from bot.channels.wecom.crypto import WecomCrypto
from bot.clock import Clock
from bot.config.channels import DingtalkApp, WecomApp
from bot.config.models import AppConfig
from bot.ops.findings import Finding, fail, ok, skip

WECOM_FIXES: dict[int, str] = {
    40001: "Secret 不对：在企业微信管理后台「应用管理 → 应用」里查看 Secret，填到 channels.wecom.secret",
    40013: "企业 ID 不对：在「我的企业 → 企业信息」复制企业 ID，填到 channels.wecom.corp_id",
    60020: "本机 IP 不在应用的「企业可信 IP」里：在应用设置里添加本机出口 IP",
    40056: "agent_id 不对：在「应用管理 → 应用」复制 AgentId，填到 channels.wecom.agent_id",
}
PROBE_TIMEOUT_S = 10.0


async def check_wecom(config: AppConfig, app: WecomApp, clock: Clock) -> list[Finding]:
    title = f"企业微信 {app.name}"
    client = WecomClient(app, clock)
    await client.start()
    try:
        try:
            await client.token()
        except WecomApiError as exc:
            fix = WECOM_FIXES.get(exc.errcode, "对照企业微信错误码说明检查应用配置")
            return [fail(f"{title} 获取 token", f"errcode {exc.errcode} {exc.errmsg}", fix)]
        except WecomTransportError as exc:
            return [
                fail(
                    f"{title} 获取 token",
                    f"无法访问 {app.api_base}（{exc}）",
                    "检查网络或 api_base",
                )
            ]
        found = [ok(f"{title} 获取 token", "corp_id 和 Secret 正确")]
        found.append(await _wecom_agent(client, app, title))
    finally:
        await client.stop()
    found.append(_wecom_key(app, title))
    found.append(await _wecom_callback(config, app, title, clock))
    return found


async def _wecom_agent(client: WecomClient, app: WecomApp, title: str) -> Finding:
    try:
        agent = await client.call("GET", "agent/get", params={"agentid": str(app.agent_id)})
    except WecomApiError as exc:
        fix = WECOM_FIXES.get(exc.errcode, "检查 channels.wecom.agent_id 和应用的可见范围")
        return fail(
            f"{title} 应用", f"agentid {app.agent_id}：errcode {exc.errcode} {exc.errmsg}", fix
        )
    except WecomTransportError as exc:
        return fail(f"{title} 应用", f"无法读取应用信息（{exc}）", "检查网络或 api_base")
    users = len((agent.get("allow_userinfos") or {}).get("user") or [])
    parties = len((agent.get("allow_partys") or {}).get("partyid") or [])
    if agent.get("close"):
        return fail(
            f"{title} 应用", f"应用「{agent.get('name', '')}」已停用", "在管理后台启用该应用"
        )
    return ok(
        f"{title} 应用",
        f"「{agent.get('name', '')}」（agentid {app.agent_id}）可见范围 {users} 人、{parties} 个部门",
    )


def _wecom_key(app: WecomApp, title: str) -> Finding:
    try:
        WecomCrypto(
            app.token.get_secret_value(), app.encoding_aes_key.get_secret_value(), app.corp_id
        )
    except ValueError:
        return fail(
            f"{title} EncodingAESKey",
            "不是 43 位 Base64 密钥，回调无法解密",
            "在应用的「接收消息 → 设置 API 接收」页重新复制 EncodingAESKey，填到 channels.wecom.encoding_aes_key",
        )
    # No API tells whether WeCom holds the same key; WeCom checks it itself (with the URL
    # verification this doctor imitates) when the admin saves the callback URL in its console.
    return ok(
        f"{title} EncodingAESKey",
        "格式正确；是否与企业微信后台一致，由企业微信在后台保存回调 URL 时校验",
    )


async def _wecom_callback(config: AppConfig, app: WecomApp, title: str, clock: Clock) -> Finding:
    name = f"{title} 回调地址"
    if not config.server.public_url:
        return skip(name, "没有配置 server.public_url，无法从外部验证 " + app.callback_path)
    url = config.server.public_url.rstrip("/") + app.callback_path
    try:
        crypto = WecomCrypto(
            app.token.get_secret_value(), app.encoding_aes_key.get_secret_value(), app.corp_id
        )
    except ValueError:
        return skip(name, "EncodingAESKey 格式不对，先修正它")
    echo = secrets.token_hex(8)
    encrypt = crypto.seal(echo)
    # The bot refuses timestamps outside its replay window: this is WeCom's wall clock.
    ts, nonce = str(clock.ms() // 1000), str(secrets.randbelow(10**9))
    query = {
        "msg_signature": crypto.signature(ts, nonce, encrypt),
        "timestamp": ts,
        "nonce": nonce,
        "echostr": encrypt,
    }
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=PROBE_TIMEOUT_S)) as s,
            s.get(URL(url).with_query(query)) as resp,
        ):
            status, body = resp.status, await resp.text()
    except (aiohttp.ClientError, TimeoutError) as exc:
        return fail(
            name,
            f"{url} 无法连接（{type(exc).__name__}）",
            "先运行 salesbot serve，并确认反向代理把该路径转发到机器人",
        )
    if status == 200 and body.strip() == echo:
        return ok(name, f"{url} 通过了企业微信的 URL 校验")
    if status == 404:
        return fail(name, f"{url} 返回 404", "检查 callback_path 与反向代理的转发路径是否一致")
    if status in PROXY_DOWN:
        return _proxy_down(name, url, status, config)
    if status >= 500:
        return fail(name, f"{url} 校验时出错（HTTP {status}）", "查看 salesbot serve 的日志")
    if status in (400, 403):  # the bot's own refusal: the signature or the decryption failed
        return fail(
            name,
            f"{url} 没有通过 URL 校验（HTTP {status}）",
            "运行中的机器人用的 Token/EncodingAESKey 与本配置不同：重启 salesbot serve 使配置生效",
        )
    return _not_the_bot(name, url, status)


# What a reverse proxy answers when the bot behind it is down or unreachable.
PROXY_DOWN = frozenset({502, 503, 504})


def _proxy_down(name: str, url: str, status: int, config: AppConfig) -> Finding:
    where = f"{config.server.host}:{config.server.port}"
    return fail(
        name,
        f"{url} 返回 HTTP {status}：机器人未运行或反向代理无法连到它",
        f"运行 salesbot serve，并确认反向代理把该路径转发到机器人监听的 {where}",
    )


def _not_the_bot(name: str, url: str, status: int) -> Finding:
    return fail(
        name,
        f"{url} 返回 HTTP {status}，不是机器人的应答",
        "检查 server.public_url 和反向代理：该路径应转发到 salesbot serve",
    )


DINGTALK_SECRET_FIX = "在钉钉开发者后台「凭证与基础信息」复制 Client ID 和 Client Secret，填到 channels.dingtalk.app_key / app_secret"


STREAM_BUSY_FIX = "钉钉 Stream 网关暂时不可用：稍后再运行 salesbot doctor；一直失败请检查本机到 openapi_base 的网络"
STREAM_MODE_FIX = "在钉钉开发者后台确认应用已发布、机器人的消息接收模式为 Stream 模式"


async def check_dingtalk(config: AppConfig, app: DingtalkApp) -> list[Finding]:
    title = f"钉钉 {app.name}"
    timeout = aiohttp.ClientTimeout(total=min(app.timeout_s, PROBE_TIMEOUT_S))
    async with aiohttp.ClientSession(timeout=timeout) as session:
        try:
            async with session.post(
                f"{app.openapi_base}/v1.0/oauth2/accessToken",
                json={"appKey": app.app_key, "appSecret": app.app_secret.get_secret_value()},
            ) as resp:
                status, data = resp.status, await resp.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            name = f"{title} 获取 token"
            return [
                fail(
                    name,
                    f"无法访问 {app.openapi_base}（{type(exc).__name__}）",
                    "检查网络或 openapi_base",
                )
            ]
        token = str(data.get("accessToken") or "") if isinstance(data, dict) else ""
        if status != 200 or not token:
            code = data.get("code", "") if isinstance(data, dict) else ""
            return [
                fail(f"{title} 获取 token", f"HTTP {status} {code}".strip(), DINGTALK_SECRET_FIX)
            ]
        found = [ok(f"{title} 获取 token", "AppKey 和 AppSecret 正确")]
        if app.mode == "stream":
            found.append(await _stream(session, app, title))
        else:
            found.append(await _http_callback(session, config, app, title))
        found.append(await _card_template(session, app, token, title))
    return found


async def _stream(session: aiohttp.ClientSession, app: DingtalkApp, title: str) -> Finding:
    from bot.channels.dingtalk.parse import CARD_TOPIC, ROBOT_TOPIC

    name = f"{title} Stream 连接"
    body = {
        "clientId": app.app_key,
        "clientSecret": app.app_secret.get_secret_value(),
        "subscriptions": [{"type": "CALLBACK", "topic": t} for t in (ROBOT_TOPIC, CARD_TOPIC)],
        "ua": "salesbot-doctor/1",
        "localIp": "",
    }
    try:
        async with session.post(
            f"{app.openapi_base}/v1.0/gateway/connections/open", json=body
        ) as resp:
            status, data = resp.status, await resp.json(content_type=None)
        if status != 200:
            code = data.get("code", "") if isinstance(data, dict) else ""
            # The token fetch just passed with the same key and secret: not a credentials problem.
            fix = STREAM_BUSY_FIX if status >= 500 else STREAM_MODE_FIX
            return fail(name, f"connections/open 返回 HTTP {status} {code}".strip(), fix)
        endpoint, ticket = str(data.get("endpoint") or ""), str(data.get("ticket") or "")
        ws = await session.ws_connect(URL(endpoint).update_query(ticket=ticket))
        await ws.close()
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        return fail(
            name,
            f"无法建立连接（{type(exc).__name__}）",
            "检查本机能否访问钉钉的 Stream 网关（出站 443）",
        )
    return ok(name, "已建立并正常关闭")


async def _http_callback(
    session: aiohttp.ClientSession, config: AppConfig, app: DingtalkApp, title: str
) -> Finding:
    name = f"{title} 回调地址"
    if not config.server.public_url:
        return skip(
            name, "HTTP 模式，但没有配置 server.public_url，无法从外部验证 " + app.callback_path
        )
    url = config.server.public_url.rstrip("/") + app.callback_path
    try:
        # A GET reaches the POST-only route without creating a message (nor a refused-callback
        # metric): the bot answers 405 and names POST as allowed, which a proxy of its own does not.
        async with session.get(url) as resp:
            status, allowed = resp.status, resp.headers.get("Allow", "")
    except (aiohttp.ClientError, TimeoutError) as exc:
        return fail(
            name, f"{url} 无法连接（{type(exc).__name__}）", "先运行 salesbot serve，并检查反向代理"
        )
    if status == 405 and "POST" in allowed:
        return ok(name, f"{url} 由运行中的机器人应答")
    if status == 404:
        return fail(name, f"{url} 返回 404", "检查 callback_path 与反向代理的转发路径是否一致")
    if status >= 500:  # the bot never fails a GET on this route: the proxy answered for it
        return _proxy_down(name, url, status, config)
    return _not_the_bot(name, url, status)


async def _card_template(
    session: aiohttp.ClientSession, app: DingtalkApp, token: str, title: str
) -> Finding:
    name = f"{title} 卡片模板"
    if app.card_template_id is None:
        return skip(name, "没有配置 card_template_id，审批按钮使用签名链接")
    # DingTalk has no "describe template" API: creating an instance (never delivered) is the test.
    body = {
        "cardTemplateId": app.card_template_id,
        "outTrackId": "salesbot-doctor-" + secrets.token_hex(8),
        "cardData": {"cardParamMap": {}},
        "callbackType": "STREAM" if app.mode == "stream" else "HTTP",
    }
    headers = {"x-acs-dingtalk-access-token": token}
    try:
        async with session.post(
            f"{app.openapi_base}/v1.0/card/instances", json=body, headers=headers
        ) as resp:
            status, data = resp.status, await resp.json(content_type=None)
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        return fail(name, f"无法访问卡片接口（{type(exc).__name__}）", "检查网络或 openapi_base")
    if status == 200:
        return ok(name, f"{app.card_template_id} 可用")
    code = data.get("code", "") if isinstance(data, dict) else ""
    return fail(
        name,
        f"{app.card_template_id} 不可用（HTTP {status} {code}）".replace(" ）", "）"),
        "在钉钉卡片平台确认模板已发布，并把模板 ID 填到 channels.dingtalk.card_template_id",
    )
