"""Which client a request is for, and what that brings along: the client's open deal and, when
the form has no amount yet, the deal's amount — the same whether the client was typed after
/报价, typed as an answer on the guided card, or tapped there as a one-tap choice."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.config.approvals import ApprovalTemplate, FieldType
from bot.config.org import Person
from handlers.approvals.parse import CLIENT
from handlers.shared.crm import open_deal
from storage.models import Client


@dataclass(frozen=True)
class ClientValues:
    raw: dict[str, object]  # the client's name, and the deal's amount when the form had none
    client_id: int
    deal_id: int | None


async def client_values(
    template: ApprovalTemplate, client: Client, person: Person, form: Mapping[str, object]
) -> ClientValues:
    raw: dict[str, object] = {CLIENT: client.name}
    deal = await open_deal(client.id, person.id)
    if deal is None:
        return ClientValues(raw, client.id, None)
    amount_key = next((f.key for f in template.fields if f.type is FieldType.amount), None)
    if amount_key and form.get(amount_key) in (None, "") and deal.amount is not None:
        raw[amount_key] = float(deal.amount)  # pre-filled from the open deal
    return ClientValues(raw, client.id, deal.id)


def ambiguous_text(candidates: tuple[str, ...], command: str | None) -> str:
    options = "、".join(candidates)
    if command:
        return f"找到多个客户：{options}。请写完整一些，例如 /{command} {candidates[0]}"
    return f"找到多个客户：{options}。请在卡片上点选，或回复完整名称。"
