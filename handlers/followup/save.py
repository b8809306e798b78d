"""保存: write the confirmed record, the deal's stage change, and the next-action task — once.

Everything happens in one transaction keyed by the card: a second tap, a retried handler or a
crash between steps can never write the record twice or half of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.config.crm import Funnel, StageKind
from bot.config.org import Person
from bot.directory import Directory
from handlers.followup.draft import Draft
from handlers.shared.crm import END_OF_DAY, open_deal
from storage.db import Database
from storage.models import (
    AuditLog,
    CardInstance,
    Client,
    Contact,
    Deal,
    FollowUp,
    StageHistory,
    Task,
)
from storage.status import TaskStatus, moved


@dataclass(frozen=True)
class Saved:
    followup_id: int
    client_id: int
    deal_id: int
    task_id: int | None
    stage_changed: bool
    created: bool  # False when the card had already been saved


def due_at(draft: Draft, tz: ZoneInfo) -> datetime | None:
    raw = draft.value("due")
    if not raw:
        return None
    if "T" in raw:
        return datetime.fromisoformat(raw)
    day = datetime.fromisoformat(raw).date()
    return datetime.combine(day, END_OF_DAY, tz)  # a day's deadline: the end of that working day


async def save_draft(
    db: Database,
    card: CardInstance,
    draft: Draft,
    *,
    rep: Person,
    directory: Directory,
    funnel: Funnel,
    now: datetime,
    tz: ZoneInfo,
) -> Saved:
    # Called inside the tap step's transaction, with the card locked at the tapped version; the
    # unique card_id on followups is the last guard against writing one card's record twice.
    async with db.transaction():
        existing = await FollowUp.get_or_none(card_id=card.id)
        if existing is not None:
            return Saved(
                existing.id, existing.client_id or 0, existing.deal_id or 0, None, False, False
            )

        client = await _client(draft, rep, directory)
        contact_name = draft.value("contact")
        if contact_name:
            await Contact.get_or_create(
                client_id=client.id, name=contact_name, defaults={"created_by_id": rep.id}
            )
        deal, changed, previous = await _deal(client, draft, rep, funnel, now)
        followup = await FollowUp.create(
            rep_id=rep.id,
            client_id=client.id,
            deal_id=deal.id,
            raw_text=draft.text,
            transcript=draft.text if draft.via == "voice" else None,
            audio=draft.audio,
            extracted=draft.extracted,
            fields_final={
                name: {"value": fv.value, "source": fv.source} for name, fv in draft.fields.items()
            }
            | {"client": {"value": client.name, "source": draft.client.kind}},
            occurred_at=datetime.fromisoformat(draft.occurred_at),
            card_id=card.id,
        )
        if changed:
            await StageHistory.create(
                deal_id=deal.id,
                from_stage=previous,
                to_stage=deal.stage,
                changed_at=now,
                changed_by_id=rep.id,
                followup_id=followup.id,
            )
        task_id = None
        if draft.value("next_action"):
            # The new next step replaces the deal's open one: a rep follows one plan per deal.
            await Task.filter(deal_id=deal.id, kind="next_action", status=TaskStatus.open).update(
                status=moved(TaskStatus, TaskStatus.open, TaskStatus.done), completed_at=now
            )
            task = await Task.create(
                kind="next_action",
                assignee_id=rep.id,
                deal_id=deal.id,
                client_id=client.id,
                title=str(draft.value("next_action"))[:300],
                due_at=due_at(draft, tz),
                source_id=f"fu:{card.id}",
            )
            task_id = task.id
        await AuditLog.create(
            at=now,
            actor=rep.id,
            action="followup.saved",
            subject_type="followup",
            subject_id=str(followup.id),
            details={
                "card": card.id,
                "deal": deal.id,
                "stage": deal.stage,
                "stage_changed": changed,
            },
        )
    return Saved(followup.id, client.id, deal.id, task_id, changed, True)


async def _client(draft: Draft, rep: Person, directory: Directory) -> Client:
    if draft.client.id is not None:
        return await Client.get(id=draft.client.id)
    name = str(draft.client.name)
    region = None
    if rep.team:
        team = next((t for t in directory.config.teams if t.id == rep.team), None)
        region = team.region if team else None
    client, _ = await Client.get_or_create(
        name=name, defaults={"owner_id": rep.id, "region": region}
    )
    return client


async def _deal(
    client: Client, draft: Draft, rep: Person, funnel: Funnel, now: datetime
) -> tuple[Deal, bool, str | None]:
    deal = await open_deal(client.id, rep.id)
    stage_name = str(draft.value("stage"))
    stage = funnel.stage(stage_name)
    status = stage.kind.value if stage is not None and stage.kind is not StageKind.open else "open"
    amount = draft.value("amount")
    products = draft.value("products") or []
    if deal is None:
        deal = await Deal.create(
            client_id=client.id,
            owner_id=rep.id,
            title=f"{client.name}项目",
            stage=stage_name,
            status=status,
            amount=Decimal(str(amount)) if amount is not None else None,
            source=client.source,
            region=client.region,
            products=products,
            contact_name=draft.value("contact"),
            stage_entered_at=now,
            created_at=now,
            closed_at=now if status != "open" else None,
        )
        return deal, True, None
    previous = deal.stage
    changed = previous != stage_name
    if changed:
        deal.stage = stage_name
        deal.stage_entered_at = now
        deal.status = status
        deal.closed_at = now if status != "open" else None
    if amount is not None:
        deal.amount = Decimal(str(amount))
    if products:
        deal.products = products
    if draft.value("contact"):
        deal.contact_name = draft.value("contact")
    await deal.save()
    return deal, changed, previous
