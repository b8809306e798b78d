"""Reading one spreadsheet cell into a typed value, or a Chinese reason why it cannot be read.

Pure functions over plain values: a cell is whatever the sheet gave (text from a CSV; numbers
and datetimes from Excel). Each parser raises ``CellError`` with the reason; the caller adds
the row number and the column name.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from nlp.extract.amounts import find_amounts

Cell = str | int | float | Decimal | datetime | date | None


class CellError(ValueError):
    """Why a cell cannot be read, in Chinese, with an example of what would be accepted."""


def text(cell: Cell) -> str:
    """The cell as trimmed text; Excel's 12345.0 for a typed-in number reads back as 12345."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.strftime("%Y-%m-%d %H:%M") if cell.time() != time() else cell.date().isoformat()
    return str(cell).strip()


def limited(cell: Cell, max_len: int) -> str:
    value = text(cell)
    if len(value) > max_len:
        raise CellError(f"太长了（最多 {max_len} 个字，现在 {len(value)} 个）")
    return value


_PLAIN_NUMBER = re.compile(r"^[+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^[+]?\d+(?:\.\d+)?$")
MONEY_HINT = "填写示例：350000 或 35万"


def money(cell: Cell) -> Decimal:
    """350000, 350,000.00, 35万, 35.5万, 三十五万, 350000元 → yuan, rounded to the fen."""
    if isinstance(cell, int | float | Decimal) and not isinstance(cell, bool):
        value = Decimal(str(cell))
    else:
        raw = text(cell).replace("，", ",").replace(" ", "").removeprefix("¥").removeprefix("￥")
        if _PLAIN_NUMBER.match(raw):
            value = Decimal(raw.replace(",", ""))
        else:
            found = find_amounts(raw)
            # The whole cell must be one amount: "35万，另加5万" is two, and a reason to stop.
            if len(found) != 1 or found[0].end - found[0].start < len(raw.rstrip("元")):
                raise CellError(f"不是有效的金额（{MONEY_HINT}）")
            value = Decimal(str(found[0].value))
    if value <= 0:
        raise CellError(f"金额必须大于 0（{MONEY_HINT}）")
    try:
        return value.quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise CellError(f"金额太大了（{MONEY_HINT}）") from exc


_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+(\d{1,2}):(\d{2}))?$"
)
DATE_HINT = "填写示例：2026-11-05 或 2026/11/5 或 2026年11月5日"


def day(cell: Cell) -> date:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    return moment(cell, ZoneInfo("UTC")).date()


def moment(cell: Cell, tz: ZoneInfo) -> datetime:
    """A date (midnight) or a date and time, in the organisation's timezone."""
    if isinstance(cell, datetime):
        return cell if cell.tzinfo else cell.replace(tzinfo=tz)
    if isinstance(cell, date):
        return datetime.combine(cell, time(), tz)
    m = _DATE.match(text(cell))
    if not m:
        raise CellError(f"不是有效的日期（{DATE_HINT}）")
    y, mo, d = int(m[1]), int(m[2]), int(m[3])
    hh, mm = (int(m[4]), int(m[5])) if m[4] else (0, 0)
    try:
        return datetime(y, mo, d, hh, mm, tzinfo=tz)
    except ValueError as exc:
        raise CellError(f"日期不存在（{DATE_HINT}）") from exc


def whole(cell: Cell, low: int, high: int) -> int:
    raw = text(cell)
    if not re.fullmatch(r"\d+", raw) or not low <= int(raw) <= high:
        raise CellError(f"应为 {low} 到 {high} 之间的整数")
    return int(raw)


def choice(cell: Cell, options: dict[str, str]) -> str:
    """One of ``options`` (what users may write → the stored value)."""
    raw = text(cell)
    if raw in options:
        return options[raw]
    shown = "、".join(dict.fromkeys(k for k in options if not k.isascii()))
    raise CellError(f"只能填写：{shown or '、'.join(options)}")


def yes_no(cell: Cell) -> bool:
    return choice(cell, {"是": "1", "有效": "1", "否": "0", "无效": "0", "1": "1", "0": "0"}) == "1"


_PHONE = re.compile(r"^\+?[\d\- ()]{5,30}$")


def phone(cell: Cell) -> str:
    raw = text(cell)
    if not _PHONE.match(raw) or sum(c.isdigit() for c in raw) < 5:
        raise CellError("不是有效的电话号码（填写示例：13812345678 或 021-61234567）")
    return raw


def split_list(cell: Cell) -> list[str]:
    return [p.strip() for p in re.split(r"[、,，;；/|\n]", text(cell)) if p.strip()]
