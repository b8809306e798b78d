"""Robot messages and card callbacks as DingTalk sends them → neutral events."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.channels.dingtalk.parse import (
    ParseError,
    parse_card_callback,
    parse_robot_message,
    strip_mentions,
)
from bot.devtools.sim.dingtalk_payloads import card_callback
from bot.events import CardActionEvent, FileEvent, ImageEvent, TextEvent, VoiceEvent

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


def message(msgtype: str, body: dict, *, group: bool = False) -> dict:
    return {
        "msgId": "msgABC==",
        "msgtype": msgtype,
        "createAt": 1764208800123,
        "conversationType": "2" if group else "1",
        "conversationId": "cidGroup==" if group else "cidP2P==",
        "senderId": "$:LWCP_v1:$encrypted",
        "senderStaffId": "staff2001",
        "senderNick": "张伟",
        "robotCode": "dingrobot",
        "sessionWebhook": "https://oapi.dingtalk.com/robot/sendBySession?session=secret",
        "sessionWebhookExpiredTime": 1764214200123,
        **body,
    }


def parse(data: dict) -> object:
    return parse_robot_message(data, app="dingtalk", now=NOW)


def test_text_in_a_one_to_one_chat() -> None:
    event = parse(message("text", {"text": {"content": " 今天拜访了华东机械 "}}))
    assert isinstance(event, TextEvent)
    assert event.text == "今天拜访了华东机械"
    assert event.user_id == "staff2001"  # senderStaffId, never the encrypted senderId
    assert event.conversation_id is None
    assert event.msg_id == "msgABC=="
    assert event.dedupe_key == "dingtalk:msg:msgABC=="
    assert event.time == datetime.fromtimestamp(1764208800.123, UTC)
    assert event.reply_hint == {
        "session_webhook": "https://oapi.dingtalk.com/robot/sendBySession?session=secret",
        "session_webhook_expires_ms": 1764214200123,
    }
    assert "sessionWebhook" not in event.raw  # a bearer URL is not kept with the raw message


def test_group_text_loses_the_leading_mention_and_keeps_the_conversation() -> None:
    event = parse(
        message("text", {"text": {"content": "@销售助手\u2005/简报 华东机械"}}, group=True)
    )
    assert isinstance(event, TextEvent)
    assert event.text == "/简报 华东机械"
    assert event.conversation_id == "cidGroup=="
    assert strip_mentions("  @助手 @张三 你好 @李四") == "你好 @李四"
    assert strip_mentions("邮箱 a@b.com") == "邮箱 a@b.com"


def test_audio_with_and_without_recognition() -> None:
    content = {"downloadCode": "dcVoice", "recognition": "拜访了华东机械", "duration": 4000}
    event = parse(message("audio", {"content": content}))
    assert isinstance(event, VoiceEvent)
    assert (event.media_id, event.recognition, event.duration_s) == (
        "dcVoice",
        "拜访了华东机械",
        4.0,
    )
    blank = parse(message("audio", {"content": {"downloadCode": "dc2", "recognition": ""}}))
    assert isinstance(blank, VoiceEvent) and blank.recognition is None and blank.duration_s is None
    # Some deliveries carry content as a JSON string.
    as_text = parse(message("audio", {"content": json.dumps({"downloadCode": "dc3"})}))
    assert isinstance(as_text, VoiceEvent) and as_text.media_id == "dc3"


def test_picture_file_video_and_rich_text() -> None:
    pic = parse(
        message("picture", {"content": {"downloadCode": "dcPic", "pictureDownloadCode": "x"}})
    )
    assert isinstance(pic, ImageEvent) and pic.media_id == "dcPic"
    file = parse(
        message("file", {"content": {"downloadCode": "dcFile", "fileName": "报价单.xlsx"}})
    )
    assert isinstance(file, FileEvent) and (file.media_id, file.filename) == (
        "dcFile",
        "报价单.xlsx",
    )
    video = parse(message("video", {"content": {"downloadCode": "dcVid", "videoType": "mp4"}}))
    assert isinstance(video, FileEvent) and video.filename == "视频.mp4"
    rich = {"richText": [{"text": "看下这张图"}, {"type": "picture", "downloadCode": "dcR"}]}
    text = parse(message("richText", {"content": rich}))
    assert isinstance(text, TextEvent) and text.text == "看下这张图"
    only_pic = parse(message("richText", {"content": {"richText": [{"downloadCode": "dcR"}]}}))
    assert isinstance(only_pic, ImageEvent) and only_pic.media_id == "dcR"


def test_unknown_types_are_skipped_and_broken_messages_refused() -> None:
    assert parse(message("interactiveCard", {"content": {}})) is None
    with pytest.raises(ParseError):
        parse({**message("text", {"text": {"content": "hi"}}), "senderStaffId": ""})
    with pytest.raises(ParseError):
        parse(message("audio", {"content": {"recognition": "no code"}}))
    with pytest.raises(ParseError):
        parse(message("audio", {"content": "{not json"}))


def test_card_callback_becomes_a_card_action_of_the_tapper() -> None:
    data = card_callback(
        user="staff1001",
        out_track_id="pr-0011-2",
        payload="pr:pr-0011:3:ok",
        params={"stage": "s3"},
    )
    event = parse_card_callback(data, app="dingtalk", message_id="mid-1", now=NOW)
    assert isinstance(event, CardActionEvent)
    assert event.user_id == "staff1001"
    assert event.payload == "pr:pr-0011:3:ok"
    assert event.card_handle == "pr-0011-2"
    assert event.selections == {"stage": ["s3"]}
    assert event.dedupe_key == "dingtalk:cb:mid-1"


def test_card_callback_payload_from_the_action_id_and_foreign_payloads() -> None:
    content = json.dumps({"cardPrivateData": {"actionIds": ["pr:pr-1:1:ok"], "params": {}}})
    data = {"userId": "u1", "outTrackId": "pr-1", "content": content}
    assert parse_card_callback(data, app="d", message_id="m", now=NOW).payload == "pr:pr-1:1:ok"
    # A payload naming another card than the one tapped is refused at the edge.
    forged = card_callback(user="u1", out_track_id="pr-1", payload="pr:pr-999:1:ok")
    with pytest.raises(ParseError):
        parse_card_callback(forged, app="d", message_id="m", now=NOW)
    with pytest.raises(ParseError):
        parse_card_callback(
            {"outTrackId": "pr-1", "content": content}, app="d", message_id="m", now=NOW
        )
