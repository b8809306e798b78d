"""Finance records a payment in chat: /回款 华东机械 30万 续费 第2年 [2026-11-20] [单号 HK-001].

The payment is credited to the client's owner (the rep who owns the client now); the renewal year
defaults to one more than the client's last recorded year. The chat message's inbox id is the
external reference unless a 单号 is given, so a retried message records nothing twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

import cn2an

from bot.config.org import Person
from handlers.shared.access import AccessPolicy, Scope
from handlers.shared.catalog import CatalogService
from handlers.shared.crm import find_client
from storage.models import Deal, Payment

KINDS = {
    "首年": "first_year",
    "新签": "first_year",
    "续费": "renewal",
    "续约": "renewal",
    "增购": "upsell",
}
AMOUNT = re.compile(r"^(\d+(?:\.\d+)?)(万|w|W|千|k|K)?元?$")
YEAR = re.compile(r"^第?([0-9一二三四五六七八九十]+)年$")
UNITS = {"万": 10_000, "w": 10_000, "W": 10_000, "千": 1000, "k": 1000, "K": 1000}
DAY = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")


@dataclass(frozen=True)
class PaymentInput:
    client: str
    amount: Decimal
    kind: str | None  # None: first_year, or renewal when a year > 1 is given
    contract_year: int | None
    paid_at: datetime
    ref: str | None


def parse_amount(token: str) -> Decimal | None:
    m = AMOUNT.match(token)
    if not m:
        return None
    try:
        value = Decimal(m.group(1))
    except InvalidOperation:
        return None
    return value * UNITS.get(m.group(2) or "", 1)


def parse_payment(args: str, now: datetime, timezone: str) -> PaymentInput | str:
    """The command's words → a payment, or what is wrong with them (Chinese)."""
    words = args.split()
    ref: str | None = None
    if "单号" in words:
        i = words.index("单号")
        if i + 1 >= len(words):
            return "单号后面需要写回款单号"
        ref = words[i + 1]
        del words[i : i + 2]
    client: list[str] = []
    amount: Decimal | None = None
    kind: str | None = None
    year: int | None = None
    paid_at = now
    for w in words:
        if amount is None and (a := parse_amount(w)) is not None:
            amount = a
        elif w in KINDS:
            kind = KINDS[w]
        elif m := YEAR.match(w):
            year = (
                int(m.group(1)) if m.group(1).isdecimal() else int(cn2an.cn2an(m.group(1), "smart"))
            )
        elif DAY.match(w):
            d = date.fromisoformat("-".join(f"{int(x):02d}" for x in w.split("-")))
            paid_at = datetime.combine(d, time(12), tzinfo=ZoneInfo(timezone))
        elif amount is None:
            client.append(w)
        else:
            return f"看不懂“{w}”"
    if not client:
        return "请写上客户名"
    if amount is None or amount <= 0:
        return "请写上回款金额，如 30万 或 300000"
    if year is not None and year < 1:
        return "合同年份从第1年算起"
    return PaymentInput(" ".join(client), amount, kind, year, paid_at, ref)


class PaymentError(ValueError):
    """The payment cannot be recorded; the message is for users (Chinese)."""


async def record_payment(
    p: PaymentInput, person: Person, catalogs: CatalogService, policy: AccessPolicy, ref: str
) -> tuple[Payment, str, str]:
    """Store the payment (idempotent on its reference); returns it, the client name and owner."""
    # Recording money is finance's job for every client, not only those an approval shows them.
    found = await find_client(
        p.client, person, catalogs=catalogs, policy=policy, scope=Scope(person.id, None)
    )
    if found.ambiguous:
        raise PaymentError(f"“{p.client}”对应多个客户：{'、'.join(found.candidates)}，请写全称")
    client = found.client
    if client is None:
        raise PaymentError(f"没有找到客户“{p.client}”")
    if client.owner_id is None:
        raise PaymentError(f"客户“{client.name}”还没有负责人，无法归属提成")
    external_ref = p.ref or ref
    existing = await Payment.get_or_none(external_ref=external_ref)
    if existing is not None:
        return existing, client.name, existing.owner_id
    last = await Payment.filter(client_id=client.id).order_by("-contract_year").first()
    if p.contract_year is not None:
        year = p.contract_year
    elif last is None or p.kind == "first_year":
        year = 1
    else:  # upsell adds to the current contract year; a renewal starts the next one
        year = last.contract_year + (0 if p.kind == "upsell" else 1)
    kind = p.kind or ("renewal" if year > 1 else "first_year")
    if kind == "first_year" and year != 1:
        raise PaymentError("首年回款只能是第1年")
    deal = await Deal.filter(client_id=client.id, status="won").order_by("-closed_at").first()
    payment = await Payment.create(
        client_id=client.id,
        deal_id=deal.id if deal else None,
        owner_id=client.owner_id,
        kind=kind,
        contract_year=year,
        amount=p.amount,
        paid_at=p.paid_at,
        external_ref=external_ref,
    )
    return payment, client.name, client.owner_id
