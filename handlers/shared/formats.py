"""How money and dates read to users: pure functions every feature (and the pure approval rules,
which config checks import) may use; ``handlers.shared.crm`` re-exports them with the queries.
"""

from __future__ import annotations

from datetime import date, datetime, time

WEEKDAYS = "一二三四五六日"
END_OF_DAY = time(18, 0)  # a deadline given as a day is the end of that working day


def money(value: float | int | None) -> str:
    """CNY for people: 350000 → 35万元, 8000 → 8,000元."""
    if value is None:
        return "—"
    if value >= 10_000:
        wan = value / 10_000
        return f"{wan:g}万元" if wan == int(wan) or wan < 100 else f"{wan:,.1f}万元"
    return f"{value:,.0f}元"


def _trimmed(x: float) -> str:
    """1234567 → 1,234,567 and 1.5 → 1.5: no exponent, no trailing zeros, cents at most."""
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def exact_money(value: float) -> str:
    """CNY never rounded, for a limit and the value that broke it ("不能超过 30万元（现在是
    30.05万元）"): whole hundreds read in 万 (-30000 → -3万元), the rest in 元 (8000.5 → 8,000.5元)."""
    if abs(value) >= 10_000 and value % 100 == 0:
        return f"{_trimmed(value / 10_000)}万元"
    return f"{_trimmed(value)}元"


def when(raw: str | None) -> str:
    """An ISO date or datetime as users read it: 12月2日 周三 (18:00)."""
    if not raw:
        return "—"
    if "T" in raw:
        at = datetime.fromisoformat(raw)
        return f"{at.month}月{at.day}日 周{WEEKDAYS[at.weekday()]} {at:%H:%M}"
    d = date.fromisoformat(raw)
    return f"{d.month}月{d.day}日 周{WEEKDAYS[d.weekday()]}"


def deadline_text(local: datetime) -> str:
    """A day's deadline (stored as the end of that working day) reads as the day alone."""
    return local.date().isoformat() if local.time() == END_OF_DAY else local.isoformat()
