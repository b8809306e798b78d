"""Plain-reply corrections: "金额改成35万", "阶段 报价谈判", "客户是华东机械", "下一步 周五前发合同".

Values are read with the extractor's own parsers (money, dates, names), so a correction
understands exactly what a note would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from nlp.extract.amounts import deal_amount
from nlp.extract.dates import AfterHoliday, find_times
from nlp.extract.text import normalize, split_clauses

_FIELD_WORDS = {
    "金额": "amount",
    "价格": "amount",
    "报价": "amount",
    "预算": "amount",
    "客户": "client",
    "公司": "client",
    "阶段": "stage",
    "进展": "stage",
    "联系人": "contact",
    "对接人": "contact",
    "产品": "products",
    "下一步": "next_action",
    "下步": "next_action",
    "计划": "next_action",
    "截止": "due",
    "截止时间": "due",
    "截止日期": "due",
    "时间": "due",
    "日期": "due",
}
_CORRECTION = re.compile(
    r"^\s*(?:把|将)?\s*(" + "|".join(sorted(_FIELD_WORDS, key=len, reverse=True)) + r")"
    r"\s*(?:应该|应)?\s*(?:改成|改为|换成|更正为|修改为|是|为|=|:|：)?\s*(?P<value>.+?)\s*[。.!！]?\s*$"
)


@dataclass(frozen=True)
class Correction:
    field: str
    text: str


def parse_correction(text: str) -> Correction | None:
    m = _CORRECTION.match(text)
    if not m or not m.group("value"):
        return None
    return Correction(_FIELD_WORDS[m.group(1)], m.group("value").strip())


def read_amount(text: str) -> float | None:
    norm = normalize(text)
    value = deal_amount(norm)
    if value is None:
        bare = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*", norm)
        value = float(bare.group(1)) if bare else None
    return value


def read_due(
    text: str, now_local: datetime, after_holiday: AfterHoliday | None = None
) -> str | None:
    norm = normalize(text)
    times = find_times(norm, now_local, split_clauses(norm), after_holiday)
    if not times:
        return None
    best = min(times, key=lambda t: t.width)
    return best.at.isoformat() if best.at else best.day.isoformat()


def read_stage(text: str, stages: list[str]) -> str | None:
    for s in stages:
        if s in text:
            return s
    for s in stages:  # 报价 → 报价谈判, 演示 → 方案演示
        if any(part and part in s for part in (text[:2], text[-2:])):
            return s
    return None


def read_products(text: str, catalogue: list[tuple[str, tuple[str, ...]]]) -> list[str]:
    found = [name for name, aliases in catalogue if name in text or any(a in text for a in aliases)]
    return found
