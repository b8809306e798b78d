"""The Excel workbook behind the stats answers: one sheet per figure, built with openpyxl.

Building is CPU work: callers run ``workbook_bytes`` in a thread.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from handlers.stats.render import Sheet

RATE_WORDS = ("率", "较上一阶段", "占")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_bytes(about: list[tuple[str, str]], sheets: list[Sheet]) -> bytes:
    """An ``说明`` sheet with ``about`` (key, value) lines, then one sheet per ``Sheet``."""
    wb = Workbook()
    info = wb.active
    assert info is not None  # a new workbook has its first sheet
    info.title = "说明"
    for key, value in about:
        info.append([key, value])
    info.column_dimensions["A"].width = 14
    info.column_dimensions["B"].width = 60
    used: set[str] = {"说明"}
    for sheet in sheets:
        title = sheet.title[:31]  # Excel's limit
        n = 2
        while title in used:
            title = f"{sheet.title[:28]}-{n}"
            n += 1
        used.add(title)
        ws = wb.create_sheet(title)
        ws.append(list(sheet.header))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            ws.append(list(row))
        for col, name in enumerate(sheet.header, start=1):
            letter = ws.cell(row=1, column=col).column_letter
            ws.column_dimensions[letter].width = max(10, 2 * len(name) + 2)
            if any(w in name for w in RATE_WORDS):
                for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                    cell.number_format = "0.0%"
        ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
