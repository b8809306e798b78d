"""What each importable table holds: its columns (Chinese headers), how a cell is read, the key
that makes a re-import update instead of duplicate, and the validation of a whole table.

Pure: the database's view (people, stages, clients, deal numbers) arrives as a ``Known`` value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from bot.ops import cells
from bot.ops.cells import Cell, CellError
from bot.ops.sheets import Table

PAYMENT_KINDS = {"首年": "first_year", "续费": "renewal", "增购": "upsell"}
PAYMENT_KIND_LABELS = {v: k for k, v in PAYMENT_KINDS.items()}
# A deal recorded in chat has no 商机编号: an export names it by its own id, "#<id>", so the file
# imports back onto the same deal (and a payment keeps its deal) instead of clashing on client + title.
_INTERNAL_REF = re.compile(r"^#(\d{1,18})$")


def internal_ref(deal_id: int) -> str:
    return f"#{deal_id}"


def internal_id(ref: str) -> int | None:
    """The deal id a "#<id>" key names; None for a 商机编号 from another system."""
    m = _INTERNAL_REF.match(ref)
    return int(m[1]) if m else None


@dataclass(frozen=True)
class Known:
    """What the database already holds, as plain data."""

    tz: ZoneInfo
    people: dict[str, tuple[str, ...]] = field(default_factory=dict)  # id or name → person ids
    stages: dict[str, str] = field(default_factory=dict)  # stage name → open | won | lost
    regions: dict[str, str] = field(default_factory=dict)  # id or name → id; empty: free text
    clients: frozenset[str] = frozenset()
    deal_refs: frozenset[str] = frozenset()
    deal_ids: frozenset[int] = frozenset()

    def person(self, cell: Cell) -> str:
        ids = self.people.get(cells.text(cell), ())
        if not ids:
            raise CellError("找不到这个人（填写工号或姓名）")
        if len(ids) > 1:
            raise CellError(f"有 {len(ids)} 人同名，请填写工号")
        return ids[0]

    def stage(self, cell: Cell) -> str:
        name = cells.text(cell)
        if name not in self.stages:
            raise CellError("不是销售漏斗里的阶段（可填：" + "、".join(self.stages) + "）")
        return name

    def region(self, cell: Cell) -> str:
        raw = cells.limited(cell, 64)
        if not self.regions:
            return raw
        if raw not in self.regions:
            names = sorted({k for k in self.regions if not k.isascii()} or set(self.regions))
            raise CellError("不是配置里的区域（可填：" + "、".join(names) + "）")
        return self.regions[raw]

    def client(self, cell: Cell) -> str:
        name = cells.limited(cell, 200)
        if name not in self.clients:
            raise CellError(f"客户「{name}」不存在（请先导入客户）")
        return name

    def deal_key(self, cell: Cell) -> str:
        """A deal's own 商机编号, or "#<id>" naming a deal stored here (which must exist)."""
        ref = cells.limited(cell, 100)
        found = internal_id(ref)
        if found is not None and found not in self.deal_ids:
            raise CellError(
                f"「{ref}」是本系统导出的商机内部编号，但找不到这个商机（新商机请留空或填写原系统的编号）"
            )
        return ref

    def deal_ref(self, cell: Cell) -> str:
        ref = cells.limited(cell, 100)
        found = internal_id(ref)
        stored = ref in self.deal_refs if found is None else found in self.deal_ids
        if not stored:
            raise CellError(f"商机编号「{ref}」不存在（请先导入商机）")
        return ref


Reader = Callable[[Cell, Known], Any]


def _text(max_len: int) -> Reader:
    return lambda cell, known: cells.limited(cell, max_len)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    read: Reader
    required: bool = False
    example: str = ""
    note: str = ""


@dataclass(frozen=True)
class Kind:
    name: str  # clients | contacts | deals | payments
    label: str  # 客户 …
    columns: tuple[Column, ...]
    key: Callable[[dict[str, Any]], tuple[Any, ...]]  # within-file duplicate check
    key_columns: tuple[str, ...]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


