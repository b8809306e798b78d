"""WeCom's validation of message/send and template cards, as its docs state them.

Each rule answers the errcode WeCom documents. Where the docs name no code (a malformed card
field, a spent response code) the simulator answers 40058, WeCom's generic "invalid parameter".
"""

from __future__ import annotations

import re
from typing import Any

TASK_ID = re.compile(r"^[A-Za-z0-9_\-@]{1,128}$")
TEXT_LIMIT = 2048  # longer text/markdown is cut, not refused
MESSAGE_TYPES = frozenset({"text", "markdown", "image", "voice", "file", "template_card"})
MEDIA_TYPES = frozenset({"image", "voice", "file"})
CARD_TYPES = frozenset(
    {"text_notice", "news_notice", "button_interaction", "vote_interaction", "multiple_interaction"}
)
INTERACTIVE = frozenset({"button_interaction", "vote_interaction", "multiple_interaction"})

INVALID_PARAM = 40058
INVALID_MSGTYPE = 40008
INVALID_AGENT = 40056
INVALID_MEDIA = 40007
EMPTY_CONTENT = 44004
TASK_ID_EXISTS = 42014
NO_CALLBACK = 43012
ALL_INVALID = 81013


class SimApiError(Exception):
    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"{errcode} {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


def cut_utf8(text: str, limit: int = TEXT_LIMIT) -> str:
    """What WeCom does with text over the limit: cut it (on a character boundary)."""
    data = text.encode()
    if len(data) <= limit:
        return text
    return data[:limit].decode(errors="ignore")


def _require(ok: bool, message: str, code: int = INVALID_PARAM) -> None:
    if not ok:
        raise SimApiError(code, message)


def _bytes(value: Any) -> int:
    return len(str(value).encode())


def check_message(msg: dict[str, Any], agent_id: int) -> str:
    """Validate the envelope; returns the msgtype."""
    agent = msg.get("agentid")
    _require(isinstance(agent, int) and agent == agent_id, "invalid agentid", INVALID_AGENT)
    msgtype = str(msg.get("msgtype"))
    _require(msgtype in MESSAGE_TYPES, "invalid message type", INVALID_MSGTYPE)
    body = msg.get(msgtype)
    _require(isinstance(body, dict), f"missing {msgtype} body", INVALID_MSGTYPE)
    assert isinstance(body, dict)
    if msgtype in ("text", "markdown"):
        _require(bool(str(body.get("content", "")).strip()), "empty content", EMPTY_CONTENT)
    if msgtype in MEDIA_TYPES:
        _require(bool(body.get("media_id")), "invalid media_id", INVALID_MEDIA)
    return msgtype


def check_card(card: dict[str, Any], *, sending: bool) -> None:
    """The template_card limits. ``sending``: task_id is required (it is ignored on update)."""
    kind = card.get("card_type")
    _require(kind in CARD_TYPES, "invalid card_type")
    if sending and (kind in INTERACTIVE or "action_menu" in card):
        _require(TASK_ID.match(str(card.get("task_id", ""))) is not None, "invalid task_id")
    title = card.get("main_title") or {}
    _require(
        bool(title.get("title") or card.get("sub_title_text")),
        "main_title.title or sub_title_text is required",
    )
    _require(len(card.get("horizontal_content_list", [])) <= 6, "horizontal_content_list > 6")
    for row in card.get("horizontal_content_list", []):
        _require(bool(row.get("keyname")), "horizontal_content keyname is required")
    if kind == "button_interaction":
        buttons = card.get("button_list") or []
        _require(1 <= len(buttons) <= 6, "button_list must hold 1..6 buttons")
        keys = [b.get("key", "") for b in buttons]
        _require(all(k and _bytes(k) <= 1024 for k in keys), "button key must be 1..1024 bytes")
        _require(len(set(keys)) == len(keys), "button keys must be unique")
        for b in buttons:
            _require(bool(b.get("text")), "button text is required")
            _require(b.get("style", 1) in (1, 2, 3, 4), "button style must be 1..4")
    if kind == "multiple_interaction":
        selects = card.get("select_list") or []
        _require(1 <= len(selects) <= 3, "select_list must hold 1..3 selects")
        questions = [s.get("question_key", "") for s in selects]
        _require(all(q and _bytes(q) <= 1024 for q in questions), "question_key 1..1024 bytes")
        _require(len(set(questions)) == len(questions), "question keys must be unique")
        for s in selects:
            options = s.get("option_list") or []
            _require(1 <= len(options) <= 10, "option_list must hold 1..10 options")
            ids = [o.get("id", "") for o in options]
            _require(all(i and _bytes(i) <= 128 for i in ids), "option id must be 1..128 bytes")
            _require(len(set(ids)) == len(ids), "option ids must be unique")
        submit = card.get("submit_button") or {}
        key = submit.get("key", "")
        _require(bool(key) and _bytes(key) <= 1024, "submit_button.key must be 1..1024 bytes")
    if kind == "text_notice":
        _require(card.get("card_action", {}).get("type") in (1, 2), "card_action is required")


def recipients(msg: dict[str, Any], known: set[str]) -> tuple[list[str], list[str]]:
    """(valid, invalid) user ids of ``touser`` ("a|b", or "@all")."""
    touser = str(msg.get("touser", ""))
    if touser == "@all":
        return sorted(known), []
    users = [u for u in touser.split("|") if u]
    _require(bool(users), "touser is empty", ALL_INVALID)
    return [u for u in users if u in known], [u for u in users if u not in known]
