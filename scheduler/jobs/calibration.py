"""The weekly data-calibration note: records with missing or inconsistent fields, per manager.

Each rep's records go to the first manager up their chain (a director where no manager sits in
between, as in 华南). The rules are plain functions over one deal's fields, so they test alone.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from bot.config.crm import Funnel
from bot.config.models import AppConfig
from bot.config.org import Person, Role
from bot.directory import Directory
from bot.jobs import JobRun, Push
from storage.models import Deal

SHOWN = 15  # lines per note; the rest is counted


@dataclass(frozen=True)
class DealFields:
    stage: str
    status: str
    amount: object | None
    contact_name: str | None
    expected_close: date | None
    closed_at: object | None
    region: str | None


def problems(d: DealFields, funnel: Funnel, today: date) -> list[str]:
    """What is missing or does not fit together in one deal, as managers read it."""
    out: list[str] = []
    stage = funnel.stage(d.stage)
    if stage is None:
        out.append(f"阶段「{d.stage}」不在漏斗配置中")
    first = funnel.stages[0].name if funnel.stages else None
    if d.status == "open":
        if d.amount is None and d.stage != first:
            out.append("缺少金额")
        if not d.contact_name:
            out.append("缺少联系人")
        if d.expected_close is not None and d.expected_close < today:
            out.append("预计成交日期已过")
        if stage is not None and stage.kind.value != "open":
            out.append(f"状态为进行中，阶段却是「{d.stage}」")
    else:
        if d.closed_at is None:
            out.append("已结束但缺少结束日期")
        if d.status == "won" and d.amount is None:
            out.append("赢单缺少金额")
    if not d.region:
        out.append("缺少区域")
    return out


def manager_of(directory: Directory, person: Person) -> Person | None:
    chain = directory.chain(person)
    return next((p for p in chain if p.role in (Role.manager, Role.director)), None)


async def calibration_note(run: JobRun, config: AppConfig, directory: Directory) -> None:
    today = run.now.astimezone(ZoneInfo(config.timezone)).date()
    rows = await Deal.all().values_list(
        "owner_id",
        "client__name",
        "title",
        "stage",
        "status",
        "amount",
        "contact_name",
        "expected_close",
        "closed_at",
        "region",
    )
    notes: dict[str, list[str]] = defaultdict(list)
    for owner_id, client, title, *fields in rows:
        found = problems(DealFields(*fields), config.funnel, today)
        owner = directory.get(owner_id)
        manager = manager_of(directory, owner) if owner is not None else None
        if not found or manager is None or owner is None:
            continue
        name = title or client
        notes[manager.id].append(f"- {client}「{name}」（{owner.name}）：{'、'.join(found)}")
    for manager_id, lines in sorted(notes.items()):
        text = [f"本周数据校准：{len(lines)} 条商机记录字段缺失或不一致，请提醒销售补全："]
        text += lines[:SHOWN]
        if len(lines) > SHOWN:
            text.append(f"……还有 {len(lines) - SHOWN} 条")
        run.push(
            Push(
                f"calibration:{manager_id}:{today.isoformat()}",
                manager_id,
                "calibration",
                "\n".join(text),
            )
        )
