"""Optional LLM second opinion on whether a text is a visit note, a request or chit-chat.

One OpenAI-compatible chat completion (``{base_url}/v1/chat/completions``, JSON output), the
same way nlp/llm.py asks for field extraction. Meant for texts the rules are unsure about
(``classify(...).confidence < UNSURE``); the caller decides. Any failure (disabled, timeout,
HTTP error, non-JSON or off-schema reply) returns None and logs why — never the text or the key.
"""

from __future__ import annotations

import logging

import aiohttp
from pydantic import BaseModel, ConfigDict, Field

from nlp.intent import IntentGuess, Kind, Topic
from nlp.llm_chat import LlmUnavailable, ask_json
from nlp.settings_nlp import LlmSettings

log = logging.getLogger(__name__)

SYSTEM_PROMPT = """你是销售团队聊天机器人的意图分类助手。判断用户发来的一条消息属于哪一类，只输出一个 JSON 对象，不要输出其他文字。
- note：销售的拜访/跟进记录（叙述见了谁、聊了什么、客户说了或问了什么、下一步做什么）。记录里转述的客户提问仍然是 note。
- request：向机器人查询或要东西。topic 只能取：
  funnel 销售漏斗；conversion 转化率；dwell 阶段停留时长；ranking 业绩排行；stall 停滞/卡住的商机；
  forecast 业绩预测；heatmap 热力图；export 导出数据；incentive 个人激励/奖金/提成；
  brief 某个客户的简报/情况；tasks 待办/要跟进的事；approvals 审批进度；help 使用帮助；status 系统状态
- chat：寒暄、致谢、确认等闲聊。
输出字段：
- kind: "note" | "request" | "chat"
- topic: request 时必填，取上面的值；否则为 null
- subject: topic 为 brief 时填被询问的客户名称，否则为空字符串
- confidence: 0 到 1 之间的数字，表示你的把握"""


class IntentReply(BaseModel):
    """The schema the model must answer with; unknown keys are ignored."""

    model_config = ConfigDict(extra="ignore")

    kind: Kind
    topic: Topic | None = None
    subject: str = ""
    confidence: float = Field(default=0.7, ge=0, le=1)

    def guess(self) -> IntentGuess:
        topic = self.topic if self.kind is Kind.request else None
        subject = self.subject.strip()[:40] if topic is Topic.brief else ""
        return IntentGuess(self.kind, topic, round(self.confidence, 3), ("llm",), subject)


def build_messages(text: str) -> list[dict[str, str]]:
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": text}]


async def _ask(text: str, settings: LlmSettings, session: aiohttp.ClientSession) -> IntentReply:
    reply = await ask_json(
        IntentReply,
        build_messages(text),
        settings=settings,
        session=session,
        max_tokens=min(settings.max_tokens, 128),  # the answer is four short fields
    )
    if reply.kind is Kind.request and reply.topic is None:
        raise LlmUnavailable("reply off schema: request without a topic")
    return reply


async def llm_classify(
    text: str, *, settings: LlmSettings, session: aiohttp.ClientSession
) -> IntentGuess | None:
    """The LLM's guess (reasons == ("llm",)), or None when it is disabled or fails."""
    if not settings.enabled:
        return None
    try:
        reply = await _ask(text, settings, session)
    except LlmUnavailable as exc:
        reason = exc.reason
    else:
        return reply.guess()
    log.warning("LLM intent not used: %s", reason)
    return None
