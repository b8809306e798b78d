"""Property-based tests: generated input never makes a parser raise anything but its own clean
refusal. Thousands of cases for the cheap pure parsers, fewer for the extractor and config."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime
from typing import Any

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.channels import safejson
from bot.channels.dingtalk.parse import ParseError, parse_card_callback, parse_robot_message
from bot.channels.wecom.crypto import CallbackRejected
from bot.channels.wecom.xmlparse import parse_envelope, to_event
from bot.config.loader import check_config_text
from bot.pipeline.commands import CommandSpec, CommandTable
from cards.actions import ActionRegistry, CardAction
from nlp.extract import Catalog, extract

NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
FAST = settings(max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck))
MID = settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))
JSON = settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
SLOW = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))

# Text as users and attackers write it: any unicode, plus the characters parsers care about.
texts = st.text(
    alphabet=st.one_of(
        st.characters(exclude_categories=("Cs",)),  # lone surrogates cannot arrive as UTF-8
        st.sampled_from(
            list("/／ \t\n\r\0<>&'\";[]{}()\\%_$华东机械报价万元下周三明天💰👍🏻\u202e\ufeff")
        ),
    ),
    max_size=300,
)
short = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=12)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | short,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(short, inner, max_size=4),
    max_leaves=8,
)
ROBOT_KEYS = [
    "msgId",
    "senderStaffId",
    "msgtype",
    "text",
    "content",
    "conversationType",
    "sessionWebhook",
    "createAt",
    "conversationId",
    "senderNick",
    "robotCode",
]
robot_messages = st.dictionaries(st.sampled_from(ROBOT_KEYS) | texts, json_values, max_size=10)


def table() -> CommandTable:
    t = CommandTable()
    for names in (("简报", "brief"), ("帮助", "help"), ("状态", "status"), ("业绩", "stats")):
        t.add(CommandSpec(names[0], names[1:]))
    return t


@FAST
@given(texts)
def test_command_parser_never_raises(text: str) -> None:
    t = table()
    found = t.parse(text)
    if found is not None:
        assert found.spec in t.specs and found.args == found.args.strip()
    t.unknown_name(text)


@FAST
@given(st.binary(max_size=400) | texts.map(lambda s: f"<xml>{s}</xml>".encode()))
def test_wecom_envelope_parser_refuses_cleanly(body: bytes) -> None:
    try:
        parse_envelope(body)
    except CallbackRejected as exc:
        assert exc.status == 400


@FAST
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "MsgType",
                "FromUserName",
                "Content",
                "MsgId",
                "CreateTime",
                "Event",
                "EventKey",
                "MediaId",
                "AgentID",
                "TaskId",
            ]
        )
        | texts,
        texts,
        max_size=8,
    )
)
# Found by this test: "¹" passes str.isdigit() but not int(), and thirty 9s overflow a timestamp.
@example({"FromUserName": "u", "CreateTime": "¹", "MsgType": "text"})
@example({"FromUserName": "u", "CreateTime": "9" * 30, "MsgType": "text"})
@example({"FromUserName": "u", "CreateTime": "١٢٣", "MsgType": "text"})
def test_wecom_message_parser_refuses_cleanly(fields: dict[str, str]) -> None:
    from xml.sax.saxutils import escape

    inner = "".join(
        f"<{k}>{escape(v)}</{k}>" for k, v in fields.items() if k.isidentifier() and k.isascii()
    )
    try:
        to_event(f"<xml>{inner}</xml>", "wecom")
    except CallbackRejected as exc:
        assert exc.status == 400


@JSON  # generating nested JSON is what costs here, not parsing it
@given(robot_messages)
def test_dingtalk_robot_parser_refuses_cleanly(data: dict[str, Any]) -> None:
    with contextlib.suppress(ParseError):
        parse_robot_message(data, app="dingtalk", now=NOW, fallback_id="")


@JSON
@given(
    st.dictionaries(
        st.sampled_from(["userId", "outTrackId", "content", "value"]) | texts,
        json_values | json_values.map(json.dumps),
        max_size=6,
    ),
    texts,
)
def test_dingtalk_card_callback_parser_refuses_cleanly(
    data: dict[str, Any], message_id: str
) -> None:
    with contextlib.suppress(ParseError):
        parse_card_callback(data, app="dingtalk", message_id=message_id, now=NOW)


@FAST
@given(texts | st.binary(max_size=300).map(lambda b: b.decode("latin-1")))
def test_bounded_json_refuses_cleanly(text: str) -> None:
    with contextlib.suppress(ValueError):
        safejson.loads(text)


class FuzzTap(CardAction, prefix="fz"):
    op: str
    amount: int = 0


@FAST
@given(
    texts | st.lists(texts, max_size=6).map("|".join) | st.lists(texts, max_size=6).map(":".join)
)
def test_card_payload_decoding_refuses_cleanly(payload: str) -> None:
    registry = ActionRegistry()
    registry.add(FuzzTap)
    action = registry.decode(payload)
    assert action is None or isinstance(action, FuzzTap)
    again = registry.decode(FuzzTap("c1", 3, op="ok", amount=5).pack())
    assert again == FuzzTap("c1", 3, op="ok", amount=5)


CATALOG = Catalog()


@MID
@given(texts)
def test_extractor_never_raises(text: str) -> None:
    result = extract(text, now=NOW, catalog=CATALOG)
    assert result is not None


config_docs = st.dictionaries(
    st.sampled_from(
        [
            "org_name",
            "timezone",
            "pipeline",
            "people",
            "regions",
            "teams",
            "server",
            "channels",
            "calendar",
            "funnel",
            "logging",
        ]
    )
    | texts,
    json_values,
    max_size=6,
)


@SLOW
@given(config_docs | texts)
def test_config_loading_reports_problems_instead_of_raising(doc: Any) -> None:
    text = doc if isinstance(doc, str) else yaml.safe_dump(doc, allow_unicode=True)
    report = check_config_text(text, env={})
    assert report.config is not None or report.errors
