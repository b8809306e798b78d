"""Tables in and out: CSV (UTF-8 with or without BOM, GBK/GB18030 as Chinese tools save it) and Excel.

A table is its header row and its data rows, each data row numbered as the user sees it in
the sheet (the header is row 1), so every error can point at a row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.ops.cells import Cell


class SheetError(ValueError):
    """The file as a whole cannot be read (wrong type, unknown encoding, empty)."""


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[tuple[int, list[Cell]]]  # (row number in the sheet, cells)


def decode(data: bytes) -> str:
    """UTF-8 (Excel's "CSV UTF-8" adds a BOM), else GB18030, the superset of GBK that WPS and
    Excel on Chinese Windows write. Both decoders are strict: a file in neither is refused
    rather than read as mojibake."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SheetError("无法识别文件编码：请另存为“CSV UTF-8”或 Excel 文件")


def _blank(cells: Sequence[Cell]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _table(rows: Iterator[Sequence[Cell]]) -> Table:
    header: list[str] | None = None
    out: list[tuple[int, list[Cell]]] = []
    for number, cells in enumerate(rows, start=1):
        if header is None:
            if _blank(cells):
                continue
            header = [str(c).strip() if c is not None else "" for c in cells]
            continue
        if _blank(cells):
            continue
        out.append((number, list(cells)))
    if header is None:
        raise SheetError("文件是空的：第一行应是列名")
    return Table(header, out)


def read_csv_text(content: str) -> Table:
    return _table(iter(csv.reader(io.StringIO(content))))


def read_table(path: Path) -> Table:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        return read_csv_text(decode(path.read_bytes()))
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            return _table(sheet.iter_rows(values_only=True))  # type: ignore[arg-type]
        finally:
            book.close()
    raise SheetError(f"不支持的文件类型 {suffix or '（无扩展名）'}：请使用 .csv 或 .xlsx")


def write_table(
    path: Path, headers: Sequence[str], rows: Iterator[Sequence[Cell]], notes: Sequence[str] = ()
) -> int:
    """Write ``rows`` under ``headers``; .xlsx gets a second sheet with ``notes``. Returns rows written."""
    count = 0
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(headers)
            for row in rows:
                writer.writerow(["" if c is None else c for c in row])
                count += 1
        return count
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("数据")
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
        count += 1
    if notes:
        help_sheet = book.create_sheet("填写说明")
        for line in notes:
            help_sheet.append([line])
    book.save(path)
    return count
