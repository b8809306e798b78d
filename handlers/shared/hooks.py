"""What one feature lets others add to its moments, without importing them.

A feature that wants to act after a visit note is saved registers a service under the
``AfterVisitSaved`` protocol (``Feature.services`` may return ``(service, AfterVisitSaved)``);
the follow-up feature calls it, if any, inside the 保存 tap.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.config.org import Person
from bot.pipeline.context import Context


@dataclass(frozen=True)
class SavedVisit:
    followup_id: int
    client_id: int
    client_name: str
    deal_id: int
    stage: str
    amount: float | None


class AfterVisitSaved(Protocol):
    async def after_visit_saved(self, ctx: Context, person: Person, visit: SavedVisit) -> None: ...
