import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from pydantic import ValidationError

from nlp.extract import Catalog, ClientRef, ProductRef, extract
from nlp.llm import LlmReply, llm_fill, wants_llm
from nlp.settings_nlp import LlmSettings, NlpSettings
from tests.support.fake_llm import KEY, start_fake_llm

NOW = datetime(2026, 11, 27, 18, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
CATALOG = Catalog(
    clients=[ClientRef("c1", "华东机械"), ClientRef("c2", "恒达科技")],
    products=[ProductRef("CRM系统", ["CRM"])],
)
NOTE = "今天跟华东机械聊了聊，对方挺感兴趣"  # rules: client only, no stage, no action


GOOD = {
    "client": "恒达科技",  # conflicts with the rules: must be ignored
    "contact": "王经理",
    "stage": "需求确认",
    "amount": "30万",
    "products": ["CRM"],
    "competitors": [],
    "next_action": "发送方案",
    "next_action_due": "2026-12-02",
    "sentiment": "positive",
    "risks": [],
    "needs": ["移动端审批"],
}


@pytest.fixture
async def fake_llm(aiohttp_server):
    return await start_fake_llm(aiohttp_server, GOOD)


def settings_for(state: dict, **overrides) -> LlmSettings:
    values = {"enabled": True, "base_url": state["url"] + "/v1", "api_key": KEY, "model": "m"}
    values.update(overrides)
    return LlmSettings(**values)


async def fill(state: dict, text: str = NOTE, **overrides):
    rules = extract(text, now=NOW, catalog=CATALOG)
    async with aiohttp.ClientSession() as session:
        outcome = await llm_fill(
            text,
            rules,
            settings=settings_for(state, **overrides),
            catalog=CATALOG,
            now=NOW,
            session=session,
        )
    return rules, outcome


async def test_good_answer_fills_only_what_rules_missed(fake_llm):
    rules, outcome = await fill(fake_llm)
    assert rules.stage is None and rules.next_action is None
    result = outcome.extraction
    assert outcome.error is None
    assert result.client.name == "华东机械"  # rules win on conflict
    assert result.stage == "需求确认"
    assert result.contact == "王经理"
    assert result.amount == 300_000
    assert result.products == ("CRM系统",)  # mapped to the catalogue
    assert result.next_action == "发送方案"
    assert result.next_action_due == date(2026, 12, 2)
    assert result.sentiment == "positive"
    assert result.missing == ()
    assert {"stage", "contact", "next_action", "next_action_due"} <= set(outcome.filled)
    assert "client" not in outcome.filled


async def test_fenced_json_is_accepted(fake_llm):
    fake_llm["mode"] = "fenced"
    _, outcome = await fill(fake_llm)
    assert outcome.error is None and outcome.extraction.stage == "需求确认"


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("garbage", "off schema"),
        ("not_json_body", "not a chat completion"),
        ("off_schema", "off schema"),
        ("error", "HTTP 500"),
    ],
)
async def test_failures_fall_back_to_the_rules(fake_llm, caplog, mode, reason):
    fake_llm["mode"] = mode
    with caplog.at_level(logging.WARNING, logger="nlp.llm"):
        rules, outcome = await fill(fake_llm)
    assert outcome.extraction == rules
    assert outcome.filled == ()
    assert reason in (outcome.error or "")
    assert reason in caplog.text
    assert KEY not in caplog.text


async def test_timeout_falls_back(fake_llm):
    fake_llm["mode"] = "slow"
    rules, outcome = await fill(fake_llm, timeout_s=0.2)
    assert outcome.extraction == rules
    assert outcome.error is not None and "timeout" in outcome.error


async def test_wrong_key_is_an_http_error(fake_llm):
    _, outcome = await fill(fake_llm, api_key="wrong")
    assert outcome.error == "HTTP 401"


async def test_disabled_or_complete_notes_make_no_request(fake_llm):
    _, outcome = await fill(fake_llm, enabled=False)
    assert outcome.error is None and fake_llm["requests"] == []
    complete = "今天拜访了华东机械王经理，报了三十万，下周三之前签合同"
    assert not wants_llm(extract(complete, now=NOW, catalog=CATALOG))
    await fill(fake_llm, text=complete)
    assert fake_llm["requests"] == []


async def test_unknown_stage_and_past_due_are_dropped(fake_llm, monkeypatch):
    monkeypatch.setitem(GOOD, "stage", "神秘阶段")
    monkeypatch.setitem(GOOD, "next_action_due", "2020-01-01")
    _, outcome = await fill(fake_llm)
    assert outcome.extraction.stage is None
    assert outcome.extraction.next_action_due is None
    assert "stage" in outcome.extraction.missing


def test_reply_schema_coerces_blank_and_spoken_values():
    reply = LlmReply.model_validate({"client": " ", "amount": "15.5万", "unknown": 1})
    assert reply.client is None and reply.amount == 155_000
    with pytest.raises(ValidationError):
        LlmReply.model_validate({"sentiment": "great"})


def test_llm_settings():
    settings = LlmSettings(base_url="https://api.example.com/v1/", api_key="sk-test-key")
    assert settings.chat_url == "https://api.example.com/v1/chat/completions"
    assert settings.api_key is not None and settings.api_key.get_secret_value() == "sk-test-key"
    assert "sk-test-key" not in repr(settings)
    assert LlmSettings(api_key="").api_key is None  # ${SALESBOT_LLM_API_KEY:-} left unset
    assert LlmSettings().enabled is False
    with pytest.raises(ValidationError):
        LlmSettings(base_url="api.example.com")
    with pytest.raises(ValidationError):
        LlmSettings(timeout_s=0)


def test_nlp_settings():
    assert NlpSettings.model_validate({"llm": {}}).match_threshold == 0.8
    for bad in ({"match_threshold": 2}, {"unknown": 1}, {"stage_cues": {}}):
        with pytest.raises(ValidationError):
            NlpSettings.model_validate(bad)
