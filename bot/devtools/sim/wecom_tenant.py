"""The state of a simulated WeCom tenant and the rules that act on it (no HTTP here).

Time comes from an injected clock: the 30/min window, token lifetime, media lifetime (3 days) and
response-code expiry all move only when the clock does.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from bot.clock import Clock
from bot.devtools.sim.wecom_feed import Feed, HeldCard
from bot.devtools.sim.wecom_rules import (
    ALL_INVALID,
    INVALID_MEDIA,
    INVALID_PARAM,
    TASK_ID_EXISTS,
    SimApiError,
    check_card,
    check_message,
    cut_utf8,
    recipients,
)

MEDIA_TTL_S = 3 * 86_400
PER_MINUTE, PER_HOUR = 30, 1000


@dataclass
class User:
    userid: str
    name: str
    department: list[int] = field(default_factory=lambda: [1])
    position: str = ""
    is_leader_in_dept: list[int] = field(default_factory=list)  # 1/0 per entry of department
    direct_leader: list[str] = field(default_factory=list)
    status: int = 1  # 1 active, 2 disabled, 4 not yet activated, 5 left


@dataclass
class Department:
    id: int
    name: str
    parentid: int = 0
    order: int = 0
    department_leader: list[str] = field(default_factory=list)


@dataclass
class StoredMedia:
    media_id: str
    kind: str
    filename: str
    content_type: str
    data: bytes
    created_ms: int


@dataclass
class ResponseCode:
    task_id: str
    users: frozenset[str]  # whose copies it may update
    expires_ms: int
    used: bool = False


@dataclass
class Stats:
    gettoken: int = 0
    sent: int = 0
    # Messages each member received (admitted past the rate limit): what "delivered once" means.
    received: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    dropped: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    calls: dict[str, int] = field(default_factory=lambda: defaultdict(int))


class Tenant:
    def __init__(self, clock: Clock, agent_id: int, *, response_code_ttl_s: float) -> None:
        self.clock = clock
        self.agent_id = agent_id
        self.agent_name = "销售助手"
        self.response_code_ttl_s = response_code_ttl_s
        self.token_ttl_s = 7200
        self.users: dict[str, User] = {}
        self.departments: dict[int, Department] = {1: Department(1, "总部")}
        self.media: dict[str, StoredMedia] = {}
        self.tasks: dict[str, dict[str, HeldCard]] = {}  # task id -> user -> copy
        self.codes: dict[str, ResponseCode] = {}
        self.window: dict[str, list[int]] = defaultdict(list)  # user -> send times (ms)
        self.tokens: dict[str, int] = {}  # token -> expiry (ms)
        self.revoked: set[str] = set()
        self.faults: dict[str, list[int]] = defaultdict(list)  # api -> errcodes to answer next
        self.callback_configured = True
        self.feed = Feed()
        self.stats = Stats()

    # ------------------------------------------------------------------ tokens
    def issue_token(self) -> tuple[str, int]:
        now = self.clock.ms()
        for token, until in self.tokens.items():
            if until > now and token not in self.revoked:
                return token, (until - now) // 1000  # WeCom hands out the live token again
        token = secrets.token_urlsafe(48)
        self.tokens[token] = now + self.token_ttl_s * 1000
        return token, self.token_ttl_s

    def check_token(self, token: str | None) -> None:
        if not token:
            raise SimApiError(41001, "access_token missing")
        until = self.tokens.get(token)
        if until is None:
            raise SimApiError(40014, "invalid access_token")
        if token in self.revoked or until <= self.clock.ms():
            raise SimApiError(42001, "access_token expired")

    def expire_tokens(self) -> None:
        """WeCom may revoke a token before its time: every live one stops working now."""
        self.revoked.update(self.tokens)

    def take_fault(self, api: str) -> None:
        if self.faults.get(api):
            code = self.faults[api].pop(0)
            raise SimApiError(code, "system busy" if code == -1 else "injected failure")

    # ------------------------------------------------------------------ media
    def store_media(self, kind: str, filename: str, content_type: str, data: bytes) -> StoredMedia:
        media = StoredMedia(
            f"{kind[0]}{secrets.token_urlsafe(40)}",
            kind,
            filename,
            content_type,
            data,
            self.clock.ms(),
        )
        self.media[media.media_id] = media
        return media

    def get_media(self, media_id: str) -> StoredMedia:
        media = self.media.get(media_id)
        if media is None or self.clock.ms() - media.created_ms > MEDIA_TTL_S * 1000:
            raise SimApiError(INVALID_MEDIA, "invalid media_id")
        return media

    # ------------------------------------------------------------------ sending
    def _admit(self, user: str) -> bool:
        """WeCom's per-member limit: the 31st message in a minute is dropped without an error."""
        now = self.clock.ms()
        times = [t for t in self.window[user] if t > now - 3_600_000]
        self.window[user] = times
        if len([t for t in times if t > now - 60_000]) >= PER_MINUTE or len(times) >= PER_HOUR:
            self.stats.dropped[user] += 1
            return False
        times.append(now)
        return True

    def send(self, msg: dict[str, Any]) -> dict[str, Any]:
        msgtype = check_message(msg, self.agent_id)
        body = msg[msgtype]
        card: dict[str, Any] | None = None
        if msgtype == "template_card":
            card = body
            check_card(card, sending=True)
            if (
                card["card_type"]
                in ("button_interaction", "vote_interaction", "multiple_interaction")
                and not self.callback_configured
            ):
                raise SimApiError(43012, "callback url not set")
            if str(card.get("task_id", "")) in self.tasks:
                raise SimApiError(TASK_ID_EXISTS, "task_id exists")
        if msgtype in ("image", "voice", "file"):
            self.get_media(str(body["media_id"]))
        valid, invalid = recipients(msg, set(self.users))
        answer: dict[str, Any] = {
            "errcode": 0,
            "errmsg": "ok",
            "invaliduser": "|".join(invalid),
            "msgid": secrets.token_urlsafe(24),
        }
        if not valid:
            return {**answer, "errcode": ALL_INVALID, "errmsg": "all recipients invalid"}
        if card is not None and "task_id" in card:
            code = self._new_code(str(card["task_id"]), set(valid))
            answer["response_code"] = code
            self.tasks[str(card["task_id"])] = {}
        now = self.clock.now()
        for user in valid:
            if not self._admit(user):
                continue
            self.stats.sent += 1
            self.stats.received[user] += 1
            fields: dict[str, Any] = {}
            if msgtype in ("text", "markdown"):
                fields["text"] = cut_utf8(str(body["content"]))
            elif card is not None:
                held = HeldCard(
                    str(card.get("task_id", "")), user, dict(card), answer.get("response_code", "")
                )
                if held.task_id:
                    self.tasks[held.task_id][user] = held
                fields["card"] = held
            else:
                media = self.media[str(body["media_id"])]
                fields.update(media_id=media.media_id, filename=media.filename)
            self.feed.add(user, msgtype, now, answer["msgid"], **fields)
        return answer

    # ------------------------------------------------------------------ cards
    def _new_code(self, task_id: str, users: set[str]) -> str:
        code = secrets.token_urlsafe(32)
        until = self.clock.ms() + int(self.response_code_ttl_s * 1000)
        self.codes[code] = ResponseCode(task_id, frozenset(users), until)
        return code

    def tap_code(self, user: str, task_id: str) -> str:
        """Each tap brings a fresh code for the tapper's copy of the card."""
        return self._new_code(task_id, {user})

    def holder(self, user: str, task_id: str) -> HeldCard:
        held = self.tasks.get(task_id, {}).get(user)
        if held is None:
            raise LookupError(f"{user} holds no card with task id {task_id}")
        return held

    def update_card(self, update: dict[str, Any]) -> dict[str, Any]:
        if update.get("agentid") != self.agent_id:
            raise SimApiError(40056, "invalid agentid")
        record = self.codes.get(str(update.get("response_code", "")))
        if record is None or record.used or record.expires_ms <= self.clock.ms():
            raise SimApiError(INVALID_PARAM, "invalid response_code")
        wanted = set(update.get("userids") or [])
        targets = record.users & wanted if wanted else set(record.users)
        if update.get("atall"):
            targets = set(record.users)
        button = update.get("button")
        card = update.get("template_card")
        if (button is None) == (card is None):
            raise SimApiError(INVALID_PARAM, "give either button or template_card")
        if card is not None:
            check_card(card, sending=False)
        record.used = True
        copies = self.tasks.get(record.task_id, {})
        invalid = sorted(wanted - set(copies))
        for user in sorted(targets):
            held = copies.get(user)
            if held is None:
                continue
            held.history.append(held.snapshot())
            if button is not None:
                held.greyed = str(button.get("replace_name") or "已处理")
            elif card is not None:
                held.body = {**card, "task_id": held.task_id}  # the task id never changes
                held.greyed = None
        self.feed.changed()
        return {"errcode": 0, "errmsg": "ok", "invaliduser": invalid}
