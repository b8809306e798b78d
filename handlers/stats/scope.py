"""The filters a stats query runs with, inside the asker's scope from the access policy.

Every query takes the scope as a plain ``owners`` set (None = everyone).
"""

from __future__ import annotations

from bot.config.models import AppConfig
from handlers.shared.access import OUT_OF_SCOPE
from handlers.stats.model import StatsQuery
from handlers.stats.sql import Filters


def requested_owners(query: StatsQuery, config: AppConfig) -> frozenset[str] | None:
    """The people a team or person argument names (None: no such argument)."""
    if query.person is not None:
        return frozenset({query.person})
    if query.team is not None:
        team = next((t for t in config.teams if t.id == query.team), None)
        members = {p.id for p in config.people if p.team == query.team}
        if team is not None and team.lead:
            members.add(team.lead)
        return frozenset(members)
    return None


def filters_for(
    query: StatsQuery, scope: frozenset[str] | None, config: AppConfig
) -> Filters | str:
    """The query's filters inside the scope, or the refusal when it asks for someone else's."""
    wanted = requested_owners(query, config)
    owners = scope
    if wanted is not None:
        if scope is not None and not wanted <= scope:
            extra = "和下属" if len(scope) > 1 else ""
            return OUT_OF_SCOPE.format(extra=extra)
        owners = wanted
    return Filters(owners=owners, region=query.region, product_line=query.product_line)


def describe(query: StatsQuery, config: AppConfig, scope: frozenset[str] | None) -> str:
    """What the numbers cover, for the answer's heading: 华东 · 张伟 · 软件 …"""
    parts: list[str] = []
    if query.region:
        parts.append(next((r.name for r in config.regions if r.id == query.region), query.region))
    if query.team:
        parts.append(next((t.name for t in config.teams if t.id == query.team), query.team))
    if query.person:
        who = config.person(query.person)
        parts.append(who.name if who else query.person)
    if query.product_line:
        parts.append(query.product_line)
    if not query.person and not query.team and scope is not None:
        parts.append("我的" if len(scope) == 1 else "我的团队")
    return " · ".join(parts) or "全公司"
