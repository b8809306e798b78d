"""The approvals feature's service: starts requests from chat, attaches files, decides,
withdraws — pure rules (fields, routing, delegation, SLA) over the store, with the clock, the
config and the working calendar injected. No platform code here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.config.approvals import ApprovalTemplate, Delegation, FieldType
from bot.config.models import AppConfig
from bot.config.org import Person
from handlers.approvals import decide as deciding
from handlers.approvals import store
from handlers.approvals.fields import (
    attachment_name,
    check,
    missing_attachments,
    problems_text,
)
from handlers.approvals.routing import MissingApprover, RoutePlan, route
from handlers.approvals.sla import WorkingHours
from handlers.approvals.states import Status
from storage.db import Database
from storage.models import Approval


@dataclass
class Started:
    """What starting (or completing) a request came to."""

    template: ApprovalTemplate
    approval_id: int | None = None
    submitted: bool = False
    problems: list[str] = field(default_factory=list)  # the draft waits for these
    missing: MissingApprover | None = None  # nobody to decide: nothing was saved
    plan: RoutePlan | None = None

    @property
    def text(self) -> str:
        if self.missing is not None:
            return self.missing.message()
        return problems_text(self.template, self.problems)


class ApprovalService:
    def __init__(self, config: AppConfig, db: Database, clock: Clock, cal: WorkingHours) -> None:
        self.config = config
        self.db = db
        self.clock = clock
        self.cal = cal
        self.tz = ZoneInfo(config.timezone)

    def today(self) -> date:
        return self.clock.now().astimezone(self.tz).date()

    def template(self, template_id: str) -> ApprovalTemplate:
        return self.config.approvals[template_id]

    async def delegations(self) -> list[Delegation]:
        return await store.delegations(self.config.delegations, self.today())

    def _request(
        self,
        template_id: str,
        requester: Person,
        form: dict[str, Any],
        platform: str,
        client_id: int | None,
        deal_id: int | None,
    ) -> store.NewRequest:
        template = self.template(template_id)
        amount_key = next((f.key for f in template.fields if f.type is FieldType.amount), None)
        amount = form.get(amount_key) if amount_key else None
        client = form.get("client")
        title = " ".join(str(p) for p in (client, template.name) if p)
        return store.NewRequest(
            template=template_id,
            requester_id=requester.id,
            title=title[:200],
            form=form,
            platform=platform,
            client_id=client_id,
            deal_id=deal_id,
            amount=amount if isinstance(amount, int | float) else None,
        )

    async def start(
        self,
        requester: Person,
        template_id: str,
        raw: dict[str, Any],
        *,
        platform: str,
        client_id: int | None = None,
        deal_id: int | None = None,
    ) -> Started:
        """Check, route and submit; or keep a draft (with what it still needs); or refuse when
        nobody can decide. Values sent again for an open draft of the same template fill it."""
        draft = await store.open_draft(requester.id)
        if draft is not None and draft.template == template_id:
            return await self._merge(requester, draft, raw, platform, client_id, deal_id)
        template = self.template(template_id)
        return await self._advance(
            requester, template_id, template, raw, [], None, platform, client_id, deal_id
        )

    async def fill(
        self,
        requester: Person,
        draft_id: int,
        raw: dict[str, Any],
        *,
        platform: str,
        client_id: int | None = None,
        deal_id: int | None = None,
    ) -> Started | None:
        """Values for one particular draft (answers on its guided card), checked and submitted
        like ``start``'s; None when it is not the requester's draft any more."""
        draft = await Approval.get_or_none(
            id=draft_id, requester_id=requester.id, status=Status.draft.value
        )
        if draft is None or draft.template not in self.config.approvals:
            return None
        return await self._merge(requester, draft, raw, platform, client_id, deal_id)

    async def _merge(
        self,
        requester: Person,
        draft: Approval,
        raw: dict[str, Any],
        platform: str,
        client_id: int | None,
        deal_id: int | None,
    ) -> Started:
        return await self._advance(
            requester,
            draft.template,
            self.template(draft.template),
            {**draft.form, **raw},
            await store.attachment_names(draft.id),
            draft,
            platform,
            client_id or draft.client_id,
            deal_id or draft.deal_id,
        )

    async def _advance(
        self,
        requester: Person,
        template_id: str,
        template: ApprovalTemplate,
        raw: dict[str, Any],
        attached: list[str],
        draft: Approval | None,
        platform: str,
        client_id: int | None,
        deal_id: int | None,
    ) -> Started:
        now = self.clock.now()
        checked = check(template, raw, attached, today=self.today())
        if not checked.ok:
            request = self._request(template_id, requester, raw, platform, client_id, deal_id)
            if draft is None:
                draft_id = await store.save_draft(self.db, request, now=now)
            else:
                await store.update_draft(self.db, draft.id, request)
                draft_id = draft.id
            return Started(template, draft_id, problems=checked.problems)
        plan = route(template, checked.form, requester, self.config.people)
        if isinstance(plan, MissingApprover):
            return Started(template, draft.id if draft else None, missing=plan)
        request = self._request(template_id, requester, checked.form, platform, client_id, deal_id)
        approval_id = await store.submit(
            self.db,
            request,
            plan,
            now=now,
            cal=self.cal,
            sla_hours=template.sla_hours,
            draft_id=draft.id if draft else None,
        )
        return Started(template, approval_id, submitted=True, plan=plan)

    async def attach_file(
        self, requester: Person, *, filename: str, media_id: int, platform: str
    ) -> tuple[str, Started] | None:
        """A file or image sent in chat: attached to the requester's open draft under the
        attachment it fills, then the draft is checked again (and submitted when complete).
        None when there is no open draft or it needs no more files."""
        draft = await store.open_draft(requester.id)
        if draft is None or draft.template not in self.config.approvals:
            return None
        template = self.template(draft.template)
        attached = await store.attachment_names(draft.id)
        name = attachment_name(filename, missing_attachments(template, attached))
        if name is None:
            return None
        await store.attach(
            self.db,
            draft.id,
            name=name,
            filename=filename,
            media_id=media_id,
            by=requester.id,
            now=self.clock.now(),
        )
        started = await self._advance(
            requester,
            draft.template,
            template,
            dict(draft.form),
            [*attached, name],
            draft,
            platform,
            draft.client_id,
            draft.deal_id,
        )
        return name, started

    async def decide(
        self,
        approval: Approval,
        *,
        seq: int,
        person: Person,
        approve: bool,
        comment: str | None,
        platform: str,
        delegations: Sequence[Delegation] | None = None,
    ) -> deciding.Decision:
        template = self.config.approvals.get(approval.template)
        if delegations is None:
            delegations = await self.delegations()
        return await deciding.decide(
            self.db,
            approval.id,
            seq=seq,
            person_id=person.id,
            approve=approve,
            comment=comment,
            platform=platform,
            now=self.clock.now(),
            today=self.today(),
            delegations=delegations,
            cal=self.cal,
            sla_hours=template.sla_hours if template else 8,
        )

    async def withdraw(self, approval_id: int, person: Person, platform: str) -> bool:
        return await store.withdraw(
            self.db, approval_id, person_id=person.id, platform=platform, now=self.clock.now()
        )

    async def delegate(self, person: Person, to: Person, until: date) -> Delegation:
        delegation = Delegation.of(person.id, to.id, until, self.today())
        await store.add_delegation(self.db, delegation, by=person.id, now=self.clock.now())
        return delegation
