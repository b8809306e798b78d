"""The monthly settlement on the scheduler's clock.

It runs every working morning and settles the last closed month: the settlement is idempotent
(a unique key per entry), so only the first run after a month closes writes anything, and a bot
that was down on the 1st settles when it returns. Each rep's result is a push, told once.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.config.models import AppConfig
from bot.jobs import JobRun, Push
from handlers.incentives.render import settlement_message
from handlers.incentives.settle import settle
from handlers.shared.periods import period_of, previous
from storage.db import Database

NAME = "incentive-settlement"


async def settle_last_month(run: JobRun, config: AppConfig, db: Database) -> None:
    tz = ZoneInfo(config.timezone)
    month = previous(period_of("month", run.now, tz), tz)
    result = await settle(db, config, month, run.now, dry_run=run.dry_run)
    if result.created == 0:
        return  # settled by an earlier run
    roles = {r.value for r in config.incentives.roles}
    for person in result.people:
        known = next((p for p in config.people if p.id == person.person_id), None)
        if known is None or known.role.value not in roles:
            continue
        run.push(
            Push(
                f"settle:{month.key}:{person.person_id}",
                person.person_id,
                "incentive_settlement",
                settlement_message(month.label, person),
            )
        )
