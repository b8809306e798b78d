"""Warnings: a config that loads but will surprise someone later.

Read from the raw (substituted) mapping so they do not depend on other sections validating, nor on
the models other features keep for their own sections (``calendar:`` is read here only by key).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import ValidationError

from bot.config.approvals import ApprovalTemplate
from bot.config.calendar import CalendarSettings, missing_year_warning, years_due
from bot.config.org import Person, Role
from bot.config.orgsync import OrgSync
from bot.config.rawdata import Loc, items, text


def calendar_warnings(raw: Mapping[str, Any], today: dt.date) -> Iterator[tuple[Loc, str]]:
    """This year (and from November next year) without holiday data: plain weekends then."""
    try:
        settings = CalendarSettings.model_validate(raw.get("calendar") or {})
    except ValidationError:
        return  # reported as an error already
    for year in years_due(today):
        if not settings.covers(year):
            yield ("calendar",), missing_year_warning(year)


def people_warnings(raw: Mapping[str, Any]) -> Iterator[tuple[Loc, str]]:
    for i, person in items(raw, "people"):
        if person.get("role") == "rep" and text(person.get("supervisor")) is None:
            yield ("people", i, "supervisor"), "这位销售没有上级：审批和停滞提醒会找不到主管"


PLATFORM_IDS = ("wecom_userid", "dingtalk_staff_id")
UNREACHABLE_ADMINS = "没有人能用 /状态，也收不到机器人发给管理员的通知（如消息投递失败）"


def admin_warnings(raw: Mapping[str, Any]) -> Iterator[tuple[Loc, str]]:
    """No admin the bot can reach in chat: /状态 and the admins' notices go to nobody."""
    if _sync_may_bring_admins(raw):
        return  # the directory can supply an admin with a platform id
    admins = [(i, p) for i, p in items(raw, "people") if p.get("role") == Role.admin.value]
    if not admins:
        yield ("people",), f"没有管理员（role: admin）：{UNREACHABLE_ADMINS}"
    elif not any(text(p.get(key)) for _, p in admins for key in PLATFORM_IDS):
        yield (
            ("people", admins[0][0]),
            f"没有一位管理员填写了 wecom_userid 或 dingtalk_staff_id：{UNREACHABLE_ADMINS}",
        )


def _sync_may_bring_admins(raw: Mapping[str, Any]) -> bool:
    try:
        sync = OrgSync.model_validate(raw.get("org_sync") or {})
    except ValidationError:
        return False  # reported as an error already
    roles = [rule.role for rule in sync.roles] + [sync.default_role]
    return sync.enabled and Role.admin in roles


def route_warnings(raw: Mapping[str, Any]) -> Iterator[tuple[Loc, str]]:
    """A route rule that leaves some rep's request with nobody at a rung (or nobody to copy):
    resolved by the approvals feature's own rules, over the templates and people that validate."""
    from bot.config.approval_checks import has_unknown_refs, stranded_rules

    people: list[Person] = []
    for _, item in items(raw, "people"):
        try:
            people.append(Person.model_validate(item))
        except ValidationError:
            continue  # reported as an error already
    approvals = raw.get("approvals")
    for tid, data in approvals.items() if isinstance(approvals, Mapping) else ():
        try:
            template = ApprovalTemplate.model_validate(data)
        except ValidationError:
            continue
        if has_unknown_refs(template, {p.id for p in people}):
            continue  # an unknown approver is an error already, and explains the gap
        for rep in (p for p in people if p.role is Role.rep):
            empty = stranded_rules(template, rep, people)
            if empty:
                numbers = "、".join(str(i + 1) for i in empty)
                yield (
                    ("approvals", tid, "route"),
                    f"{rep.name}提交时第 {numbers} 条规则找不到任何审批人，审批会无人处理",
                )
                break  # one requester is enough to show the route's gap


def config_warnings(raw: Mapping[str, Any], today: dt.date) -> Iterator[tuple[Loc, str]]:
    yield from calendar_warnings(raw, today)
    yield from people_warnings(raw)
    yield from admin_warnings(raw)
    yield from route_warnings(raw)
