"""Robot-message and card-callback bodies as DingTalk sends them, and a sample AMR voice note."""

from __future__ import annotations

import io
import json
import math
import secrets
from typing import Any

import av
import numpy as np


def new_msg_id() -> str:
    return "msg" + secrets.token_urlsafe(18)


def robot_message(
    *,
    robot_code: str,
    user: str,
    msgtype: str,
    body: dict[str, Any],
    created_ms: int,
    session_webhook: str,
    session_expires_ms: int,
    conversation_id: str,
    group: bool = False,
    nick: str = "",
    msg_id: str | None = None,
) -> dict[str, Any]:
    """The JSON DingTalk sends for one robot message (Stream ``data`` or the HTTP-mode body)."""
    message: dict[str, Any] = {
        "msgId": msg_id or new_msg_id(),
        "msgtype": msgtype,
        "createAt": created_ms,
        "conversationType": "2" if group else "1",
        "conversationId": conversation_id,
        "senderId": "$:LWCP_v1:$" + secrets.token_urlsafe(24),  # encrypted; not a user id
        "senderStaffId": user,
        "senderNick": nick or user,
        "senderCorpId": "ding" + "0" * 16,
        "chatbotUserId": "$:LWCP_v1:$" + secrets.token_urlsafe(24),
        "chatbotCorpId": "ding" + "0" * 16,
        "robotCode": robot_code,
        "isAdmin": False,
        "sessionWebhook": session_webhook,
        "sessionWebhookExpiredTime": session_expires_ms,
        **body,
    }
    if group:
        message["isInAtList"] = True
        message["conversationTitle"] = "销售群"
        message["atUsers"] = [{"dingtalkId": message["chatbotUserId"]}]
    return message


def text_body(text: str, *, group: bool, robot_name: str = "销售助手") -> dict[str, Any]:
    # In groups DingTalk keeps the text after the robot's @name, leading space included.
    return {"text": {"content": f"@{robot_name} {text}" if group else text}}


def audio_body(download_code: str, recognition: str | None, duration_ms: int) -> dict[str, Any]:
    content: dict[str, Any] = {"downloadCode": download_code, "duration": duration_ms}
    content["recognition"] = recognition or ""
    return {"content": content}


def card_callback(
    *, user: str, out_track_id: str, payload: str, params: dict[str, Any] | None = None
) -> dict[str, Any]:
    private = {"actionIds": ["btn_action"], "params": {"payload": payload, **(params or {})}}
    content = json.dumps({"cardPrivateData": private}, ensure_ascii=False)
    return {
        "type": "actionCallback",
        "userId": user,
        "outTrackId": out_track_id,
        "corpId": "ding" + "0" * 16,
        "userIdType": 1,
        "spaceType": "IM",
        "content": content,
        "value": content,
        "extension": "{}",
    }


def sample_amr(seconds: float = 1.0, hz: float = 440.0) -> bytes:
    """A real AMR-NB file (a tone), encoded with PyAV, as DingTalk serves voice notes."""
    rate = 8000
    samples = int(rate * seconds)
    t = np.arange(samples) / rate
    wave = (0.3 * np.sin(2 * math.pi * hz * t) * 32767).astype(np.int16)
    buf = io.BytesIO()
    with av.open(buf, "w", format="amr") as out:
        stream = out.add_stream("libopencore_amrnb", rate=rate)
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(wave.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buf.getvalue()
