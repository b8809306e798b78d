"""The stall scan: deals longer in their stage than the stage allows, up the ladder once per rung.

Each rung is a push keyed ``stall:<deal>:<stage entered ms>:<rung>``: sent once per stay in a
stage, and again only if the deal leaves the stage and stalls in another (or the same, later).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.config.models import AppConfig
from bot.config.org import Person, Role
from bot.directory import Directory
from bot.jobs import JobRun, Push
from handlers.shared.crm import money
from handlers.shared.playbook import stall_move, talking_point
from handlers.shared.workcal import WorkCalendar
from scheduler.jobs import OFFSET_SLACK
from scheduler.ladder import RUNG_KINDS, WorkingDayIndex, rungs_reached
from scheduler.pushes import ms
from storage.db import Database

MAX_LOOKBACK_DAYS = 3 * 366  # deals parked longer than this are not "stalled" but abandoned data


@dataclass(frozen=True)
class Stall:
    deal_id: int
    owner_id: str
    client: str
    stage: str
    entered_at: datetime
    amount: float | None
    days: int
    limit: int
    rungs: tuple[int, ...]


def as_datetime(value: object) -> datetime:
    """A timestamp column from a raw query: PostgreSQL gives datetimes, SQLite the stored text."""
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


# Raw SQL: at 100,000 deals the ORM's row building and its ISO-8601 parser were a third of the scan.
STALLED_SQL = (
    "SELECT d.id, d.owner_id, c.name AS client, d.stage_entered_at, d.amount FROM deals d "
    "JOIN clients c ON c.id = d.client_id "
    "WHERE d.status = 'open' AND d.stage = ? AND d.stage_entered_at < ?"
)


async def find_stalls(
    config: AppConfig, calendar: WorkCalendar, now: datetime, db: Database
) -> list[Stall]:
    tz = ZoneInfo(config.timezone)
    today = now.astimezone(tz).date()
    index = WorkingDayIndex(calendar, today - timedelta(days=MAX_LOOKBACK_DAYS), today)
    ladder = config.schedules.stall_ladder
    found: list[Stall] = []
    for stage in config.funnel.open_stages:
        if stage.stall_days is None:
            continue
        latest = index.latest_start_over(stage.stall_days)
        if latest is None:
            continue
        # Entered before the start of the day after ``latest``: more than stall_days ago.
        cutoff = datetime.combine(latest + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
        bound = cutoff + OFFSET_SLACK
        # SQLite compares the stored text ("2026-12-03 01:00:00+00:00"): pass the same shape.
        rows = await db.fetch(
            STALLED_SQL, stage.name, bound if db.dialect == "postgres" else str(bound)
        )
        for row in rows:
            entered = as_datetime(row["stage_entered_at"])
            amount = row["amount"]
            days = index.days_until_last(entered.astimezone(tz).date())
            rungs = rungs_reached(days, stage.stall_days, ladder)
            if rungs:
                found.append(
                    Stall(
                        row["id"],
                        row["owner_id"],
                        row["client"],
                        stage.name,
                        entered,
                        float(amount) if amount is not None else None,
                        days,
                        stage.stall_days,
                        tuple(rungs),
                    )
                )
    return found


@dataclass(frozen=True)
class Ladder:
    """Who hears about one owner's stalled deals, rung by rung (None: nobody on that rung)."""

    owner: Person
    supervisor: Person | None
    director: Person | None


def ladder_of(directory: Directory, owner_id: str) -> Ladder | None:
    owner = directory.get(owner_id)
    if owner is None:
        return None
    chain = directory.chain(owner)
    director = next((p for p in chain if p.role is Role.director), None)
    return Ladder(owner, chain[0] if chain else None, director)


def stall_pushes(stall: Stall, ladder: Ladder) -> list[Push]:
    """The pushes of every rung ``stall`` reached (rungs with nobody to tell are left out)."""
    owner = ladder.owner
    base = f"stall:{stall.deal_id}:{ms(stall.entered_at)}"
    where = f"「{stall.client}」在「{stall.stage}」已停留 {stall.days} 个工作日（上限 {stall.limit} 天）"
    out = [
        Push(
            f"{base}:1",
            owner.id,
            RUNG_KINDS[1],
            f"商机停滞提醒：{where}。建议：{talking_point(stall.stage)}",
        )
    ]
    if 2 in stall.rungs and ladder.supervisor is not None:
        text = f"{owner.name}的商机{where}，已提醒过销售。建议推进：{stall_move(stall.stage)}"
        out.append(Push(f"{base}:2", ladder.supervisor.id, RUNG_KINDS[2], text))
    if 3 in stall.rungs and ladder.director is not None:
        amount = money(stall.amount) if stall.amount is not None else "金额未定"
        text = (
            f"停滞升级：{owner.name}的商机{where}，金额 {amount}；销售和主管均已收到提醒，"
            "请关注是否需要调整资源或策略。"
        )
        out.append(Push(f"{base}:3", ladder.director.id, RUNG_KINDS[3], text))
    return out


async def scan_stalls(
    run: JobRun, config: AppConfig, directory: Directory, calendar: WorkCalendar, db: Database
) -> None:
    ladders: dict[str, Ladder | None] = {}  # the org chart is walked once per owner, not per deal
    for stall in await find_stalls(config, calendar, run.now, db):
        if stall.owner_id not in ladders:
            ladders[stall.owner_id] = ladder_of(directory, stall.owner_id)
        ladder = ladders[stall.owner_id]
        if ladder is None:
            continue
        run.pushes.extend(stall_pushes(stall, ladder))
