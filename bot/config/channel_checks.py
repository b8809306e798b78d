"""Checks over each platform app's typed values: what an enabled app must have filled in.

Run app by app over the raw (substituted) mapping, each app validated with its broken keys left
out (see partial.py), so ``agent_id: abc`` does not hide a missing secret in the same app nor a
problem in another app.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator, Mapping
from typing import Any

from bot.config.channels import DingtalkApp, WecomApp
from bot.config.models import Server
from bot.config.partial import partial
from bot.config.rawdata import Loc, items

REQUIRED = "启用该渠道时必须填写"
AES_KEY_CHARS = 43  # WeCom's EncodingAESKey: 32 bytes in base64 without its trailing "="
AES_KEY_BYTES = 32


def channel_problems(raw: Mapping[str, Any]) -> Iterator[tuple[Loc, str]]:
    paths: list[tuple[Loc, str]] = []  # the callback paths served, which must not collide
    for i, item in items(raw, "channels", "wecom"):
        loc: Loc = ("channels", "wecom", i)
        wecom, dropped = partial(WecomApp, item)
        # An ``enabled`` that failed validation leaves unknown whether the app is on.
        if wecom is None or not wecom.enabled or ("enabled",) in dropped:
            continue
        yield from _wecom_fields(wecom, loc)
        if ("callback_path",) not in dropped:
            paths.append(((*loc, "callback_path"), wecom.callback_path))
    server, _ = partial(Server, raw.get("server"))
    for i, item in items(raw, "channels", "dingtalk"):
        loc = ("channels", "dingtalk", i)
        ding, dropped = partial(DingtalkApp, item)
        if ding is None or not ding.enabled or ("enabled",) in dropped:
            continue
        yield from _dingtalk_fields(ding, server, loc)
        if ding.mode == "http" and not {("mode",), ("callback_path",)} & dropped:
            paths.append(((*loc, "callback_path"), ding.callback_path))
    seen: set[str] = set()
    for loc, path in paths:
        if path in seen:
            yield loc, f"回调路径 {path} 被使用了两次"
        seen.add(path)


def aes_key_problem(key: str) -> str | None:
    """Why ``key`` cannot be a WeCom EncodingAESKey, or None when its format is right."""
    if len(key) != AES_KEY_CHARS:
        return f"必须正好 43 个字符（现在是 {len(key)} 个）"
    try:
        decoded = base64.b64decode(key + "=", validate=True)
    except (binascii.Error, ValueError):
        decoded = b""
    if len(decoded) != AES_KEY_BYTES:
        return "不是有效的密钥（应为 43 位字母、数字、+ 或 /）：请从企业微信后台重新复制"
    return None


def _wecom_fields(app: WecomApp, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if not app.corp_id:
        yield (*loc, "corp_id"), REQUIRED
    for key in ("secret", "token", "encoding_aes_key"):
        if not getattr(app, key).get_secret_value():
            yield (*loc, key), REQUIRED
    aes_key = app.encoding_aes_key.get_secret_value()
    if aes_key and (problem := aes_key_problem(aes_key)) is not None:
        yield (*loc, "encoding_aes_key"), problem
    if not app.agent_id:
        yield (*loc, "agent_id"), REQUIRED


def _dingtalk_fields(
    app: DingtalkApp, server: Server | None, loc: Loc
) -> Iterator[tuple[Loc, str]]:
    if not app.app_key:
        yield (*loc, "app_key"), REQUIRED
    if not app.app_secret.get_secret_value():
        yield (*loc, "app_secret"), REQUIRED
    if app.card_template_id is None and server is not None:
        # Without an interactive card template, buttons are signed links to the bot's own page.
        why = "channels.dingtalk 没有 card_template_id 时，审批链接需要它"
        if not server.link_secret.get_secret_value():
            yield ("server", "link_secret"), why
        if not server.public_url:
            yield ("server", "public_url"), why
