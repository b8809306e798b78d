"""Warnings: a config that loads but will surprise someone later.

Read from the raw (substituted) mapping so they do not depend on other sections validating, nor on
the models other features keep for their own sections (``calendar:`` is read here only by key).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import ValidationError

from bot.config.calendar import CalendarSettings, missing_year_warning
from bot.config.checks import Loc, items, text

# Roles in a route resolved up the requester's supervisor chain, and roles anyone may hold.
RELATIVE_ROLES = ("supervisor", "manager", "director")
FIXED_ROLES = ("legal", "finance", "admin")

# The State Council publishes next year's holidays in late October or November; warning about a
# missing next year earlier than that would be noise.
NEXT_YEAR_FROM_MONTH = 11


def calendar_warnings(raw: Mapping[str, Any], today: dt.date) -> Iterator[tuple[Loc, str]]:
    """This year (and from November next year) without holiday data: plain weekends then."""
    try:
        settings = CalendarSettings.model_validate(raw.get("calendar") or {})
    except ValidationError:
        return  # reported as an error already
    years = [today.year] + ([today.year + 1] if today.month >= NEXT_YEAR_FROM_MONTH else [])
    for year in years:
        if not settings.covers(year):
            yield ("calendar",), missing_year_warning(year)


def people_warnings(raw: Mapping[str, Any]) -> Iterator[tuple[Loc, str]]:
    for i, person in items(raw, "people"):
        if person.get("role") == "rep" and text(person.get("supervisor")) is None:
            yield ("people", i, "supervisor"), "这位销售没有上级：审批和停滞提醒会找不到主管"


def route_warnings(raw: Mapping[str, Any]) -> Iterator[tuple[Loc, str]]:
    """A route rule whose approvers all resolve to nobody for some rep."""
    people = {pid: p for _, p in items(raw, "people") if (pid := text(p.get("id"))) is not None}
    reps = [pid for pid, p in people.items() if p.get("role") == "rep"]
    approvals = raw.get("approvals")
    if not isinstance(approvals, Mapping):
        return
    for tid, template in approvals.items():
        if not isinstance(template, Mapping):
            continue
        rules = [
            [r for r in map(text, _list(rule.get("approvers"))) if r is not None]
            for _, rule in items(template, "route")
        ]
        for rep in reps:
            empty = [i + 1 for i, refs in enumerate(rules) if refs and not _any(refs, rep, people)]
            if empty:
                name = str(people[rep].get("name") or rep)
                numbers = "、".join(map(str, empty))
                yield (
                    ("approvals", tid, "route"),
                    f"{name}提交时第 {numbers} 条规则找不到任何审批人，审批会无人处理",
                )
                break  # one requester is enough to show the route's gap


def _any(refs: list[str], requester: str, people: Mapping[str, Mapping[str, Any]]) -> bool:
    return any(_resolves(ref, requester, people) for ref in refs)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _resolves(ref: str, requester: str, people: Mapping[str, Mapping[str, Any]]) -> bool:
    if ref in FIXED_ROLES:
        return any(p.get("role") == ref for p in people.values())
    if ref not in RELATIVE_ROLES:
        return ref in people  # a person id (unknown ids are an error reported elsewhere)
    seen = {requester}
    current = text(people[requester].get("supervisor"))
    while current is not None and current in people and current not in seen:
        if ref == "supervisor" or people[current].get("role") == ref:
            return True
        seen.add(current)
        current = text(people[current].get("supervisor"))
    return False


def config_warnings(raw: Mapping[str, Any], today: dt.date) -> Iterator[tuple[Loc, str]]:
    yield from calendar_warnings(raw, today)
    yield from people_warnings(raw)
    yield from route_warnings(raw)
