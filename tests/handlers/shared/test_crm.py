"""Shared CRM pieces: how money and dates read, and finding a client the asker may see."""

from __future__ import annotations

import ast
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import Runtime, build_runtime
from bot.config.org import Person
from bot.orgsync import sync_org
from bot.replies import Text
from handlers.shared.catalog import CatalogService
from handlers.shared.crm import deadline_text, exact_money, find_client, money, when
from storage.models import Client
from tests.support.crm import seed_world
from tests.support.harness import Harness, make_config

ROOT = Path(__file__).resolve().parents[3]
SH = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "—"),
        (0, "0元"),
        (8000, "8,000元"),
        (9999.4, "9,999元"),  # rounded to the yuan
        (10_000, "1万元"),
        (15_000, "1.5万元"),
        (12_345, "1.2345万元"),
        (350_000, "35万元"),
        (1_000_000, "100万元"),
        (1_234_567, "123.5万元"),  # past 100万 one decimal is enough
        (12_000_000, "1200万元"),
    ],
)
def test_money_reads_like_people_say_it(value: float | None, shown: str) -> None:
    assert money(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0, "0元"),
        (0.5, "0.5元"),
        (8000, "8,000元"),
        (9999.5, "9,999.5元"),  # a limit is never rounded
        (-30_000, "-3万元"),
        (300_500, "30.05万元"),
        (1_234_567, "1,234,567元"),  # not "1.23457e+06元"
        (123_456_700, "12,345.67万元"),
    ],
)
def test_exact_money_never_rounds(value: float, shown: str) -> None:
    assert exact_money(value) == shown


def test_when_reads_a_date_or_a_time_with_its_weekday() -> None:
    assert when(None) == when("") == "—"
    assert when("2026-12-02") == "12月2日 周三"
    assert when("2026-12-06T18:00:00+08:00") == "12月6日 周日 18:00"


def test_a_deadline_at_the_end_of_the_working_day_reads_as_the_day() -> None:
    assert deadline_text(datetime(2026, 12, 2, 18, 0, tzinfo=SH)) == "2026-12-02"
    assert deadline_text(datetime(2026, 12, 2, 15, 30, tzinfo=SH)) == "2026-12-02T15:30:00+08:00"


def test_only_the_follow_up_feature_imports_its_own_modules() -> None:
    """Money and dates come from handlers.shared, not from another feature's card module; the
    feature list and /状态 (which asks for the VoiceNotes service by type) are the exceptions."""
    allowed = {("handlers/features.py", "handlers.followup"), ("handlers/admin/router.py", "handlers.followup.voice")}  # fmt: skip
    found = set()
    for path in sorted((ROOT / "handlers").rglob("*.py")):
        where = path.relative_to(ROOT).as_posix()
        if where.startswith("handlers/followup/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("handlers.followup"):  # fmt: skip
                found.add((where, node.module))
    assert found == allowed


# ---------------------------------------------------------------------- find_client
@pytest.fixture
async def rt(db_url: str) -> AsyncIterator[Runtime]:
    runtime = build_runtime(make_config(db_url))
    await runtime.db.open()
    try:
        await sync_org(runtime.config, runtime.db)
        await seed_world()
        yield runtime
    finally:
        await runtime.db.close()


def who(rt: Runtime, person_id: str) -> Person:
    found = rt.directory.get(person_id)
    assert found is not None
    return found


async def test_two_close_names_are_reported_as_ambiguous(rt: Runtime) -> None:
    await Client.create(name="华东机电", aliases=[], owner_id="zhang.wei", region="east")
    await Client.create(name="华东电气", aliases=[], owner_id="li.na", region="east")
    catalogs = rt.services.get(CatalogService)

    async def lookup(query: str, person_id: str) -> tuple[str | None, tuple[str, ...], bool]:
        found = await find_client(query, who(rt, person_id), catalogs=catalogs, policy=rt.policy)
        return (found.client.name if found.client else None, found.candidates, found.ambiguous)

    # 张伟 owns both 华东机械 and 华东机电: "华东" could be either, so he is asked.
    assert await lookup("华东", "zhang.wei") == (None, ("华东机械", "华东机电"), True)
    assert await lookup("huadong", "zhang.wei") == (None, ("华东机械", "华东机电"), True)
    # Only what the asker may see competes: 李娜 sees her 华东电气 alone.
    assert await lookup("华东", "li.na") == ("华东电气", (), False)
    assert await lookup("华东", "wu.fang") == (None, (), False)  # nothing of his is called so
    # Their supervisor sees all three.
    name, candidates, ambiguous = await lookup("华东", "zhao.lei")
    assert (name, set(candidates), ambiguous) == (None, {"华东机械", "华东机电", "华东电气"}, True)
    # A full name is never ambiguous.
    assert await lookup("华东机电", "zhang.wei") == ("华东机电", (), False)


async def test_the_brief_asks_which_of_two_close_clients(bot: Harness) -> None:
    await seed_world()
    await Client.create(name="华东机电", aliases=[], owner_id="zhang.wei", region="east")
    await bot.say("zhang.wei", "/简报 华东")
    (sent,) = await bot.next_sent()
    assert sent.reply == Text("找到多个客户：华东机械、华东机电。请写完整一些，例如 /简报 华东机械")
