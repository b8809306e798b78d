"""Reading one typed value from what a rep wrote: 30万, 5%, 95折, 12月5日, 是."""

from __future__ import annotations

import re
from datetime import date

import cn2an

from nlp.extract.amounts import find_amounts

_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_YES = {"是", "要", "需要", "有", "yes", "true", "y", "1", "对"}
_NO = {"否", "不", "不要", "不需要", "无", "没有", "no", "false", "n", "0"}


def _arabic(text: str) -> str:
    try:
        return str(cn2an.transform(text, "cn2an"))
    except (ValueError, KeyError):
        return text


def read_amount(text: str) -> float | None:
    """Yuan from ``30万``, ``30.5万``, ``300000``, ``三十万元``; None when it is not money."""
    raw = text.strip().replace(",", "").replace("，", "")
    sign = -1.0 if raw[:1] in ("-", "负") else 1.0  # kept, so "must be > 0" can say so
    raw = raw.lstrip("-负")
    if _NUMBER.match(raw):
        return sign * float(raw)
    found = find_amounts(raw)
    return sign * found[0].value if found else None


def read_percent(text: str) -> float | None:
    """Percent points from ``5%``, ``5``, ``百分之五``; a price ratio ``95折``/``九五折`` is 5 off."""
    raw = text.strip().replace("％", "%")
    folded = re.fullmatch(r"([\d.]+|[一二三四五六七八九]{1,2})折", raw)
    if folded:
        digits = folded[1]
        if not re.match(r"\d", digits):
            digits = "".join(str(cn2an.cn2an(c, "normal")) for c in digits)
        ratio = float(digits) * (10 if len(digits.replace(".", "")) == 1 else 1)
        return round(100 - ratio, 4) if 0 < ratio <= 100 else None
    raw = _arabic(raw)
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%?", raw)
    return float(m[1]) if m else None


def read_date(text: str, today: date) -> date | None:
    """``2026-12-05``, ``2026年12月5日``, ``12月5日``, ``12-05``, ``十二月五日``; a day without a
    year is the next such day from ``today``."""
    raw = _arabic(text.strip())
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?", raw)
    try:
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = re.fullmatch(r"(\d{1,2})[-/.月](\d{1,2})[日号]?", raw)
        if m:
            day = date(today.year, int(m[1]), int(m[2]))
            return day if day >= today else date(today.year + 1, int(m[1]), int(m[2]))
    except ValueError:
        return None
    return None


def read_bool(text: str) -> bool | None:
    raw = text.strip().lower()
    if raw in _YES:
        return True
    if raw in _NO:
        return False
    return None
