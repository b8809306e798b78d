"""DingTalk robot messages and card callbacks → platform-neutral events. Pure functions."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from bot.events import CardActionEvent, Event, FileEvent, ImageEvent, TextEvent, VoiceEvent
from cards.actions import card_id_of

PLATFORM = "dingtalk"
ROBOT_TOPIC = "/v1.0/im/bot/messages/get"
CARD_TOPIC = "/v1.0/card/instances/callback"

# DingTalk puts the robot's @name (followed by a space or U+2005) before group text.
_LEADING_MENTIONS = re.compile(r"^(?:[\s\u2005\u3000]*@[^\s\u2005\u3000]+[\s\u2005\u3000]+)*")


class ParseError(ValueError):
    """The frame or body is not a message we can read (answered, never retried)."""


def strip_mentions(text: str) -> str:
    return _LEADING_MENTIONS.sub("", text).strip()


def _json_object(value: Any) -> dict[str, Any]:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, str) and value:
        try:
            loaded = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ParseError("content is not JSON") from exc
        if isinstance(loaded, dict):
            return loaded
    return {}


def _number(value: Any) -> float:
    """DingTalk sends numbers as numbers or as digit strings; anything else counts as 0."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) else 0.0


def _time(value: Any, fallback: datetime) -> datetime:
    try:
        return datetime.fromtimestamp(int(value) / 1000, UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return fallback


def robot_dedupe_key(app: str, msg_id: str) -> str:
    # Two robots in one group may both get the same msgId; each app's copy is its own event.
    return f"{app}:msg:{msg_id}"


def parse_robot_message(
    data: Mapping[str, Any], *, app: str, now: datetime, fallback_id: str = ""
) -> Event | None:
    """One robot message; None for a type we do not handle (it is still acknowledged)."""
    msg_id = str(data.get("msgId") or fallback_id)
    user = str(data.get("senderStaffId") or "")
    if not msg_id or not user:
        raise ParseError("robot message without msgId or senderStaffId")
    group = str(data.get("conversationType", "1")) == "2"
    hint: dict[str, Any] = {}
    if data.get("sessionWebhook"):
        hint = {
            "session_webhook": str(data["sessionWebhook"]),
            "session_webhook_expires_ms": int(_number(data.get("sessionWebhookExpiredTime"))),
        }
    # The webhook URL is a bearer credential for the chat: it travels in reply_hint only.
    raw = {k: v for k, v in data.items() if k != "sessionWebhook"}
    common: dict[str, Any] = {
        "platform": PLATFORM,
        "app": app,
        "user_id": user,
        "msg_id": msg_id,
        "dedupe_key": robot_dedupe_key(app, msg_id),
        "time": _time(data.get("createAt"), now),
        "conversation_id": (str(data.get("conversationId") or "") or None) if group else None,
        "reply_hint": hint,
        "raw": raw,
    }
    kind = str(data.get("msgtype") or "")
    content = _json_object(data.get("content"))
    if kind == "text":
        text = str(_json_object(data.get("text")).get("content") or "")
        return TextEvent(**common, text=strip_mentions(text) if group else text.strip())
    if kind == "audio":
        duration_ms = _number(content.get("duration"))
        return VoiceEvent(
            **common,
            media_id=_download_code(content),
            duration_s=duration_ms / 1000 if duration_ms else None,
            recognition=str(content.get("recognition") or "").strip() or None,
        )
    if kind == "picture":
        code = str(content.get("downloadCode") or content.get("pictureDownloadCode") or "")
        if not code:
            raise ParseError("picture without downloadCode")
        return ImageEvent(**common, media_id=code)
    if kind == "file":
        return FileEvent(
            **common, media_id=_download_code(content), filename=str(content.get("fileName") or "")
        )
    if kind == "video":
        ext = str(content.get("videoType") or "mp4")
        return FileEvent(**common, media_id=_download_code(content), filename=f"视频.{ext}")
    if kind == "richText":
        return _rich_text(common, content, group)
    return None


def _download_code(content: Mapping[str, Any]) -> str:
    code = str(content.get("downloadCode") or "")
    if not code:
        raise ParseError("media message without downloadCode")
    return code


def _rich_text(common: dict[str, Any], content: Mapping[str, Any], group: bool) -> Event | None:
    parts = content.get("richText") or []
    texts = [str(p["text"]) for p in parts if isinstance(p, Mapping) and p.get("text")]
    text = "".join(texts)
    text = strip_mentions(text) if group else text.strip()
    if text:
        return TextEvent(**common, text=text)
    for p in parts:
        if isinstance(p, Mapping) and (p.get("downloadCode") or p.get("pictureDownloadCode")):
            code = str(p.get("downloadCode") or p.get("pictureDownloadCode"))
            return ImageEvent(**common, media_id=code)
    return None


def payload_matches_card(out_track_id: str, payload: str) -> bool:
    """Does ``payload`` belong to the card behind ``out_track_id`` (ours, or ours + "-n")?"""
    cid = card_id_of(payload)
    if cid is None:
        return False
    return out_track_id == cid or out_track_id.startswith(cid + "-")


def parse_card_callback(
    data: Mapping[str, Any], *, app: str, message_id: str, now: datetime
) -> CardActionEvent:
    """A tap on an interactive card. ``userId`` is the authenticated tapper."""
    user = str(data.get("userId") or "")
    track = str(data.get("outTrackId") or "")
    if not user or not track or not message_id:
        raise ParseError("card callback without userId, outTrackId or messageId")
    content = _json_object(data.get("content") or data.get("value"))
    private = _json_object(content.get("cardPrivateData"))
    params = _json_object(private.get("params"))
    action_ids = [str(a) for a in private.get("actionIds") or []]
    # The template sends the button's payload as a param; a template built with the payload as
    # the action id works too.
    payload = str(params.get("payload") or (action_ids[0] if action_ids else ""))
    if not payload_matches_card(track, payload):
        raise ParseError("card callback payload does not belong to its card")
    selections: dict[str, list[str]] = {}
    for key, value in params.items():
        if key == "payload":
            continue
        if isinstance(value, str) and value:
            selections[key] = [value]
        elif isinstance(value, list):
            selections[key] = [str(v) for v in value]
    return CardActionEvent(
        platform=PLATFORM,
        app=app,
        user_id=user,
        msg_id=message_id,
        dedupe_key=f"{app}:cb:{message_id}",
        time=now,
        payload=payload,
        selections=selections,
        card_handle=track,
        raw={"outTrackId": track, "actionIds": action_ids, "params": params},
    )
