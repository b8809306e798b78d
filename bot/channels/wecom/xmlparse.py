"""WeCom XML → typed events, parsed with expat and every DTD refused.

No DOCTYPE means no entity can be declared, so no expansion (billion laughs), no external
entities, no network: the spec's "expat parser with DTDs refused". It is the C parser, four times
faster than defusedxml's pure-Python one, which matters on the ingress path.

wechatpy's ``parse_message`` returns ``UnknownMessage`` for card taps, and the whole message is
flat except ``SelectedItems``, so one small parser covers every kind the bot understands.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from xml.parsers import expat

from bot.channels.wecom.crypto import CallbackRejected
from bot.events import (
    CardActionEvent,
    EnterEvent,
    Event,
    ImageEvent,
    MenuEvent,
    TextEvent,
    VoiceEvent,
)

PLATFORM = "wecom"
MAX_KEY = 200  # inbox.dedupe_key is VARCHAR(200); a card's EventKey alone may be 1024 bytes

# Seconds since 1970 in ASCII digits: eleven of them reach the year 5138, and more would not fit
# a timestamp (an OverflowError instead of a clean refusal).
_EPOCH_S = re.compile(r"[0-9]{1,11}")


@dataclass(frozen=True)
class Envelope:
    encrypt: str
    to_user: str
    agent_id: str


@dataclass
class Parsed:
    """The root's text children, and ``SelectedItems`` of a card event (always lists)."""

    fields: dict[str, str] = field(default_factory=dict)
    selections: dict[str, list[str]] = field(default_factory=dict)


class _DtdRefused(Exception):
    pass


def _refuse(*_: Any) -> None:
    raise _DtdRefused


def parse_xml(data: bytes | str) -> Parsed:
    out = Parsed()
    path: list[str] = []
    text: list[str] = []
    question = [""]

    def start(name: str, _attrs: dict[str, str]) -> None:
        path.append(name)
        text.clear()
        if name == "SelectedItem" and len(path) == 3:
            question[0] = ""

    def end(name: str) -> None:
        depth = len(path)
        value = "".join(text)
        text.clear()
        path.pop()
        if depth == 2:
            out.fields.setdefault(name, value)
        elif name == "QuestionKey" and depth == 4:
            question[0] = value
            out.selections.setdefault(value, [])
        elif name == "OptionId" and depth == 5:
            out.selections.setdefault(question[0], []).append(value)

    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse  # type: ignore[assignment]
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text.append
    try:
        parser.Parse(data, True)
    except _DtdRefused:
        raise CallbackRejected(400, "xml_entities") from None
    except expat.ExpatError:
        raise CallbackRejected(400, "bad_xml") from None
    return out


def parse_envelope(body: bytes) -> Envelope:
    f = parse_xml(body).fields
    encrypt = f.get("Encrypt")
    if not encrypt:
        raise CallbackRejected(400, "no_encrypt")
    return Envelope(encrypt, f.get("ToUserName", ""), f.get("AgentID", ""))


def _bounded(key: str) -> str:
    if len(key) <= MAX_KEY:
        return key
    return key[:150] + "#" + hashlib.sha256(key.encode()).hexdigest()[:40]


def to_event(plaintext: str, app: str) -> Event | None:
    """The typed event for a decrypted callback, or None for kinds the bot does not handle."""
    parsed = parse_xml(plaintext)
    f = parsed.fields
    user = f.get("FromUserName", "")
    created = f.get("CreateTime", "")
    if not user or not _EPOCH_S.fullmatch(created):
        raise CallbackRejected(400, "bad_message")
    when = datetime.fromtimestamp(int(created), UTC)
    msg_type = f.get("MsgType", "")
    raw = {"AgentID": f.get("AgentID", ""), "MsgType": msg_type}
    common: dict[str, Any] = {
        "platform": PLATFORM,
        "app": app,
        "user_id": user,
        "time": when,
        "raw": raw,
    }
    if msg_type == "event":
        return _event(parsed, common, user, created)
    msg_id = f.get("MsgId", "")
    if not msg_id:
        raise CallbackRejected(400, "bad_message")
    ids: dict[str, Any] = {"msg_id": msg_id, "dedupe_key": _bounded(msg_id)}
    if msg_type == "text":
        return TextEvent(**common, **ids, text=f.get("Content", ""))
    if msg_type == "voice":
        return VoiceEvent(**common, **ids, media_id=f.get("MediaId", ""), format=f.get("Format"))
    if msg_type == "image":
        return ImageEvent(**common, **ids, media_id=f.get("MediaId", ""), url=f.get("PicUrl"))
    return None


def _event(parsed: Parsed, common: dict[str, Any], user: str, created: str) -> Event | None:
    f = parsed.fields
    name = f.get("Event", "")
    # Events carry no MsgId: WeCom's retries repeat sender and time, which is the key.
    key = f"ev:{user}:{created}:{name}"
    if name == "enter_agent":
        return EnterEvent(**common, msg_id=key, dedupe_key=_bounded(key))
    if name == "click":
        return MenuEvent(**common, msg_id=key, dedupe_key=_bounded(key), key=f.get("EventKey", ""))
    if name == "template_card_event":
        task_id, event_key = f.get("TaskId", ""), f.get("EventKey", "")
        key = _bounded(f"{key}:{task_id}:{event_key}")
        common["raw"] = {**common["raw"], "CardType": f.get("CardType", "")}
        return CardActionEvent(
            **common,
            msg_id=key,
            dedupe_key=key,
            payload=event_key,
            selections=parsed.selections,
            response_code=f.get("ResponseCode") or None,
            card_handle=task_id or None,
        )
    return None
