"""Fill what the rep did not say: from the client's history, then from the rep's habits.

Spoken values always win; an open stage is never moved backwards by a passing cue (a note about
the budget of a deal already in 报价谈判 keeps 报价谈判) — an explicit correction still can.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from bot.config.crm import Funnel, StageKind
from handlers.followup.draft import ClientPick, Draft
from handlers.shared.crm import open_deal
from handlers.shared.workcal import WorkCalendar
from nlp.extract.model import Extraction
from storage.models import Contact, Deal, FollowUp


@dataclass(frozen=True)
class History:
    deal_id: int | None = None
    stage: str | None = None
    amount: float | None = None
    products: tuple[str, ...] = ()
    contact: str | None = None
    known_contacts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Habits:
    products: tuple[str, ...] = ()
    recent_clients: tuple[tuple[int, str], ...] = field(default_factory=tuple)


async def history_of(client_id: int, rep_id: str) -> History:
    deal = await open_deal(client_id, rep_id)
    contacts = tuple(
        c["name"]
        for c in await Contact.filter(client_id=client_id, valid=True).order_by("id").values("name")
    )
    last = await FollowUp.filter(client_id=client_id).order_by("-occurred_at").first()
    last_contact = (last.fields_final or {}).get("contact") if last else None
    contact = (
        (deal.contact_name if deal else None) or last_contact or (contacts[0] if contacts else None)
    )
    if deal is None:
        return History(contact=contact, known_contacts=contacts)
    return History(
        deal_id=deal.id,
        stage=deal.stage,
        amount=float(deal.amount) if isinstance(deal.amount, Decimal) else deal.amount,
        products=tuple(deal.products or ()),
        contact=contact,
        known_contacts=contacts,
    )


async def habits_of(rep_id: str) -> Habits:
    counts: Counter[str] = Counter()
    for products in await Deal.filter(owner_id=rep_id).values_list("products", flat=True):
        counts.update(products or ())  # type: ignore[arg-type]
    recent: dict[int, str] = {}
    rows = (
        await FollowUp.filter(rep_id=rep_id, client_id__not_isnull=True)
        .order_by("-occurred_at")
        .limit(30)
        .prefetch_related("client")
    )
    for f in rows:
        if f.client is not None and f.client.id not in recent:
            recent[f.client.id] = f.client.name
    return Habits(tuple(p for p, _ in counts.most_common(3)), tuple(recent.items())[:5])


def suggest_due(draft: Draft, today: date, calendar: WorkCalendar) -> None:
    """A next step without a date gets three working days: shown as a suggestion to confirm."""
    if draft.value("next_action") and draft.value("due") is None:
        draft.set("due", calendar.add_working_days(today, 3).isoformat(), "suggested")


def stage_rank(funnel: Funnel, name: str | None) -> int:
    stage = funnel.stage(name) if name else None
    if stage is None:
        return -1
    if stage.kind is not StageKind.open:
        return 100
    return funnel.stages.index(stage)


def client_pick(ext: Extraction) -> ClientPick:
    m = ext.client
    if m.kind == "ambiguous":
        return ClientPick(
            None, None, m.heard, "ambiguous", [(int(a.client_id), a.name) for a in m.alternatives]
        )
    if m.matched and m.client_id is not None:
        heard = m.heard if m.heard and m.heard != m.name else None
        return ClientPick(int(m.client_id), m.name, heard, m.kind)
    if m.kind == "new" and m.heard:
        return ClientPick(None, m.heard, None, "new")
    return ClientPick()


def fill(
    draft: Draft,
    ext: Extraction,
    *,
    funnel: Funnel,
    history: History,
    habits: Habits,
    today: date,
    calendar: WorkCalendar,
) -> Draft:
    """Set every field from ``ext`` (spoken), then history, then suggestions; keep answers."""

    def put(name: str, spoken: object, from_history: object = None) -> None:
        if draft.source(name) == "answered":
            return
        if spoken not in (None, "", (), []):
            draft.set(name, spoken, "spoken")
        elif from_history not in (None, "", (), []):
            draft.set(name, from_history, "history")
        else:
            draft.set(name, None, "spoken")

    put("contact", ext.contact, history.contact)
    put("amount", ext.amount, history.amount)
    put("products", list(ext.products), list(history.products))
    put("next_action", ext.next_action)
    due = (
        ext.next_action_at.isoformat()
        if ext.next_action_at
        else (ext.next_action_due.isoformat() if ext.next_action_due else None)
    )
    put("due", due)

    if draft.source("stage") != "answered":
        spoken, known = ext.stage, history.stage
        if spoken and (not known or stage_rank(funnel, spoken) >= stage_rank(funnel, known)):
            draft.set("stage", spoken, "spoken")
        elif known:
            draft.set("stage", known, "history")
        else:
            draft.set("stage", None, "spoken")

    if draft.value("products") is None and habits.products:
        draft.set("products", [habits.products[0]], "suggested")
    suggest_due(draft, today, calendar)

    draft.competitors = list(ext.competitors)
    draft.sentiment = ext.sentiment
    draft.risks = list(ext.risks)
    draft.needs = list(ext.needs)
    draft.extracted = ext.to_json()
    return draft
