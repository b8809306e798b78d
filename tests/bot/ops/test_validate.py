"""Every column's errors, with the row number the admin sees in the sheet; files in GBK; templates."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.ops import cells
from bot.ops.cells import CellError
from bot.ops.kinds import CLIENTS, CONTACTS, DEALS, KINDS, PAYMENTS, Known, template_rows, validate
from bot.ops.sheets import SheetError, Table, decode, read_csv_text, read_table, write_table

TZ = ZoneInfo("Asia/Shanghai")
KNOWN = Known(
    tz=TZ,
    people={
        "zhang.wei": ("zhang.wei",),
        "张伟": ("zhang.wei",),
        "李娜": ("li.na", "li.na2"),
        "li.na": ("li.na",),
    },
    stages={"需求确认": "open", "赢单": "won", "输单": "lost"},
    regions={"east": "east", "华东": "east"},
    clients=frozenset({"明远科技"}),
    deal_refs=frozenset({"D-1"}),
    deal_ids=frozenset({7}),
)


def table(headers: list[str], *rows: list[object]) -> Table:
    return Table(headers, [(i + 2, list(r)) for i, r in enumerate(rows)])  # type: ignore[misc]


def errors_of(kind_name: str, headers: list[str], *rows: list[object]) -> list[str]:
    return validate(KINDS[kind_name], table(headers, *rows), KNOWN).errors


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("350000", "350000.00"), ("35万", "350000.00"), ("35.5万", "355000.00"), ("三十五万", "350000.00"),
     ("1,200,000", "1200000.00"), ("￥8800元", "8800.00"), (120000.0, "120000.00"), ("120w", "1200000.00")],
)  # fmt: skip
def test_money_reads_plain_and_chinese_amounts(cell: object, expected: str) -> None:
    assert cells.money(cell) == Decimal(expected)  # type: ignore[arg-type]


@pytest.mark.parametrize("cell", ["abc", "35万另加5万", "0", "-5", "三台"])
def test_money_refuses_what_is_not_one_amount(cell: str) -> None:
    with pytest.raises(CellError):
        cells.money(cell)


def test_dates_in_the_forms_chinese_sheets_use() -> None:
    for raw in ("2026-11-05", "2026/11/5", "2026年11月5日", "2026.11.05"):
        assert cells.day(raw) == date(2026, 11, 5)
    assert cells.moment("2026-11-05 14:30", TZ) == datetime(2026, 11, 5, 14, 30, tzinfo=TZ)
    assert cells.moment(datetime(2026, 11, 5, 9), TZ) == datetime(2026, 11, 5, 9, tzinfo=TZ)
    for bad in ("2026-13-01", "2026-02-30", "下周一", "11/05"):
        with pytest.raises(CellError):
            cells.day(bad)


def test_client_column_errors() -> None:
    headers = ["客户名称", "负责人", "区域", "城市", "行业", "来源", "别名"]
    errors = errors_of(
        "clients",
        headers,
        ["", "张伟", "华东", "", "", "", ""],
        ["甲公司", "查无此人", "华东", "", "", "", ""],
        ["乙公司", "李娜", "华东", "", "", "", ""],
        ["丙公司", "张伟", "西北", "", "", "", ""],
        ["丁公司", "张伟", "华东", "上" * 65, "行" * 65, "源" * 65, ""],
        ["甲公司", "", "", "", "", "", ""],
        ["好公司", "zhang.wei", "east", "上海", "制造业", "展会", "好、好司"],
    )
    assert errors == [
        "第 2 行「客户名称」：必填，不能为空",
        "第 3 行「负责人」：找不到这个人（填写工号或姓名）",
        "第 4 行「负责人」：有 2 人同名，请填写工号",
        "第 5 行「区域」：不是配置里的区域（可填：华东）",
        "第 6 行「城市」：太长了（最多 64 个字，现在 65 个）",
        "第 6 行「行业」：太长了（最多 64 个字，现在 65 个）",
        "第 6 行「来源」：太长了（最多 64 个字，现在 65 个）",
    ]
    # 甲公司 on row 7 is not a duplicate: row 3 (also 甲公司) was refused, so only the errors above.
    checked = validate(
        CLIENTS,
        table(headers, ["好公司", "zhang.wei", "east", "上海", "制造业", "展会", "好、好司"]),
        KNOWN,
    )
    assert checked.rows == [
        (2, {"name": "好公司", "owner_id": "zhang.wei", "region": "east", "city": "上海", "industry": "制造业",
             "source": "展会", "aliases": ["好", "好司"]})
    ]  # fmt: skip


def test_duplicate_rows_point_at_the_first() -> None:
    errors = errors_of("clients", ["客户名称"], ["甲公司"], ["乙公司"], ["甲公司"])
    assert errors == ["第 4 行「客户名称」：与第 2 行重复"]
    errors = errors_of("payments", [c.header for c in PAYMENTS.columns],
                       ["P1", "明远科技", "", "张伟", "首年", "1", "1万", "2026-11-01"],
                       ["P1", "明远科技", "", "张伟", "续费", "2", "2万", "2026-11-02"])  # fmt: skip
    assert errors == ["第 3 行「回款编号」：与第 2 行重复"]


def test_contact_column_errors() -> None:
    headers = [c.header for c in CONTACTS.columns]
    errors = errors_of(
        "contacts",
        headers,
        ["不存在公司", "王总", "", "", ""],
        ["明远科技", "", "", "", ""],
        ["明远科技", "王总", "", "电话号码", ""],
        ["明远科技", "李总", "", "13812345678", "也许"],
        ["明远科技", "赵总", "总" * 101, "021-61234567", "否"],
    )
    assert errors == [
        "第 2 行「客户名称」：客户「不存在公司」不存在（请先导入客户）",
        "第 3 行「姓名」：必填，不能为空",
        "第 4 行「电话」：不是有效的电话号码（填写示例：13812345678 或 021-61234567）",
        "第 5 行「有效」：只能填写：是、有效、否、无效",
        "第 6 行「职务」：太长了（最多 100 个字，现在 101 个）",
    ]


def test_deal_column_errors() -> None:
    headers = [c.header for c in DEALS.columns]
    good = ["D-9", "明远科技", "二期", "张伟", "需求确认", "35万", "展会", "华东", "云", "甲、乙", "王总",
            "2026-12-31", "2026-10-08", "", ""]  # fmt: skip

    def bad(i: int, value: str) -> list[str]:
        row = list(good)
        row[i] = value
        return row

    errors = errors_of(
        "deals",
        headers,
        good,
        bad(3, ""),
        bad(4, "谈判中"),
        bad(5, "很多钱"),
        bad(7, "火星"),
        bad(11, "年底"),
        bad(12, "2026-02-30"),
        bad(13, "昨天"),
        bad(1, ""),
    )
    assert errors == [
        "第 3 行「负责人」：必填，不能为空",
        "第 4 行「阶段」：不是销售漏斗里的阶段（可填：需求确认、赢单、输单）",
        "第 5 行「金额」：不是有效的金额（填写示例：350000 或 35万）",
        "第 6 行「区域」：不是配置里的区域（可填：华东）",
        "第 7 行「预计成交日期」：不是有效的日期（填写示例：2026-11-05 或 2026/11/5 或 2026年11月5日）",
        "第 8 行「创建日期」：日期不存在（填写示例：2026-11-05 或 2026/11/5 或 2026年11月5日）",
        "第 9 行「成交日期」：不是有效的日期（填写示例：2026-11-05 或 2026/11/5 或 2026年11月5日）",
        "第 10 行「客户名称」：必填，不能为空",
    ]
    row = validate(DEALS, table(headers, good), KNOWN).rows[0][1]
    assert row["amount"] == Decimal("350000.00") and row["products"] == ["甲", "乙"]
    assert row["created_at"] == datetime(2026, 10, 8, tzinfo=TZ)


def test_payment_column_errors() -> None:
    headers = [c.header for c in PAYMENTS.columns]
    good = ["P-1", "明远科技", "D-1", "张伟", "首年", "1", "12万", "2026-11-05"]

    def bad(i: int, value: str) -> list[str]:
        row = list(good)
        row[i] = value
        return row

    errors = errors_of(
        "payments", headers, good, bad(0, ""), bad(2, "D-404"), bad(4, "返利"), bad(5, "第一年"),
        bad(5, "0"), bad(6, ""), bad(6, "-3"), bad(7, ""), bad(7, "上周"),
    )  # fmt: skip
    assert errors == [
        "第 3 行「回款编号」：必填，不能为空",
        "第 4 行「商机编号」：商机编号「D-404」不存在（请先导入商机）",
        "第 5 行「类型」：只能填写：首年、续费、增购",
        "第 6 行「合同年度」：应为 1 到 50 之间的整数",
        "第 7 行「合同年度」：应为 1 到 50 之间的整数",
        "第 8 行「金额」：必填，不能为空",
        "第 9 行「金额」：不是有效的金额（填写示例：350000 或 35万）",
        "第 10 行「回款日期」：必填，不能为空",
        "第 11 行「回款日期」：不是有效的日期（填写示例：2026-11-05 或 2026/11/5 或 2026年11月5日）",
    ]
    (_, row), = validate(PAYMENTS, table(headers, good), KNOWN).rows  # fmt: skip
    assert row["kind"] == "first_year" and row["amount"] == Decimal("120000.00")


def test_internal_deal_keys_must_name_a_stored_deal() -> None:
    """ "#<id>" is what an export writes for a deal without a 商机编号: it must exist here."""
    deals = [c.header for c in DEALS.columns]
    row = [
        "",
        "明远科技",
        "明远科技项目",
        "张伟",
        "需求确认",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ]
    errors = errors_of("deals", deals, ["#7", *row[1:]], ["#8", *row[1:]], row)
    assert errors == [
        "第 3 行「商机编号」：「#8」是本系统导出的商机内部编号，但找不到这个商机"
        "（新商机请留空或填写原系统的编号）"
    ]
    # The same client and title twice is no clash when one row is keyed by its id.
    assert validate(DEALS, table(deals, ["#7", *row[1:]], row), KNOWN).errors == []
    payments = [c.header for c in PAYMENTS.columns]
    good = ["P-1", "明远科技", "#7", "张伟", "首年", "1", "12万", "2026-11-05"]
    errors = errors_of("payments", payments, good, ["P-2", "明远科技", "#8", *good[3:]])
    assert errors == ["第 3 行「商机编号」：商机编号「#8」不存在（请先导入商机）"]


def test_header_errors_stop_before_rows() -> None:
    errors = errors_of("clients", ["公司", "负责人", "负责人"], ["甲", "张伟", "张伟"])
    assert errors == [
        "第 1 行：不认识的列「公司」（客户表可用的列：客户名称、负责人、区域、城市、行业、来源、别名）",
        "第 1 行：列「负责人」出现了两次",
        "第 1 行：缺少必填列「客户名称」",
    ]
    # The template marks required columns with *; that mark is accepted back.
    assert errors_of("clients", ["客户名称*"], ["甲"]) == []


def test_gbk_utf8_and_bom_files_read_the_same(tmp_path: Path) -> None:
    content = "客户名称,城市\r\n明远科技,上海\r\n\r\n锦程物流,广州\r\n"
    for encoding in ("gbk", "gb18030", "utf-8", "utf-8-sig"):
        path = tmp_path / f"c-{encoding}.csv"
        path.write_bytes(content.encode(encoding))
        t = read_table(path)
        assert t.headers == ["客户名称", "城市"]
        assert t.rows == [(2, ["明远科技", "上海"]), (4, ["锦程物流", "广州"])]
    with pytest.raises(SheetError):
        decode(b"\xff\xfe\x00\xd8bad")
    with pytest.raises(SheetError):
        read_table(tmp_path / "x.pdf")
    with pytest.raises(SheetError):
        read_csv_text("\n\n")


def test_templates_round_trip_through_the_validator(tmp_path: Path) -> None:
    for kind in KINDS.values():
        headers, example, notes = template_rows(kind)
        path = tmp_path / f"{kind.name}.xlsx"
        write_table(path, headers, iter([example]), notes)
        t = read_table(path)
        assert t.headers == [c.header for c in kind.columns]
        checked = validate(kind, t, KNOWN.__class__(**{**KNOWN.__dict__,
            "clients": frozenset({"上海明远科技有限公司"}), "deal_refs": frozenset({"D2026-0001"}),
            "stages": {"方案演示": "open"}}))  # fmt: skip
        assert checked.errors == [], kind.name
        assert len(checked.rows) == 1


LIMITED = {
    "clients": {"客户名称": 200, "城市": 64, "行业": 64, "来源": 64},
    "contacts": {"姓名": 100, "职务": 100},
    "deals": {
        "商机编号": 100,
        "商机名称": 200,
        "来源": 64,
        "产品线": 64,
        "联系人": 100,
        "输单原因": 200,
    },
    "payments": {"回款编号": 100},
}


@pytest.mark.parametrize(
    ("kind", "header", "limit"), [(k, h, n) for k, cols in LIMITED.items() for h, n in cols.items()]
)
def test_every_text_column_refuses_what_the_database_cannot_hold(
    kind: str, header: str, limit: int
) -> None:
    headers, example, _ = template_rows(KINDS[kind])
    known = Known(**{**KNOWN.__dict__, "clients": frozenset({"上海明远科技有限公司"}),
                     "deal_refs": frozenset({"D2026-0001"}), "stages": {"方案演示": "open"}})  # fmt: skip
    row = list(example)
    row[headers.index(header)] = "字" * (limit + 1)
    assert validate(KINDS[kind], table(headers, row), known).errors == [
        f"第 2 行「{header}」：太长了（最多 {limit} 个字，现在 {limit + 1} 个）"
    ]
    row[headers.index(header)] = "字" * limit
    assert validate(KINDS[kind], table(headers, row), known).errors == []
