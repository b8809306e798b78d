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
from storage.models import Deal

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


async def find_stalls(config: AppConfig, calendar: WorkCalendar, now: datetime) -> list[Stall]:
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
        rows = await Deal.filter(
            status="open", stage=stage.name, stage_entered_at__lt=cutoff + OFFSET_SLACK
        ).values_list("id", "owner_id", "client__name", "stage_entered_at", "amount")
        for deal_id, owner_id, client, entered, amount in rows:
            days = index.days_until_last(entered.astimezone(tz).date())
            rungs = rungs_reached(days, stage.stall_days, ladder)
            if rungs:
                found.append(
                    Stall(
                        deal_id,
                        owner_id,
                        client,
                        stage.name,
                        entered,
                        float(amount) if amount is not None else None,
                        days,
                        stage.stall_days,
                        tuple(rungs),
                    )
                )
    return found


def director_of(directory: Directory, person: Person) -> Person | None:
    chain = directory.chain(person)
    return next((p for p in chain if p.role is Role.director), None)


def rung_push(stall: Stall, rung: int, directory: Directory) -> Push | None:
    owner = directory.get(stall.owner_id)
    if owner is None:
        return None
    key = f"stall:{stall.deal_id}:{ms(stall.entered_at)}:{rung}"
    where = f"「{stall.client}」在「{stall.stage}」已停留 {stall.days} 个工作日（上限 {stall.limit} 天）"
    if rung == 1:
        text = f"商机停滞提醒：{where}。建议：{talking_point(stall.stage)}"
        return Push(key, owner.id, RUNG_KINDS[1], text)
    if rung == 2:
        chain = directory.chain(owner)
        if not chain:
            return None
        text = f"{owner.name}的商机{where}，已提醒过销售。建议推进：{stall_move(stall.stage)}"
        return Push(key, chain[0].id, RUNG_KINDS[2], text)
    director = director_of(directory, owner)
    if director is None:
        return None
    amount = money(stall.amount) if stall.amount is not None else "金额未定"
    text = (
        f"停滞升级：{owner.name}的商机{where}，金额 {amount}；销售和主管均已收到提醒，"
        "请关注是否需要调整资源或策略。"
    )
    return Push(key, director.id, RUNG_KINDS[3], text)


async def scan_stalls(
    run: JobRun, config: AppConfig, directory: Directory, calendar: WorkCalendar
) -> None:
    for stall in await find_stalls(config, calendar, run.now):
        for rung in stall.rungs:
            push = rung_push(stall, rung, directory)
            if push is not None:
                run.push(push)
