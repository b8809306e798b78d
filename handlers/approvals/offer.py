"""申请审批 after a saved visit note: one tap starts a request pre-filled from the deal."""

from __future__ import annotations

from dataclasses import replace

from bot.config.models import AppConfig
from bot.config.org import Person
from bot.pipeline.context import Context
from bot.replies import CardMessage
from cards.actions import CardAction
from cards.model import Button, Card
from cards.store import CardStore
from handlers.shared.access import AccessPolicy
from handlers.shared.crm import money
from handlers.shared.hooks import SavedVisit

KIND = "approval_offer"
NOT_NOW = "no"
MAX_TEMPLATES = 3  # beside 暂不需要, what fits a phone card


class OfferTap(CardAction, prefix="ao"):
    template: str  # a template id, or NOT_NOW


def amount_templates(config: AppConfig) -> list[tuple[str, str, str]]:
    """(template id, name, amount field) of the templates a deal's amount can pre-fill."""
    found = []
    for tid, template in config.approvals.items():
        key = next((f.key for f in template.fields if f.type.value == "amount"), None)
        if key is not None:
            found.append((tid, template.name, key))
    return found[:MAX_TEMPLATES]


class ApprovalOffer:
    """Registered as the follow-up feature's ``AfterVisitSaved``."""

    def __init__(
        self, config: AppConfig, cards: CardStore, policy: AccessPolicy, submit: str
    ) -> None:
        self.config = config
        self.cards = cards
        self.policy = policy
        self.submit = submit

    async def after_visit_saved(self, ctx: Context, person: Person, visit: SavedVisit) -> None:
        templates = amount_templates(self.config)
        if visit.amount is None or not templates or not self.policy.may(person, self.submit):
            return
        card_id = f"ao-{visit.followup_id}"  # one offer per saved record, even when retried
        if await self.cards.get(card_id) is None:
            buttons = [
                Button(
                    f"申请{name}",
                    OfferTap(card_id, 0, tid).pack(),
                    "primary" if i == 0 else "default",
                )
                for i, (tid, name, _) in enumerate(templates)
            ]
            buttons.append(Button("暂不需要", OfferTap(card_id, 0, NOT_NOW).pack()))
            card = Card(
                card_id,
                "需要发起审批吗？",
                f"{visit.client_name} · {visit.stage} · {money(visit.amount)}",
                note="客户、商机和金额会自动带入，可在提交前补充折扣、附件等。",
                buttons=tuple(buttons),
            )
            data = {
                "client": visit.client_name,
                "client_id": visit.client_id,
                "deal_id": visit.deal_id,
                "amount": visit.amount,
            }
            await self.cards.create(card, kind=KIND, owner_id=person.id, data=data)
        ctx.reply(CardMessage(card_id))


def answered(card: Card, label: str) -> Card:
    return replace(card, closed=label)
