"""Optional LLM fill for what the rules missed (off by default).

One OpenAI-compatible chat completion (`{base_url}/v1/chat/completions`, JSON output) per note.
The reply is validated with pydantic and only fills *empty* rule fields: rules win on conflict.
Called only when a required field, the contact or the amount is missing. Any failure (timeout,
HTTP error, non-JSON or off-schema reply) leaves the rules result unchanged and logs why —
never the note text or the key.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Literal

import aiohttp
from pydantic import BaseModel, ConfigDict, Field, field_validator

from nlp.extract import SHANGHAI, Catalog, Extraction
from nlp.extract.amounts import deal_amount
from nlp.extract.model import missing_fields
from nlp.llm_chat import LlmUnavailable, ask_json
from nlp.settings_nlp import LlmSettings

log = logging.getLogger(__name__)

_SYSTEM_PROMPT = """你是销售跟进记录的信息抽取助手。从销售的口述或文字记录中抽取字段，只输出一个 JSON 对象，不要输出其他文字。
字段（没有提到的填 null 或空列表，不要猜测）：
- client: 客户公司名称
- contact: 客户方联系人，如“王经理”“李总”
- stage: 本次记录中商机达到的销售阶段，只能取：{stages}
- amount: 当前商机金额，单位元，数字（如 350000）
- products: 涉及的产品，只能取：{products}
- competitors: 提到的竞争对手名称列表
- next_action: 下一步行动，简短
- next_action_due: 下一步行动的截止日期，格式 YYYY-MM-DD；今天是 {today}（{weekday}）
- sentiment: positive / neutral / negative
- risks: 风险点列表，简短中文
- needs: 客户需求列表，简短中文"""
_WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


class LlmReply(BaseModel):
    """The schema the model must answer with; unknown keys are ignored."""

    model_config = ConfigDict(extra="ignore")

    client: str | None = None
    contact: str | None = None
    stage: str | None = None
    amount: float | None = Field(default=None, ge=0)
    products: list[str] = Field(default_factory=list)
    competitors: list[str] = Field(default_factory=list)
    next_action: str | None = None
    next_action_due: date | None = None
    sentiment: Literal["positive", "neutral", "negative"] | None = None
    risks: list[str] = Field(default_factory=list)
    needs: list[str] = Field(default_factory=list)

    @field_validator("client", "contact", "stage", "next_action", "next_action_due", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("amount", mode="before")
    @classmethod
    def _spoken_amount(cls, value: Any) -> Any:
        # Models sometimes answer "35万"; read it like a note would be read.
        if isinstance(value, str):
            return deal_amount(value) if value.strip() else None
        return value


@dataclass(frozen=True)
class LlmOutcome:
    extraction: Extraction
    filled: tuple[str, ...] = ()  # fields that came from the LLM (source "llm" on the card)
    error: str | None = None  # why the LLM answer was not used, if it was not


def wants_llm(rules: Extraction) -> bool:
    return bool(rules.missing) or rules.contact is None or rules.amount is None


def build_messages(text: str, now: datetime, catalog: Catalog) -> list[dict[str, str]]:
    local = now.astimezone(SHANGHAI)
    system = _SYSTEM_PROMPT.format(
        stages="、".join(s.name for s in catalog.stages) or "（无）",
        products="、".join(p.name for p in catalog.products) or "（无）",
        today=local.date().isoformat(),
        weekday=_WEEKDAYS[local.weekday()],
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": text}]


def merge(
    rules: Extraction, reply: LlmReply, catalog: Catalog, now: datetime, rep_id: str | None
) -> tuple[Extraction, tuple[str, ...]]:
    """Fill empty rule fields from ``reply``; values outside the catalogue are dropped."""
    changes: dict[str, Any] = {}
    if rules.client.kind == "none" and reply.client:
        changes["client"] = catalog.client_index.match(reply.client[:40], rep_id=rep_id)
    if rules.contact is None and reply.contact:
        changes["contact"] = reply.contact.strip()[:20]
    if rules.stage is None and reply.stage in {s.name for s in catalog.stages}:
        changes["stage"] = reply.stage
    if rules.amount is None and reply.amount:
        changes["amount"] = int(reply.amount) if reply.amount.is_integer() else reply.amount
    if not rules.products:
        known = catalog.product_terms
        names = [n for p in reply.products for _, _, n in known.find(p)[:1]]
        if names:
            changes["products"] = tuple(dict.fromkeys(names))
    if not rules.competitors and reply.competitors:
        changes["competitors"] = tuple(c.strip()[:20] for c in reply.competitors[:5] if c.strip())
    if rules.next_action is None and reply.next_action:
        changes["next_action"] = reply.next_action.strip()[:30]
    action = changes.get("next_action", rules.next_action)
    today = now.astimezone(SHANGHAI).date()
    due = reply.next_action_due
    if rules.next_action_due is None and action and due is not None and due >= today:
        changes["next_action_due"] = due
    if rules.sentiment == "neutral" and reply.sentiment not in (None, "neutral"):
        changes["sentiment"] = reply.sentiment  # neutral is the rules' "no evidence"
    if not rules.risks and reply.risks:
        changes["risks"] = tuple(r.strip()[:20] for r in reply.risks[:5] if r.strip())
    if not rules.needs and reply.needs:
        changes["needs"] = tuple(n.strip()[:40] for n in reply.needs[:3] if n.strip())
    merged = replace(rules, **changes)
    missing = missing_fields(
        merged.client, merged.stage, merged.next_action, merged.next_action_due
    )
    return replace(merged, missing=missing), tuple(changes)


async def llm_fill(
    text: str,
    rules: Extraction,
    *,
    settings: LlmSettings,
    catalog: Catalog,
    now: datetime,
    session: aiohttp.ClientSession,
    rep_id: str | None = None,
) -> LlmOutcome:
    """The rules result, with empty fields filled by the LLM when it is enabled and answers."""
    if not settings.enabled or not wants_llm(rules):
        return LlmOutcome(rules)
    try:
        reply = await ask_json(
            LlmReply, build_messages(text, now, catalog), settings=settings, session=session
        )
    except LlmUnavailable as exc:
        reason = exc.reason
    else:
        merged, filled = merge(rules, reply, catalog, now, rep_id)
        return LlmOutcome(merged, filled)
    log.warning("LLM fill not used, keeping the rules result: %s", reason)
    return LlmOutcome(rules, (), reason)
