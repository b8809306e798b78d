"""The monthly settlement on the scheduler's clock, and what a settlement tells whom.

It runs every working morning and settles the last closed month: the settlement is idempotent
(a unique key per entry), so only the first run after a month closes writes its results, and a
bot that was down on the 1st settles when it returns. Each rep's result is a push, told once
(``settle:<month>:<person>``) whether the job or ``salesbot incentives settle`` settled the
month. Entries added to the month later (a payment recorded late) are told as a short top-up.

What is told is read back from the ledger and the stored pushes, not from what this run wrote: a
run that died after writing entries but before storing its pushes is made good by the next one,
and a month whose first settlement wrote nothing still gets its later entries told.
"""

from __future__ import annotations

import hashlib
from zoneinfo import ZoneInfo

from bot.config.models import AppConfig
from bot.jobs import JobRun, Push
from handlers.incentives.ledger import PlannedEntry, settled_entries
from handlers.incentives.render import late_entries_message, settlement_message
from handlers.incentives.settle import PersonResult, SettlementResult, settle
from handlers.shared.periods import period_of, previous
from storage.db import Database
from storage.models import PushRecord

NAME = "incentive-settlement"
KIND = "incentive_settlement"


def _participants(config: AppConfig) -> set[str]:
    roles = set(config.incentives.roles)
    return {p.id for p in config.people if p.role in roles}


def _late_push(month_key: str, label: str, pid: str, late: list[PlannedEntry]) -> Push:
    batch = hashlib.sha1("\n".join(sorted(e.key for e in late)).encode()).hexdigest()
    text = late_entries_message(label, late)
    return Push(f"settle:{month_key}:{pid}:+{batch[:12]}", pid, KIND, text)


def settlement_pushes(config: AppConfig, result: SettlementResult) -> list[Push]:
    """What a dry run would tell: the month's result on its first settlement, else the entries
    the run would add."""
    participants, month = _participants(config), result.period
    out: list[Push] = []
    for person in result.people:
        pid = person.person_id
        if pid not in participants:
            continue
        if result.first:
            text = settlement_message(month.label, person)
            out.append(Push(f"settle:{month.key}:{pid}", pid, KIND, text))
            continue
        late = [e for e in person.entries if e.key in result.fresh]
        if late:
            out.append(_late_push(month.key, month.label, pid, late))
    return out


async def owed_pushes(config: AppConfig, result: SettlementResult) -> list[Push]:
    """The messages a settlement owes, from what the ledger holds and the pushes already stored:
    the month's result to whoever was not told yet, and to whoever was, the entries written after
    they were last told (the push keys keep each to one message)."""
    if result.dry_run:
        return settlement_pushes(config, result)
    month = result.period
    told: dict[str, int] = {}  # person → when they were last told about this month (clock ms)
    stored = await PushRecord.filter(key__startswith=f"settle:{month.key}:").values_list(
        "key", "created_at"
    )
    for key, at in stored:
        pid = str(key).split(":")[2]
        told[pid] = max(told.get(pid, 0), int(at))
    written = await settled_entries(month.key)
    participants = _participants(config)
    out: list[Push] = []
    for person in result.people:
        pid = person.person_id
        if pid not in participants:
            continue
        entries = written.get(pid, [])
        if pid not in told:
            whole = PersonResult(pid, person.name, [e for e, _ in entries])
            text = settlement_message(month.label, whole)
            out.append(Push(f"settle:{month.key}:{pid}", pid, KIND, text))
            continue
        late = [e for e, at in entries if at > told[pid]]
        if late:
            out.append(_late_push(month.key, month.label, pid, late))
    return out


async def settle_last_month(run: JobRun, config: AppConfig, db: Database) -> None:
    tz = ZoneInfo(config.timezone)
    month = previous(period_of("month", run.now, tz), tz)
    result = await settle(db, config, month, run.now, dry_run=run.dry_run)
    for push in await owed_pushes(config, result):
        run.push(push)
