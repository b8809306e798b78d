"""The monthly settlement on the scheduler's clock: once per closed month, each rep told once,
whether the job or the CLI settles it; entries added later are told once per batch."""

from __future__ import annotations

from decimal import Decimal

from bot.app import create_app
from bot.clock import ManualClock
from handlers.incentives.cli import settle_month
from handlers.shared.periods import period_of
from scheduler.pushes import PushStore
from storage.models import Client, LedgerEntry, OutboxMessage, Payment
from tests.handlers.incentives.world import TZ, local, pay, seed_incentives_world
from tests.support.harness import Harness, build_harness, make_config
from tests.support.jobs import pushes, run_slot, sh

NOVEMBER = period_of("month", local(11, 15), TZ)


async def started(db_url: str, aiohttp_client) -> Harness:  # type: ignore[no-untyped-def]
    bot = build_harness(make_config(db_url), clock=ManualClock(sh(2026, 12, 1, 9)))
    bot.client = await aiohttp_client(create_app(bot.runtime.config, runtime=bot.runtime))
    await seed_incentives_world()
    return bot


async def test_the_job_settles_the_closed_month_once(db_url: str, aiohttp_client) -> None:  # type: ignore[no-untyped-def]
    bot = await started(db_url, aiohttp_client)
    await run_slot(bot, "incentive-settlement", sh(2026, 12, 1, 9, 10))
    entries = await LedgerEntry.all().count()
    told = await pushes(bot.runtime.db)
    assert entries > 0 and told
    assert {p["kind"] for p in told} == {"incentive_settlement"}
    mine = [p for p in told if p["person_id"] == "zhang.wei"]
    assert len(mine) == 1 and "2026年11月" in mine[0]["text"]
    await run_slot(bot, "incentive-settlement", sh(2026, 12, 2, 9, 10))  # the next morning
    assert await LedgerEntry.all().count() == entries
    assert len(await pushes(bot.runtime.db)) == len(told)


async def test_settling_by_hand_after_the_job_tells_nobody_twice(
    db_url: str, aiohttp_client
) -> None:  # type: ignore[no-untyped-def]
    bot = await started(db_url, aiohttp_client)
    rt = bot.runtime
    await run_slot(bot, "incentive-settlement", sh(2026, 12, 1, 9, 10))
    told = await pushes(rt.db)
    at = sh(2026, 12, 1, 11)
    store = rt.services.get(PushStore)
    text = await settle_month(rt.db, rt.config, NOVEMBER, at, store, dry_run=False)
    assert "写入 0 条" in text and "新通知 0 条" in text
    assert [p["key"] for p in await pushes(rt.db)] == [p["key"] for p in told]
    await run_slot(bot, "deliver", sh(2026, 12, 1, 11, 1))  # whatever the CLI queued goes out
    sent = await OutboxMessage.filter(payload__contains="激励结算结果").values_list(
        "recipient", "payload"
    )
    assert len(sent) == len(told) > 1
    assert len({r for r, _ in sent}) == len(sent)  # one message per rep and month
    assert all(str(p).count("激励结算结果") == 1 for _, p in sent)


async def settled_then_paid_late(db_url: str, aiohttp_client) -> tuple[Harness, int, Payment]:  # type: ignore[no-untyped-def]
    """November settled by the job on 1 December, then a November payment recorded late: the
    bot, how many pushes there were before, and the payment."""
    bot = await started(db_url, aiohttp_client)
    await run_slot(bot, "incentive-settlement", sh(2026, 12, 1, 9, 10))
    before = len(await pushes(bot.runtime.db))
    loyal = await Client.get(name="四年客户")
    late = await pay(loyal, "upsell", 4, 20_000, local(11, 30, 16), "P-LATE")
    return bot, before, late


async def test_a_late_entry_of_a_settled_month_is_told_once(db_url: str, aiohttp_client) -> None:  # type: ignore[no-untyped-def]
    """The job re-settles the last closed month every working day: a payment of November recorded
    on 2 December is paid on the 3rd and its rep told about it, once."""
    bot, before, late = await settled_then_paid_late(db_url, aiohttp_client)
    rt = bot.runtime
    await run_slot(bot, "incentive-settlement", sh(2026, 12, 3, 9, 10))
    entry = await LedgerEntry.get(settlement_key=f"pay:{late.id}")
    assert (entry.period, entry.amount) == ("2026-11", Decimal("1400.00"))  # 2万 × 7 %
    told = (await pushes(rt.db))[before:]
    assert [(p["person_id"], p["key"].startswith("settle:2026-11:zhang.wei:+")) for p in told] == [
        ("zhang.wei", True)
    ]
    assert told[0]["text"] == (
        "2026年11月激励结算有补充入账：\n- 增购第4年回款提成：1,400元\n"
        "本次补充合计 1,400元。发送 /我的激励 查看进度。"
    )
    await run_slot(bot, "incentive-settlement", sh(2026, 12, 4, 9, 10))
    store = rt.services.get(PushStore)
    await settle_month(rt.db, rt.config, NOVEMBER, sh(2026, 12, 4, 11), store, dry_run=False)
    assert len(await pushes(rt.db)) == before + 1


async def test_a_run_that_died_before_storing_its_messages_is_made_good(
    db_url: str, aiohttp_client
) -> None:  # type: ignore[no-untyped-def]
    """The ledger entries are written, then the process dies before the pushes are stored: the
    next morning's run writes nothing new but still tells each rep their result, once."""
    bot = await started(db_url, aiohttp_client)
    rt = bot.runtime
    await run_slot(bot, "incentive-settlement", sh(2026, 12, 1, 9, 10))
    told = await pushes(rt.db)
    entries = await LedgerEntry.all().count()
    await rt.db.execute("DELETE FROM pushes")  # as if the first run had died after settling
    await run_slot(bot, "incentive-settlement", sh(2026, 12, 2, 9, 10))
    assert await LedgerEntry.all().count() == entries
    again = await pushes(rt.db)
    assert sorted((p["key"], p["text"]) for p in again) == sorted(
        (p["key"], p["text"]) for p in told
    )
    await run_slot(bot, "incentive-settlement", sh(2026, 12, 3, 9, 10))
    assert len(await pushes(rt.db)) == len(told)


async def test_a_late_entry_whose_run_died_before_telling_is_told_by_the_next(
    db_url: str, aiohttp_client
) -> None:  # type: ignore[no-untyped-def]
    """A late payment's commission is written, then the process dies before the top-up is stored:
    the next run writes nothing new, yet tells the rep about that entry, once."""
    from handlers.incentives.settle import settle

    bot, before, late = await settled_then_paid_late(db_url, aiohttp_client)
    rt = bot.runtime
    await settle(rt.db, rt.config, NOVEMBER, sh(2026, 12, 2, 9, 10))  # the run that died
    assert await LedgerEntry.filter(settlement_key=f"pay:{late.id}").exists()
    await run_slot(bot, "incentive-settlement", sh(2026, 12, 3, 9, 10))
    told = (await pushes(rt.db))[before:]
    assert [(p["person_id"], p["key"].startswith("settle:2026-11:zhang.wei:+")) for p in told] == [
        ("zhang.wei", True)
    ]
    assert "增购第4年回款提成：1,400元" in told[0]["text"]
    await run_slot(bot, "incentive-settlement", sh(2026, 12, 4, 9, 10))
    assert len(await pushes(rt.db)) == before + 1
