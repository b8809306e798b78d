"""Cards: interactive cards tapped over Stream, and the signed-link page without a template."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.channels.dingtalk import ChannelConfigError
from bot.channels.dingtalk.client import ApiError
from bot.clock import ManualClock
from bot.devtools.sim.dingtalk import DingtalkSimulator
from bot.replies import CardMessage
from storage.models import CardDelivery, CardInstance, InboxMessage
from tests.channels.dingtalk.approval_probe import START, approval_router
from tests.channels.dingtalk.support import (
    PUBLIC_URL,
    channel_of,
    fast_app,
    start_bot,
    with_dingtalk,
)
from tests.support.harness import build_harness, make_config
from tests.support.waiting import eventually

T0 = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
TEMPLATE = "tpl-approval.schema"


async def test_card_tap_advances_the_chain_and_redraws_every_copy(
    db_url: str, aiohttp_client
) -> None:
    decisions: list[str] = []
    async with DingtalkSimulator() as sim:
        app = fast_app(sim, card_template_id=TEMPLATE)
        await start_bot(db_url, sim, aiohttp_client, routers=[approval_router(decisions)], app=app)
        await sim.wait_connected()
        await sim.send_text("staff2002", START)
        first = (await sim.wait_for("staff1001", lambda i: i.kind == "card")).card
        assert first is not None and first.template_id == TEMPLATE
        card_id = first.out_track_id  # our card id is the outTrackId
        assert first.params["status"] == "open" and "等待 黄涛" in first.params["subtitle"]

        # Someone who is not the approver taps: answered, refused by the feature, card unchanged.
        ack = await sim.tap("staff2003", card_id, "同意")
        assert ack is not None and ack["code"] == 200
        assert json.loads(ack["data"]) == {"response": {}}
        await sim.wait_for("staff2003", lambda i: i.text == "这张卡片需要由黄涛处理，你不能操作。")
        assert first.version == 1 and decisions == []

        await sim.tap("staff1001", card_id, "同意")
        second = (await sim.wait_for("manager0001", lambda i: i.kind == "card")).card
        assert second is not None and second.out_track_id == f"{card_id}-2"  # delivered again
        await sim.wait_until(lambda: "陈志远" in first.params["subtitle"])  # updated in place

        last_tap = await sim.tap("manager0001", second.out_track_id, "同意")
        await sim.wait_for("staff2002", lambda i: i.text == "你的报价审批已同意")
        await sim.wait_until(lambda: first.params["status"] == second.params["status"] == "closed")
        assert first.params["closed_text"] == "已同意 · 陈志远"
        assert json.loads(first.params["buttons"]) == []

        # The gateway replays the last tap: acknowledged, applied once.
        assert last_tap is not None
        replayed = await sim.replay(last_tap["headers"]["messageId"])
        assert replayed is not None and replayed["code"] == 200
        key = f"dingtalk:cb:{last_tap['headers']['messageId']}"
        assert await InboxMessage.filter(dedupe_key=key).count() == 1
        assert decisions == ["huang.tao:ok", "chen.zhiyuan:ok"]
        instance = await CardInstance.get(id=card_id)
        rows = await CardDelivery.filter(card_id=card_id).order_by("id")
        assert [(r.recipient, r.handle) for r in rows] == [
            ("staff1001", card_id),
            ("manager0001", f"{card_id}-2"),
        ]
        await eventually(lambda: _all_rendered(card_id, instance.version))


async def _all_rendered(card_id: str, version: int) -> bool:
    rows = await CardDelivery.filter(card_id=card_id)
    return all(r.rendered_version == version for r in rows)


async def test_dingtalk_refuses_cards_whose_params_are_not_strings(
    sqlite_url: str, aiohttp_client
) -> None:
    async with DingtalkSimulator() as sim:
        app = fast_app(sim, card_template_id=TEMPLATE)
        h = await start_bot(sqlite_url, sim, aiohttp_client, routers=[], app=app)
        body = {
            "cardTemplateId": TEMPLATE,
            "outTrackId": "raw-1",
            "callbackType": "STREAM",
            "cardData": {"cardParamMap": {"amount": 120000, "urgent": True}},
            "openSpaceId": "dtv1.card//IM_ROBOT.staff1001",
            "imRobotOpenDeliverModel": {"spaceType": "IM_ROBOT"},
            "userIdType": 1,
        }
        with pytest.raises(ApiError) as caught:
            await channel_of(h)._client().create_and_deliver(body)
        assert caught.value.status == 400 and "cardParamMap" in caught.value.code
        assert sim.items("staff1001") == []


async def test_fallback_link_page_is_signed_single_use_and_expiring(
    sqlite_url: str, aiohttp_client
) -> None:
    clock = ManualClock(T0)
    decisions: list[str] = []
    async with DingtalkSimulator(clock=clock) as sim:
        h = await start_bot(
            sqlite_url, sim, aiohttp_client, routers=[approval_router(decisions)], clock=clock
        )
        client = h.client
        assert client is not None
        channel = channel_of(h)
        await sim.wait_connected()
        await sim.send_text("staff2002", START)
        item = await sim.wait_for("staff1001", lambda i: i.kind == "action_card")
        assert item.msg_key == "sampleActionCard6"
        assert [title for title, _ in item.links] == ["同意", "驳回"]
        path = item.links[0][1].removeprefix(PUBLIC_URL)
        page = path.split("?")[0]
        token = page.rsplit("/", 1)[1]
        assert page.startswith("/dingtalk/card/")

        resp = await client.get(path)
        html = await resp.text()
        assert resp.status == 200 and "报价审批" in html and "同意" in html and "驳回" in html
        assert resp.headers["Cache-Control"] == "no-store"
        assert resp.headers["Referrer-Policy"] == "no-referrer"
        ok_payload = _payload_on_page(html, "同意")  # taken from the page's own form

        # Not the token of this page, another site's form, a button not on the card: refused.
        assert (await client.post(page, data={"token": "x", "payload": ok_payload})).status == 403
        cross = await client.post(
            page,
            data={"token": token, "payload": ok_payload},
            headers={"Origin": "https://evil.example"},
        )
        assert cross.status == 403
        assert (
            await client.post(page, data={"token": token, "payload": "pr:x:1:ok"})
        ).status == 400
        assert decisions == []

        done = await client.post(page, data={"token": token, "payload": ok_payload})
        assert done.status == 200 and "已提交" in await done.text()
        await sim.wait_for("manager0001", lambda i: i.kind == "action_card")
        assert decisions == ["huang.tao:ok"]

        used = await client.get(page)
        assert used.status == 410 and "此链接已使用过" in await used.text()
        again = await client.post(page, data={"token": token, "payload": ok_payload})
        assert again.status == 410
        assert await InboxMessage.filter(dedupe_key__contains=":link:").count() == 1

        forged = await client.get(page[:-3] + ("AAA" if not page.endswith("AAA") else "BBB"))
        assert forged.status == 403 and "链接无效" in await forged.text()

        # Approver 2's link expires unused; a fresh delivery brings a fresh link.
        stale = (await sim.wait_for("manager0001", lambda i: i.kind == "action_card")).links[0][1]
        clock.advance(channel.app.link_ttl_hours * 3600 + 1)
        expired = await client.get(stale.removeprefix(PUBLIC_URL))
        assert expired.status == 410 and "已过期" in await expired.text()
        card_id = (await CardDelivery.filter(recipient="manager0001").first()).card_id  # type: ignore[union-attr]
        await channel.deliver("manager0001", CardMessage(card_id))
        fresh = sim.items("manager0001")[-1].links[0][1].removeprefix(PUBLIC_URL).split("?")[0]
        html = await (await client.get(fresh)).text()
        result = await client.post(
            fresh,
            data={"token": fresh.rsplit("/", 1)[1], "payload": _payload_on_page(html, "同意")},
        )
        text = await result.text()
        assert result.status == 200 and "已同意 · 陈志远" in text  # the page shows the outcome
        await sim.wait_for("staff2002", lambda i: i.text == "你的报价审批已同意")
        assert decisions == ["huang.tao:ok", "chen.zhiyuan:ok"]


async def test_fallback_cards_in_groups_carry_no_links(sqlite_url: str, aiohttp_client) -> None:
    async with DingtalkSimulator() as sim:
        h = await start_bot(sqlite_url, sim, aiohttp_client, routers=[approval_router([])])
        await sim.wait_connected()
        await sim.send_text("staff2002", START)
        await sim.wait_for("staff1001", lambda i: i.kind == "action_card")
        card_id = (await CardInstance.first()).id  # type: ignore[union-attr]
        await channel_of(h).deliver("chat:cidSales==", CardMessage(card_id))
        item = sim.items("chat:cidSales==")[0]
        assert item.kind == "markdown" and item.links == [] and "单聊" in item.text


def test_fallback_without_a_link_secret_refuses_to_start(sqlite_url: str) -> None:
    sim = DingtalkSimulator()  # not started: only its credentials are needed
    config = with_dingtalk(make_config(sqlite_url), fast_app(sim), link_secret="")
    with pytest.raises(ChannelConfigError) as caught:
        build_harness(config)
    assert "link_secret" in str(caught.value) and "必须设置" in str(caught.value)
    # With an interactive-card template no links are made, so no secret is needed.
    with_template = with_dingtalk(
        make_config(sqlite_url), fast_app(sim, card_template_id=TEMPLATE), link_secret=""
    )
    assert build_harness(with_template).runtime.channel("dingtalk") is not None


def _payload_on_page(html: str, button: str) -> str:
    for chunk in html.split("<button")[1:]:
        if f">{button}</button>" in chunk:
            return chunk.split('value="', 1)[1].split('"', 1)[0]
    raise AssertionError(f"no button {button} on the page")
