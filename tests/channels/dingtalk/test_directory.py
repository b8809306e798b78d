"""One person, two platforms: a WeCom userid and a DingTalk staffId are the same person."""

from __future__ import annotations

from pydantic import SecretStr

from bot.config.channels import Channels, DingtalkApp, WecomApp
from bot.config.org import Person
from bot.devtools.sim.dingtalk import DingtalkSimulator
from bot.directory import Directory
from bot.events import TextEvent
from bot.pipeline.context import Context
from bot.pipeline.outbox import Address
from bot.pipeline.router import Router
from bot.replies import Text
from tests.channels.dingtalk.support import start_bot
from tests.support.harness import make_config
from tests.support.waiting import eventually


async def _now(value: bool) -> bool:
    return value


def test_both_ids_resolve_to_the_same_person(sqlite_url: str) -> None:
    config = make_config(sqlite_url)
    apps = Channels(
        wecom=(WecomApp(corp_id="ww1", agent_id=1, secret=SecretStr("s")),),
        dingtalk=(DingtalkApp(app_key="ding1", app_secret=SecretStr("s")),),
    )
    directory = Directory(config.model_copy(update={"channels": apps}))
    zhang = directory.by_platform("wecom", "ZhangWei")
    assert zhang is not None and zhang.id == "zhang.wei"
    assert directory.by_platform("dingtalk", "staff2001") is zhang
    # Whoever writes to zhang.wei from DingTalk is answered on DingTalk, and vice versa.
    from_dingtalk = Address("dingtalk", "dingtalk", "staff1001")
    assert directory.address(zhang, prefer=from_dingtalk) == Address(
        "dingtalk", "dingtalk", "staff2001"
    )
    from_wecom = Address("wecom", "wecom", "LinFeng")
    assert directory.address(zhang, prefer=from_wecom) == Address("wecom", "wecom", "ZhangWei")
    # Someone only on DingTalk is reached there even from WeCom.
    zhou = directory.get("zhou.jie")
    assert zhou is not None
    assert directory.address(zhou, prefer=from_wecom) == Address(
        "dingtalk", "dingtalk", "staff2002"
    )


async def test_a_dingtalk_message_reaches_the_handler_as_that_person(
    sqlite_url: str, aiohttp_client
) -> None:
    people: list[str] = []
    router = Router("whoami")

    @router.on(TextEvent)
    async def whoami(ctx: Context, person: Person | None) -> None:
        people.append(person.id if person else "?")
        supervisor = ctx.directory.get(person.supervisor or "") if person else None
        if supervisor is not None:
            ctx.send_to(supervisor, Text(f"{person.name if person else ''} 发来一条拜访记录"))

    async with DingtalkSimulator() as sim:
        await start_bot(sqlite_url, sim, aiohttp_client, routers=[router])
        await sim.wait_connected()
        await sim.send_text("staff2001", "拜访了华东机械")
        await eventually(lambda: _now(people == ["zhang.wei"]))
        # zhao.lei (zhang.wei's supervisor) is only on WeCom, which is not enabled here: the
        # note is handled as zhang.wei and nothing is sent to an unreachable platform.
        await sim.send_text("staff2002", "拜访了恒达科技")
        item = await sim.wait_for("staff1001", lambda i: i.kind == "text")  # huang.tao, on DingTalk
        assert item.text == "周杰 发来一条拜访记录"
        assert people == ["zhang.wei", "zhou.jie"]
