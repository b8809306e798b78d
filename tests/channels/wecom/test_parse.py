"""Recorded WeCom plaintexts, each tagged with the event it must parse into."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from unittest.mock import Mock

import pytest
from aiohttp import StreamReader
from aiohttp.base_protocol import BaseProtocol

from bot.channels.wecom.callback import read_capped
from bot.channels.wecom.crypto import CallbackRejected
from bot.channels.wecom.xmlparse import MAX_KEY, to_event
from bot.events import CardActionEvent, EnterEvent, ImageEvent, MenuEvent, TextEvent, VoiceEvent

HEAD = (
    "<xml><ToUserName><![CDATA[ww1]]></ToUserName><FromUserName><![CDATA[ZhangWei]]>"
    "</FromUserName><CreateTime>1764210000</CreateTime>"
)
WHEN = datetime.fromtimestamp(1764210000, UTC)


def xml(body: str) -> str:
    return HEAD + body + "<AgentID>1000002</AgentID></xml>"


def test_text() -> None:
    e = to_event(
        xml(
            "<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[今天拜访了华东机械]]>"
            "</Content><MsgId>7301</MsgId>"
        ),
        "wecom",
    )
    assert isinstance(e, TextEvent)
    assert (e.text, e.msg_id, e.dedupe_key, e.user_id, e.time, e.app) == (
        "今天拜访了华东机械",
        "7301",
        "7301",
        "ZhangWei",
        WHEN,
        "wecom",
    )


def test_voice_and_image() -> None:
    v = to_event(
        xml(
            "<MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[m-1]]></MediaId>"
            "<Format><![CDATA[amr]]></Format><MsgId>7302</MsgId>"
        ),
        "wecom",
    )
    assert isinstance(v, VoiceEvent) and (v.media_id, v.format, v.dedupe_key) == (
        "m-1",
        "amr",
        "7302",
    )
    i = to_event(
        xml(
            "<MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://p/1]]></PicUrl>"
            "<MediaId><![CDATA[m-2]]></MediaId><MsgId>7303</MsgId>"
        ),
        "wecom",
    )
    assert isinstance(i, ImageEvent) and (i.media_id, i.url) == ("m-2", "http://p/1")


def test_enter_agent_and_menu_click() -> None:
    e = to_event(
        xml(
            "<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[enter_agent]]></Event>"
            "<EventKey><![CDATA[]]></EventKey>"
        ),
        "wecom",
    )
    assert isinstance(e, EnterEvent) and e.dedupe_key == "ev:ZhangWei:1764210000:enter_agent"
    c = to_event(
        xml(
            "<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[click]]></Event>"
            "<EventKey><![CDATA[menu_brief]]></EventKey>"
        ),
        "wecom",
    )
    assert isinstance(c, MenuEvent) and c.key == "menu_brief"


def card_event(selected: str = "", key: str = "ap:c1:ok") -> str:
    return xml(
        "<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event>"
        f"<EventKey><![CDATA[{key}]]></EventKey><TaskId><![CDATA[c1-ab12]]></TaskId>"
        "<CardType><![CDATA[multiple_interaction]]></CardType>"
        f"<ResponseCode><![CDATA[rc-1]]></ResponseCode>{selected}"
    )


def test_card_tap_without_selections() -> None:
    e = to_event(card_event(), "wecom")
    assert isinstance(e, CardActionEvent)
    assert (e.payload, e.card_handle, e.response_code, e.selections) == (
        "ap:c1:ok",
        "c1-ab12",
        "rc-1",
        {},
    )
    assert e.dedupe_key == "ev:ZhangWei:1764210000:template_card_event:c1-ab12:ap:c1:ok"
    assert e.msg_id == e.dedupe_key  # events have no MsgId


def test_one_selected_item_with_one_option_is_still_a_list() -> None:
    one = (
        "<SelectedItems><SelectedItem><QuestionKey><![CDATA[stage]]></QuestionKey><OptionIds>"
        "<OptionId><![CDATA[s3]]></OptionId></OptionIds></SelectedItem></SelectedItems>"
    )
    assert to_event(card_event(one), "wecom").selections == {"stage": ["s3"]}  # type: ignore[union-attr]
    two = (
        "<SelectedItems><SelectedItem><QuestionKey>stage</QuestionKey><OptionIds><OptionId>s3"
        "</OptionId><OptionId>s4</OptionId></OptionIds></SelectedItem><SelectedItem>"
        "<QuestionKey>contact</QuestionKey><OptionIds><OptionId>c1</OptionId></OptionIds>"
        "</SelectedItem></SelectedItems>"
    )
    assert to_event(card_event(two), "wecom").selections == {  # type: ignore[union-attr]
        "stage": ["s3", "s4"],
        "contact": ["c1"],
    }


def test_long_event_key_gives_a_bounded_dedupe_key() -> None:
    long_key = "k" * 1024
    a = to_event(card_event(key=long_key), "wecom")
    b = to_event(card_event(key=long_key[:-1] + "j"), "wecom")
    assert a is not None and b is not None
    assert len(a.dedupe_key) <= MAX_KEY and a.dedupe_key != b.dedupe_key
    assert a.payload == long_key  # type: ignore[attr-defined]


def test_unknown_kinds_are_ignored_and_broken_ones_refused() -> None:
    assert to_event(xml("<MsgType><![CDATA[location]]></MsgType><MsgId>1</MsgId>"), "w") is None
    assert to_event(xml("<MsgType>event</MsgType><Event>subscribe</Event>"), "w") is None
    with pytest.raises(CallbackRejected):
        to_event(xml("<MsgType>text</MsgType><Content>no id</Content>"), "w")
    with pytest.raises(CallbackRejected):
        to_event("<xml><MsgType>text</MsgType></xml>", "w")


async def test_read_capped_stops_past_the_limit() -> None:
    loop = asyncio.get_running_loop()
    protocol = BaseProtocol(loop)
    protocol.connection_made(Mock())  # a connected peer that keeps sending
    stream = StreamReader(protocol, 2**16, loop=loop)
    reading = asyncio.create_task(read_capped(stream, 2500))
    fed = 0
    while not reading.done() and fed < 100:  # a sender that would go on for 100 kB
        stream.feed_data(b"x" * 1000)
        fed += 1
        await asyncio.sleep(0)
    assert await reading is None
    assert fed == 3  # it gave up at the first chunk past the limit, not at the end
    small = StreamReader(BaseProtocol(loop), 2**16, loop=loop)
    small.feed_data(b"<xml/>")
    small.feed_eof()
    assert await read_capped(small, 2500) == b"<xml/>"
