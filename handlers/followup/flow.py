"""The follow-up conversation: note → draft card → answers and corrections → 保存 → brief.

A draft lives in its confirm card's stored state until the rep saves or discards it; nothing is
written to the CRM tables before 保存.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import aiohttp

from bot.clock import Clock
from bot.config.models import AppConfig
from bot.config.org import Person
from bot.pipeline.context import Context
from bot.replies import CardMessage, CardUpdate
from cards.model import Card
from cards.store import CardStore
from handlers.followup.autofill import (
    Habits,
    History,
    client_pick,
    fill,
    habits_of,
    history_of,
    suggest_due,
)
from handlers.followup.card import draft_card
from handlers.followup.choices import choices_for
from handlers.followup.draft import ClientPick, Draft
from handlers.shared.catalog import CatalogService
from handlers.shared.workcal import WorkCalendar
from nlp.extract.core import extract
from nlp.extract.model import Extraction
from nlp.llm import llm_fill
from storage.db import Database
from storage.models import CardInstance

KIND = "followup"
DRAFT = "draft"
DRAFT_REPLY_HOURS = 12  # an older unsaved card stays tappable but no longer captures replies


def is_another_visit(ext: Extraction, draft: Draft) -> bool:
    """A reply that names a different client with news of its own is a new note, not an answer."""
    other = ext.client_name
    return bool(other and other != draft.client.name and (ext.stage or ext.amount is not None))


def looks_like_a_note(ext: Extraction) -> bool:
    return bool(
        ext.client.kind in ("exact", "alias", "fuzzy", "pinyin", "ambiguous", "new")
        or ext.stage
        or ext.amount is not None
        or ext.next_action
        or ext.contact
    )


class FollowupFlow:
    def __init__(
        self,
        config: AppConfig,
        db: Database,
        cards: CardStore,
        catalogs: CatalogService,
        clock: Clock,
        calendar: WorkCalendar,
    ) -> None:
        self.config = config
        self.calendar = calendar
        self.db = db
        self.cards = cards
        self.catalogs = catalogs
        self.clock = clock
        self.tz = ZoneInfo(config.timezone)
        self._session: aiohttp.ClientSession | None = None  # for the optional LLM, opened on use

    # --- drafts ------------------------------------------------------------------------------

    async def open_drafts(self, rep_id: str) -> list[tuple[CardInstance, Draft]]:
        """The rep's recent unsaved cards, newest first: replies are read against them."""
        since = self.clock.now() - timedelta(hours=DRAFT_REPLY_HOURS)
        instances = (
            await CardInstance.filter(
                kind=KIND, owner_id=rep_id, status=DRAFT, updated_at__gte=since
            )
            .order_by("-updated_at")
            .limit(5)
        )
        return [(i, Draft.from_dict(CardStore.data_of(i)["draft"])) for i in instances]

    async def extract(self, text: str, person: Person, when: datetime) -> Extraction:
        catalog = await self.catalogs.get()
        rules = extract(
            text,
            now=when,
            catalog=catalog,
            rep_id=person.id,
            tz=ZoneInfo(self.config.timezone),
            after_holiday=self.calendar.after_holiday,
        )
        settings = self.config.nlp.llm
        if not settings.enabled:
            return rules
        if self._session is None:
            self._session = aiohttp.ClientSession()
        outcome = await llm_fill(
            text,
            rules,
            settings=settings,
            catalog=catalog,
            now=when,
            session=self._session,
            rep_id=person.id,
        )
        return outcome.extraction

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def start(
        self,
        ctx: Context,
        person: Person,
        text: str,
        *,
        via: str,
        audio: list[int],
        ext: Extraction | None = None,
        when: datetime | None = None,
    ) -> None:
        """A new visit note: build the draft and show its confirm card."""
        when = when or ctx.event.time
        ext = ext or await self.extract(text, person, when)
        draft = Draft(
            rep_id=person.id,
            via="voice" if via == "voice" else "text",
            text=text,
            occurred_at=when.isoformat(),
            updated_ms=self.clock.ms(),
            audio=list(audio),
        )
        await self._fill(draft, ext, person)
        # One card per inbox message, whatever happens: a retried handler finds its own card.
        digest = hashlib.sha1(f"{ctx.event.platform}:{ctx.event.dedupe_key}".encode()).hexdigest()[
            :10
        ]
        card_id = f"fu-{digest}"
        instance = await self.cards.get(card_id)
        if instance is None:
            card = draft_card(card_id, draft)
            await self.cards.create(
                card,
                kind=KIND,
                owner_id=person.id,
                data={"draft": draft.to_dict(), "sources": [ctx.inbox_id]},
                status=DRAFT,
            )
        ctx.reply(CardMessage(card_id))

    async def merge(
        self,
        ctx: Context,
        person: Person,
        instance: CardInstance,
        draft: Draft,
        text: str,
        audio: list[int],
    ) -> None:
        """Another voice note of the same visit: append it and read the whole note again."""
        data = CardStore.data_of(instance)
        if ctx.inbox_id in data.get("sources", []):  # a retried handler: already merged
            ctx.reply(CardUpdate(instance.id))
            return
        draft.text = f"{draft.text}\n{text}"
        draft.audio += audio
        draft.updated_ms = self.clock.ms()
        ext = await self.extract(draft.text, person, ctx.event.time)
        await self._fill(draft, ext, person)
        await self.store(
            instance, draft, extra={"sources": [*data.get("sources", []), ctx.inbox_id]}
        )
        ctx.reply(CardUpdate(instance.id))

    def mergeable(self, draft: Draft, when: datetime, window_s: float) -> bool:
        return (
            draft.via == "voice" and (when.timestamp() * 1000 - draft.updated_ms) <= window_s * 1000
        )

    async def _fill(self, draft: Draft, ext: Extraction, person: Person) -> None:
        if draft.client.kind != "answered":
            draft.client = client_pick(ext)
        history = await history_of(draft.client.id, person.id) if draft.client.id else History()
        habits = await habits_of(person.id)
        fill(
            draft,
            ext,
            funnel=self.config.funnel,
            history=history,
            habits=habits,
            today=self.today(),
            calendar=self.calendar,
        )
        self.ask_next(draft, habits)

    async def use_client(self, draft: Draft, pick: ClientPick, person: Person) -> None:
        """The rep named or picked the client: take it, and its history for unsaid fields."""
        draft.client = pick
        ext = await self.extract(draft.text, person, datetime.fromisoformat(draft.occurred_at))
        await self._fill(draft, ext, person)

    def ask_next(self, draft: Draft, habits: Habits | None = None) -> None:
        suggest_due(draft, self.today(), self.calendar)
        missing = draft.missing
        draft.asking = missing[0] if missing else None
        if draft.asking:
            draft.choices[draft.asking] = choices_for(
                draft.asking, draft, self.config.funnel, habits or Habits(), self.today()
            )

    def today(self) -> date:
        return self.clock.now().astimezone(self.tz).date()

    async def store(
        self,
        instance: CardInstance,
        draft: Draft,
        *,
        card: Card | None = None,
        status: str | None = None,
        extra: dict | None = None,
    ) -> None:
        data = CardStore.data_of(instance) | (extra or {}) | {"draft": draft.to_dict()}
        await self.cards.save(instance, card or draft_card(instance.id, draft), data, status)

    async def refresh(self, ctx: Context, instance: CardInstance, draft: Draft) -> None:
        habits = await habits_of(draft.rep_id) if draft.missing else None
        self.ask_next(draft, habits)
        await self.store(instance, draft)
        ctx.reply(CardUpdate(instance.id))


NOT_A_NOTE = (
    "我没有从这条消息里找到拜访信息。可以这样说：“今天拜访了华东机械王经理，报价35万，"
    "下周三前发合同”。发送 /帮助 查看全部命令。"
)
