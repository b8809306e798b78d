"""Importing into real SQLite and PostgreSQL: idempotent, updates what changed, dry runs write
nothing, invalid files write nothing, and an export imports back unchanged."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config.models import AppConfig
from bot.ops.exporter import export_rows
from bot.ops.importer import import_table
from bot.ops.kinds import KINDS, template_rows
from bot.ops.sheets import read_table, write_table
from bot.orgsync import sync_org
from storage.db import Database
from storage.models import Client, Contact, Deal, Payment, StageHistory
from tests.support.harness import make_config

NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
TZ = ZoneInfo("Asia/Shanghai")

CLIENTS_CSV = """客户名称,负责人,区域,城市,行业,来源,别名
明远科技,张伟,华东,上海,制造业,展会,明远、明远公司
锦程物流,zhou.jie,华南,广州,物流,转介绍,
恒信医药,李娜,east,,医药,,
"""
CONTACTS_CSV = """客户名称,姓名,职务,电话,有效
明远科技,王建国,采购经理,13812345678,是
明远科技,刘芳,财务,021-61234567,否
锦程物流,陈总,总经理,,
"""
DEALS_CSV = """商机编号,客户名称,商机名称,负责人,阶段,金额,产品,预计成交日期,创建日期,成交日期
D-1,明远科技,二期扩容,张伟,方案演示,35万,标准版、实施服务,2026-12-31,2026-10-08,
,锦程物流,仓储系统,周杰,赢单,1200000,,2026-11-30,2026-09-01,2026-11-20
"""
PAYMENTS_CSV = """回款编号,客户名称,商机编号,负责人,类型,合同年度,金额,回款日期
P-1,明远科技,D-1,张伟,首年,1,12万,2026-11-05
P-2,锦程物流,,周杰,续费,2,"600,000",2026/11/25 15:30
"""


@pytest.fixture
async def env(db_url: str) -> AsyncIterator[tuple[AppConfig, Database]]:
    config = make_config(db_url)
    db = Database(db_url)
    await db.open()
    await sync_org(config, db)
    yield config, db
    await db.close()


def csv_file(tmp_path: Path, name: str, content: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode(encoding))
    return path


async def load(
    config: AppConfig, db: Database, kind: str, path: Path, dry_run: bool = False
) -> tuple[int, int, int]:
    outcome = await import_table(
        KINDS[kind], read_table(path), config=config, db=db, now=NOW, dry_run=dry_run
    )
    assert outcome.errors == []
    return outcome.created, outcome.updated, outcome.unchanged


async def load_all(config: AppConfig, db: Database, tmp_path: Path) -> None:
    # The clients arrive in GBK, as WPS and Excel on Chinese Windows save a CSV.
    assert await load(config, db, "clients", csv_file(tmp_path, "c.csv", CLIENTS_CSV, "gbk")) == (
        3,
        0,
        0,
    )
    assert await load(config, db, "contacts", csv_file(tmp_path, "ct.csv", CONTACTS_CSV)) == (
        3,
        0,
        0,
    )
    assert await load(config, db, "deals", csv_file(tmp_path, "d.csv", DEALS_CSV, "utf-8-sig")) == (
        2,
        0,
        0,
    )
    assert await load(config, db, "payments", csv_file(tmp_path, "p.csv", PAYMENTS_CSV)) == (
        2,
        0,
        0,
    )


async def test_import_writes_every_kind(env: tuple[AppConfig, Database], tmp_path: Path) -> None:
    config, db = env
    await load_all(config, db, tmp_path)
    c = await Client.get(name="明远科技")
    assert (c.owner_id, c.region, c.city, c.aliases) == (
        "zhang.wei",
        "east",
        "上海",
        ["明远", "明远公司"],
    )
    assert (await Client.get(name="恒信医药")).region == "east"
    wang = await Contact.get(name="王建国")
    assert (wang.client_id, wang.phone, wang.valid) == (c.id, "13812345678", True)
    assert (await Contact.get(name="刘芳")).valid is False
    d1 = await Deal.get(external_ref="D-1")
    assert (d1.stage, d1.status, d1.amount, d1.products) == (
        "方案演示",
        "open",
        Decimal("350000.00"),
        ["标准版", "实施服务"],
    )
    assert d1.created_at == datetime(2026, 10, 8, tzinfo=TZ) == d1.stage_entered_at
    won = await Deal.get(title="仓储系统")
    assert (won.status, won.owner_id, won.closed_at) == (
        "won",
        "zhou.jie",
        datetime(2026, 11, 20, tzinfo=TZ),
    )
    history = await StageHistory.all().order_by("deal_id").values_list("deal_id", "to_stage")
    assert history == [(d1.id, "方案演示"), (won.id, "赢单")]
    p1, p2 = await Payment.all().order_by("external_ref")
    assert (p1.deal_id, p1.kind, p1.amount, p1.contract_year) == (
        d1.id,
        "first_year",
        Decimal("120000.00"),
        1,
    )
    assert (p2.deal_id, p2.kind, p2.amount) == (None, "renewal", Decimal("600000.00"))
    assert p2.paid_at == datetime(2026, 11, 25, 15, 30, tzinfo=TZ)


async def test_reimport_changes_nothing_and_changed_rows_update(
    env: tuple[AppConfig, Database], tmp_path: Path
) -> None:
    config, db = env
    await load_all(config, db, tmp_path)
    before = await Client.all().order_by("id").values()
    for kind, name, content in (("clients", "c.csv", CLIENTS_CSV), ("contacts", "ct.csv", CONTACTS_CSV),
                                ("deals", "d.csv", DEALS_CSV), ("payments", "p.csv", PAYMENTS_CSV)):  # fmt: skip
        created, updated, unchanged = await load(
            config, db, kind, csv_file(tmp_path, name, content)
        )
        assert (created, updated) == (0, 0), kind
        assert unchanged > 0
    assert await Client.all().order_by("id").values() == before
    assert (
        await Deal.all().count(),
        await StageHistory.all().count(),
        await Payment.all().count(),
    ) == (2, 2, 2)

    changed = (
        CLIENTS_CSV.replace("明远科技,张伟,华东,上海", "明远科技,李娜,华东,苏州") + "新客户,,,,,,\n"
    )
    assert await load(config, db, "clients", csv_file(tmp_path, "c2.csv", changed)) == (1, 1, 2)
    c = await Client.get(name="明远科技")
    assert (c.owner_id, c.city, c.id) == ("li.na", "苏州", before[0]["id"])

    # A deal without a number is found again by client + title; a stage change is recorded.
    moved = DEALS_CSV.replace(
        "D-1,明远科技,二期扩容,张伟,方案演示", "D-1,明远科技,二期扩容,张伟,报价谈判"
    )
    assert await load(config, db, "deals", csv_file(tmp_path, "d2.csv", moved)) == (0, 1, 1)
    d1 = await Deal.get(external_ref="D-1")
    assert (d1.stage, d1.stage_entered_at) == ("报价谈判", NOW)
    assert await StageHistory.filter(deal_id=d1.id).order_by("id").values_list("from_stage", "to_stage") == [
        (None, "方案演示"), ("方案演示", "报价谈判")
    ]  # fmt: skip

    # A file with fewer columns leaves the other columns alone.
    assert await load(
        config, db, "clients", csv_file(tmp_path, "c3.csv", "客户名称,行业\n恒信医药,生物医药\n")
    ) == (0, 1, 0)
    h = await Client.get(name="恒信医药")
    assert (h.industry, h.owner_id, h.region) == ("生物医药", "li.na", "east")


async def test_dry_run_writes_nothing(env: tuple[AppConfig, Database], tmp_path: Path) -> None:
    config, db = env
    path = csv_file(tmp_path, "c.csv", CLIENTS_CSV, "gbk")
    assert await load(config, db, "clients", path, dry_run=True) == (3, 0, 0)
    assert await Client.all().count() == 0
    await load(config, db, "clients", path)
    changed = csv_file(tmp_path, "c2.csv", CLIENTS_CSV.replace("上海", "杭州") + "另一家,,,,,,\n")
    assert await load(config, db, "clients", changed, dry_run=True) == (1, 1, 2)
    assert await Client.all().count() == 3
    assert (await Client.get(name="明远科技")).city == "上海"


async def test_an_invalid_row_writes_nothing(
    env: tuple[AppConfig, Database], tmp_path: Path
) -> None:
    config, db = env
    bad = CLIENTS_CSV + "坏客户,没这个人,,,,,\n"
    outcome = await import_table(
        KINDS["clients"],
        read_table(csv_file(tmp_path, "c.csv", bad)),
        config=config,
        db=db,
        now=NOW,
    )
    assert outcome.errors == ["第 5 行「负责人」：找不到这个人（填写工号或姓名）"]
    assert await Client.all().count() == 0


async def test_export_round_trips_through_import(
    env: tuple[AppConfig, Database], tmp_path: Path
) -> None:
    config, db = env
    await load_all(config, db, tmp_path)
    for kind in ("clients", "contacts", "deals", "payments"):
        headers, _, notes = template_rows(KINDS[kind])
        path = tmp_path / f"export-{kind}.xlsx"
        count = write_table(path, headers, await export_rows(KINDS[kind], TZ), notes)
        assert count == {"clients": 3, "contacts": 3, "deals": 2, "payments": 2}[kind]
        assert await load(config, db, kind, path) == (0, 0, count), kind
    # What was exported is what was imported.
    rows = list(await export_rows(KINDS["payments"], TZ))
    assert rows[1] == [
        "P-2",
        "锦程物流",
        None,
        "zhou.jie",
        "续费",
        2,
        Decimal("600000.00"),
        datetime(2026, 11, 25, 15, 30),
    ]
    # --period bounds the export by payment date.
    start, end = datetime(2026, 11, 1, tzinfo=TZ), datetime(2026, 11, 10, tzinfo=TZ)
    assert [r[0] for r in await export_rows(KINDS["payments"], TZ, start, end)] == ["P-1"]


async def test_a_settled_payment_is_not_changed_by_a_reimport(
    env: tuple[AppConfig, Database], tmp_path: Path
) -> None:
    """Its commission entry (pay:<id>) would no longer match it: corrections go through the
    ledger instead. Unsettled payments in the same file still update."""
    from handlers.incentives.settle import settle
    from handlers.shared.periods import period_of
    from storage.models import LedgerEntry

    config, db = env
    await load_all(config, db, tmp_path)
    await settle(db, config, period_of("month", datetime(2026, 11, 15, tzinfo=TZ), TZ), NOW)
    p1 = await Payment.get(external_ref="P-1")
    assert await LedgerEntry.filter(settlement_key=f"pay:{p1.id}").exists()
    assert await load(config, db, "payments", csv_file(tmp_path, "p.csv", PAYMENTS_CSV)) == (
        0,
        0,
        2,
    )  # the same file again is fine
    later = "P-3,恒信医药,,李娜,首年,1,5万,2026-12-02\n"
    await load(config, db, "payments", csv_file(tmp_path, "p3.csv", PAYMENTS_CSV + later))
    changed = PAYMENTS_CSV.replace("首年,1,12万", "首年,1,15万") + later.replace("5万", "6万")
    outcome = await import_table(
        KINDS["payments"],
        read_table(csv_file(tmp_path, "p2.csv", changed)),
        config=config,
        db=db,
        now=NOW,
    )
    assert outcome.errors == [
        "第 2 行：回款「P-1」的提成已经结算，不能通过导入修改；"
        "如需调整，请用 salesbot incentives correct 追加一条更正"
    ]
    assert (await Payment.get(external_ref="P-1")).amount == Decimal("120000.00")
    assert (await Payment.get(external_ref="P-3")).amount == Decimal("50000.00")  # nothing written
    unsettled = PAYMENTS_CSV + later.replace("5万", "6万")
    assert await load(config, db, "payments", csv_file(tmp_path, "p4.csv", unsettled)) == (0, 1, 2)
    assert (await Payment.get(external_ref="P-3")).amount == Decimal("60000.00")


async def test_progress_moves_while_checking_and_while_writing(
    env: tuple[AppConfig, Database], tmp_path: Path
) -> None:
    config, db = env
    rows = "".join(f"客户{i},张伟,华东,,,,\n" for i in range(1203))
    path = csv_file(tmp_path, "c.csv", "客户名称,负责人,区域,城市,行业,来源,别名\n" + rows)
    phases: list[tuple[str, int]] = []
    done: list[int] = []

    def phase(name: str, total: int) -> None:
        phases.append((name, total))
        done.append(0)

    def progress(n: int) -> None:
        done[-1] += n

    outcome = await import_table(
        KINDS["clients"], read_table(path), config=config, db=db, now=NOW,
        progress=progress, phase=phase,
    )  # fmt: skip
    assert outcome.created == 1203
    assert phases == [("校验", 1203), ("写入", 1203)] and done == [1203, 1203]
