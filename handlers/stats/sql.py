"""SQL pieces shared by the stats queries: scope and filter clauses, dialect differences.

Every statistic is one aggregate statement; Python only sees the grouped result (a few rows).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


@dataclass(frozen=True)
class Filters:
    """Who and what counts. ``owners`` is the scope already intersected with any team/person asked
    for: None means everyone, an empty set means no one."""

    owners: frozenset[str] | None = None
    region: str | None = None  # region id, e.g. east
    product_line: str | None = None


def utc(at: datetime) -> datetime:
    # SQLite stores UTC timestamps as text: a parameter compares correctly only in UTC too.
    return at.astimezone(UTC)


def in_list(column: str, values: Iterable[str]) -> tuple[str, list[Any]]:
    items = sorted(values)
    if not items:
        return "1 = 0", []
    return f"{column} IN ({', '.join('?' * len(items))})", list(items)


def deal_clauses(
    f: Filters, owner: str = "d.owner_id", region: str = "d.region", line: str = "d.product_line"
) -> tuple[str, list[Any]]:
    """`` AND …`` restricting deals (or rows with an owner column) to the filters."""
    parts: list[str] = []
    args: list[Any] = []
    if f.owners is not None:
        clause, values = in_list(owner, f.owners)
        parts.append(clause)
        args += values
    if f.region is not None and region:
        parts.append(f"{region} = ?")
        args.append(f.region)
    if f.product_line is not None and line:
        parts.append(f"{line} = ?")
        args.append(f.product_line)
    return "".join(f" AND {p}" for p in parts), args


def days_between(dialect: str, later: str, earlier: str) -> str:
    """Days (fractional) from ``earlier`` to ``later`` as a SQL expression."""
    if dialect == "sqlite":
        return f"(julianday({later}) - julianday({earlier}))"
    return f"(EXTRACT(EPOCH FROM ({later} - {earlier})) / 86400.0)"


def stage_ordinal(column: str, stages: list[str]) -> tuple[str, list[Any]]:
    """A CASE giving each stage its position in the funnel (NULL for stages not listed)."""
    # Positions are literals: PostgreSQL cannot infer a type for a placeholder after THEN.
    whens = " ".join(f"WHEN ? THEN {i}" for i in range(len(stages)))
    return f"CASE {column} {whens} END", list(stages)


def number(value: Any) -> float:
    return float(value) if value is not None else 0.0
