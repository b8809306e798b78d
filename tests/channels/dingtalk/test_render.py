"""The neutral card, links and text as DingTalk gets them."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

from bot.channels.dingtalk.links import LinkClaims, LinkSigner
from bot.channels.dingtalk.messages import split_text, text_pieces
from bot.clock import ManualClock
from bot.replies import Markdown
from cards.dingtalk import action_card, card_param_map, create_and_deliver_body, update_body
from cards.model import Button, Card, Option, Row, Select

CARD = Card(
    id="ap-0123",
    title="报价审批",
    subtitle="华东机械 · ¥120,000",
    rows=(Row("客户", "华东机械", "语音"), Row("折扣", "9 折")),
    note="特殊条款已抄送法务",
    buttons=(
        Button("同意", "ap:ap-0123:ok", "primary"),
        Button("驳回", "ap:ap-0123:no", "danger"),
    ),
)


def test_every_card_param_is_a_string() -> None:
    params = card_param_map(CARD, version=3)
    assert all(isinstance(v, str) for v in params.values())
    assert params["version"] == "3" and params["status"] == "open"
    assert json.loads(params["buttons"])[0] == {
        "text": "同意",
        "payload": "ap:ap-0123:ok",
        "style": "primary",
    }
    assert json.loads(params["rows"])[0] == {"label": "客户", "value": "华东机械", "hint": "语音"}
    closed = card_param_map(replace(CARD, closed="已同意 · 王丽 · 14:02"), version=4)
    assert closed["status"] == "closed" and closed["buttons"] == "[]"
    assert "已同意 · 王丽 · 14:02" in closed["markdown"]


def test_create_and_deliver_for_a_person_and_for_a_group() -> None:
    one = create_and_deliver_body(
        CARD,
        version=1,
        template_id="tpl.schema",
        out_track_id="ap-0123",
        robot_code="rc",
        recipient="staff1001",
    )
    assert one["openSpaceId"] == "dtv1.card//IM_ROBOT.staff1001"
    assert one["imRobotOpenDeliverModel"]["spaceType"] == "IM_ROBOT"
    assert (one["callbackType"], one["userIdType"], one["outTrackId"]) == ("STREAM", 1, "ap-0123")
    group = create_and_deliver_body(
        CARD,
        version=1,
        template_id="t",
        out_track_id="ap-0123-2",
        robot_code="rc",
        recipient="chat:cidX==",
    )
    assert group["openSpaceId"] == "dtv1.card//IM_GROUP.cidX=="
    assert group["imGroupOpenDeliverModel"] == {"robotCode": "rc"}
    update = update_body(CARD, version=2, out_track_id="ap-0123")
    assert update["cardUpdateOptions"]["updateCardDataByKey"] is True


def test_action_card_keys_follow_the_number_of_buttons() -> None:
    urls = ["https://bot/a", "https://bot/b", "https://bot/c"]
    key, param = action_card(CARD, urls[:2])
    assert key == "sampleActionCard6"
    assert (param["buttonTitle1"], param["buttonUrl2"]) == ("同意", "https://bot/b")
    one = replace(CARD, buttons=CARD.buttons[:1])
    assert action_card(one, urls[:1])[0] == "sampleActionCard"
    three = replace(CARD, buttons=(*CARD.buttons, Button("转交", "ap:ap-0123:fw")))
    key, param = action_card(three, urls)
    assert key == "sampleActionCard3" and param["actionURL3"] == "https://bot/c"
    # Selects need the page; a closed card or no links is plain markdown.
    picks = replace(CARD, selects=(Select("stage", "阶段", (Option("s1", "首次接触"),)),))
    key, param = action_card(picks, urls[:2], page_url="https://bot/page")
    assert (key, param["singleURL"]) == ("sampleActionCard", "https://bot/page")
    assert action_card(replace(CARD, closed="已驳回"), urls[:2])[0] == "sampleMarkdown"
    assert action_card(CARD, [])[0] == "sampleMarkdown"


def test_long_text_is_split_under_the_byte_limit() -> None:
    text = "\n".join(f"第{i}行：华东机械的拜访记录" for i in range(200))
    pieces = split_text(text, 500)
    assert all(len(p.encode()) <= 500 for p in pieces)
    assert "\n".join(pieces) == text
    long_line = "长" * 400
    assert "".join(split_text(long_line, 300)) == long_line
    md = text_pieces(Markdown("周报", text), 500)
    assert md[0].title == "周报" and md[1].title == "周报（续）"  # type: ignore[union-attr]


def test_links_are_signed_expiring_and_bound_to_app_card_and_user() -> None:
    clock = ManualClock(datetime(2026, 11, 27, 2, 0, tzinfo=UTC))
    signer = LinkSigner("s3cret-for-links", clock)
    token, issued = signer.issue(app="dingtalk", card_id="ap-1", user_id="staff1001", ttl_s=3600)
    claims = signer.verify(token)
    assert claims == issued and isinstance(claims, LinkClaims)
    assert (claims.app, claims.card_id, claims.user_id) == ("dingtalk", "ap-1", "staff1001")
    _, other = signer.issue(app="dingtalk", card_id="ap-1", user_id="staff1001", ttl_s=3600)
    assert LinkSigner.dedupe_key(other) != LinkSigner.dedupe_key(claims)
    body, mac = token.split(".")
    assert signer.verify(body[:-2] + "xx." + mac) == "invalid"
    assert signer.verify(token + "x") == "invalid"
    assert signer.verify("garbage") == "invalid"
    assert LinkSigner("another-secret", clock).verify(token) == "invalid"
    clock.advance(3600)
    assert signer.verify(token) == "expired"