CLIENTS = Kind(
    "clients",
    "客户",
    (
        Column(
            "name",
            "客户名称",
            _text(200),
            True,
            "上海明远科技有限公司",
            "唯一；再次导入同名客户会更新它",
        ),
        Column("owner_id", "负责人", lambda c, k: k.person(c), False, "张伟", "工号或姓名"),
        Column("region", "区域", lambda c, k: k.region(c), False, "华东", "配置中的区域名称或编号"),
        Column("city", "城市", _text(64), False, "上海"),
        Column("industry", "行业", _text(64), False, "制造业"),
        Column("source", "来源", _text(64), False, "展会"),
        Column(
            "aliases",
            "别名",
            lambda c, k: cells.split_list(c),
            False,
            "明远、明远科技",
            "多个用顿号分隔",
        ),
    ),
    lambda r: (r["name"],),
    ("name",),
)

CONTACTS = Kind(
    "contacts",
    "联系人",
    (
        Column(
            "client", "客户名称", lambda c, k: k.client(c), True, "上海明远科技有限公司", "须已存在"
        ),
        Column("name", "姓名", _text(100), True, "王建国", "同一客户下唯一"),
        Column("title", "职务", _text(100), False, "采购经理"),
        Column("phone", "电话", lambda c, k: cells.phone(c), False, "13812345678"),
        Column("valid", "有效", lambda c, k: cells.yes_no(c), False, "是", "是 / 否，默认是"),
    ),
    lambda r: (r["client"], r["name"]),
    ("client", "name"),
)

DEALS = Kind(
    "deals",
    "商机",
    (
        Column(
            "external_ref",
            "商机编号",
            lambda c, k: k.deal_key(c),
            False,
            "D2026-0001",
            "原系统里的编号；有则按它更新，无则按客户+商机名称；"
            "导出文件里的 #数字 是本系统商机的内部编号，请勿修改",
        ),
        Column(
            "client", "客户名称", lambda c, k: k.client(c), True, "上海明远科技有限公司", "须已存在"
        ),
        Column("title", "商机名称", _text(200), False, "二期扩容"),
        Column("owner_id", "负责人", lambda c, k: k.person(c), True, "张伟", "工号或姓名"),
        Column("stage", "阶段", lambda c, k: k.stage(c), True, "方案演示", "销售漏斗中的阶段名称"),
        Column("amount", "金额", lambda c, k: cells.money(c), False, "350000", "元；也可写 35万"),
        Column("source", "来源", _text(64), False, "展会"),
        Column("region", "区域", lambda c, k: k.region(c), False, "华东"),
        Column("product_line", "产品线", _text(64), False, "云服务"),
        Column(
            "products",
            "产品",
            lambda c, k: cells.split_list(c),
            False,
            "标准版、实施服务",
            "多个用顿号分隔",
        ),
        Column("contact_name", "联系人", _text(100), False, "王建国"),
        Column("expected_close", "预计成交日期", lambda c, k: cells.day(c), False, "2026-12-31"),
        Column(
            "created_at",
            "创建日期",
            lambda c, k: cells.moment(c, k.tz),
            False,
            "2026-10-08",
            "默认为导入当天",
        ),
        Column(
            "closed_at",
            "成交日期",
            lambda c, k: cells.moment(c, k.tz),
            False,
            "",
            "赢单或输单的日期",
        ),
        Column("lost_reason", "输单原因", _text(200), False, ""),
    ),
    lambda r: (
        (r["external_ref"],) if r.get("external_ref") else (r["client"], r.get("title") or "")
    ),
    ("external_ref",),
)

PAYMENTS = Kind(
    "payments",
    "回款",
    (
        Column(
            "external_ref",
            "回款编号",
            _text(100),
            True,
            "P2026-0001",
            "财务系统里的凭证号；唯一，再次导入会更新",
        ),
        Column(
            "client", "客户名称", lambda c, k: k.client(c), True, "上海明远科技有限公司", "须已存在"
        ),
        Column(
            "deal_ref",
            "商机编号",
            lambda c, k: k.deal_ref(c),
            False,
            "D2026-0001",
            "须已存在（#数字 是本系统商机的内部编号）；留空则不改动已关联的商机",
        ),
        Column("owner_id", "负责人", lambda c, k: k.person(c), True, "张伟", "工号或姓名"),
        Column(
            "kind",
            "类型",
            lambda c, k: cells.choice(c, PAYMENT_KINDS | {v: v for v in PAYMENT_KINDS.values()}),
            True,
            "首年",
            "首年 / 续费 / 增购",
        ),
        Column(
            "contract_year",
            "合同年度",
            lambda c, k: cells.whole(c, 1, 50),
            False,
            "1",
            "第几年的合同，默认 1",
        ),
        Column("amount", "金额", lambda c, k: cells.money(c), True, "120000", "元；也可写 12万"),
        Column("paid_at", "回款日期", lambda c, k: cells.moment(c, k.tz), True, "2026-11-05"),
    ),
    lambda r: (r["external_ref"],),
    ("external_ref",),
)

