"""The monthly settlement on the scheduler's clock, and what a settlement tells whom.

It runs every working morning and settles the last closed month: the settlement is idempotent
(a unique key per entry), so only the first run after a month closes writes its results, and a
bot that was down on the 1st settles when it returns. Each rep's result is a push, told once
(``settle:<month>:<person>``) whether the job or ``salesbot incentives settle`` settled the
month. A later run that adds entries to the settled month (a payment recorded late) tells the
people concerned about those entries only, keyed by them: once per batch.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from zoneinfo import ZoneInfo

from bot.config.models import AppConfig
from bot.jobs import JobRun, Push
from handlers.incentives.ledger import PlannedEntry, settled_entries
from handlers.incentives.render import late_entries_message, settlement_message
from handlers.incentives.settle import PersonResult, SettlementResult, settle
from handlers.shared.periods import period_of, previous
from storage.db import Database

NAME = "incentive-settlement"
KIND = "incentive_settlement"


def settlement_pushes(
    config: AppConfig,
    result: SettlementResult,
    earlier: Mapping[str, list[PlannedEntry]] | None = None,
) -> list[Push]:
    """The messages a settlement run owes the participants: the month's result on its first
    settlement; on a later one, the entries it added. ``earlier`` (what earlier runs wrote, per
    person) redraws the month's result too, under its one key: should the run that settled the
    month have died before its messages were stored, this run tells them instead."""
    roles = set(config.incentives.roles)
    participants = {p.id for p in config.people if p.role in roles}
    month = result.period
    out: list[Push] = []
    for person in result.people:
        pid = person.person_id
        if pid not in participants:
            continue
        if result.first:
            text = settlement_message(month.label, person)
            out.append(Push(f"settle:{month.key}:{pid}", pid, KIND, text))
            continue
        if earlier is not None:
            told = PersonResult(pid, person.name, earlier.get(pid, []))
            text = settlement_message(month.label, told)
            out.append(Push(f"settle:{month.key}:{pid}", pid, KIND, text))
        late = [e for e in person.entries if e.key in result.fresh]
        if late:
            batch = hashlib.sha1("\n".join(sorted(e.key for e in late)).encode()).hexdigest()
            text = late_entries_message(month.label, late)
            out.append(Push(f"settle:{month.key}:{pid}:+{batch[:12]}", pid, KIND, text))
    return out


async def owed_pushes(config: AppConfig, result: SettlementResult) -> list[Push]:
    """``settlement_pushes`` with what earlier runs wrote read from the ledger."""
    if result.first:
        return settlement_pushes(config, result)
    earlier = await settled_entries(result.period.key, leave_out=result.fresh)
    return settlement_pushes(config, result, earlier)


async def settle_last_month(run: JobRun, config: AppConfig, db: Database) -> None:
    tz = ZoneInfo(config.timezone)
    month = previous(period_of("month", run.now, tz), tz)
    result = await settle(db, config, month, run.now, dry_run=run.dry_run)
    for push in await owed_pushes(config, result):
        run.push(push)