KINDS: dict[str, Kind] = {k.name: k for k in (CLIENTS, CONTACTS, DEALS, PAYMENTS)}


@dataclass
class Checked:
    kind: Kind
    present: tuple[str, ...]  # keys of the columns the file has
    rows: list[tuple[int, dict[str, Any]]]
    errors: list[str]


def _headers(kind: Kind, table: Table) -> tuple[dict[int, Column], list[str]]:
    by_header = {c.header: c for c in kind.columns}
    used: dict[int, Column] = {}
    errors: list[str] = []
    for i, raw in enumerate(table.headers):
        header = raw.strip().rstrip("*＊").strip()
        if not header:
            continue
        column = by_header.get(header)
        if column is None:
            known = "、".join(by_header)
            errors.append(f"第 1 行：不认识的列「{header}」（{kind.label}表可用的列：{known}）")
        elif column in used.values():
            errors.append(f"第 1 行：列「{header}」出现了两次")
        else:
            used[i] = column
    for column in kind.columns:
        if column.required and column not in used.values():
            errors.append(f"第 1 行：缺少必填列「{column.header}」")
    return used, errors


VALIDATE_TICK = 500  # rows between progress reports: a large file's bar moves while it is checked


def validate(
    kind: Kind, table: Table, known: Known, progress: Callable[[int], None] | None = None
) -> Checked:
    """Every row read and checked; errors name the row (as numbered in the sheet) and the column.
    ``progress`` hears how many more rows were checked, every ``VALIDATE_TICK`` rows."""
    used, errors = _headers(kind, table)
    present = tuple(c.key for c in used.values())
    if errors:
        return Checked(kind, present, [], errors)
    rows: list[tuple[int, dict[str, Any]]] = []
    seen: dict[tuple[Any, ...], int] = {}
    for done, (number, values) in enumerate(table.rows, 1):
        if progress is not None and done % VALIDATE_TICK == 0:
            progress(VALIDATE_TICK)
        row: dict[str, Any] = {}
        ok = True
        for i, column in used.items():
            cell = values[i] if i < len(values) else None
            if cells.text(cell) == "":
                if column.required:
                    errors.append(f"第 {number} 行「{column.header}」：必填，不能为空")
                    ok = False
                row[column.key] = None
                continue
            try:
                row[column.key] = column.read(cell, known)
            except CellError as exc:
                errors.append(f"第 {number} 行「{column.header}」：{exc}")
                ok = False
        if not ok:
            continue
        key = kind.key(row)
        if key in seen:
            header = kind.column(kind.key_columns[0]).header
            if kind is DEALS and not row.get("external_ref"):
                header = "客户名称"
            errors.append(f"第 {number} 行「{header}」：与第 {seen[key]} 行重复")
            continue
        seen[key] = number
        rows.append((number, row))
    if progress is not None:
        progress(len(table.rows) % VALIDATE_TICK)
    return Checked(kind, present, rows, errors)


def template_rows(kind: Kind) -> tuple[list[str], list[Cell], list[str]]:
    """Headers, one example row, and the notes an admin reads before filling it in."""
    notes = [f"{kind.label}导入模板：第一行是列名，从第二行起每行一条；示例行请删除后再导入。"]
    for c in kind.columns:
        need = "必填" if c.required else "选填"
        notes.append(f"{c.header}（{need}）" + (f"：{c.note}" if c.note else ""))
    return [c.header for c in kind.columns], [c.example for c in kind.columns], notes
