"""The aggregations behind each stats command: one SQL statement each, grouped in the database.

Each function takes the open ``Database``, the ``Filters`` (scope included) and a UTC interval,
and returns plain rows; formatting lives in ``render.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from bot.config.metrics import Metrics
from handlers.stats.sql import Filters, days_between, deal_clauses, number, stage_ordinal, utc
from storage.db import Database

Dimension = Literal["source", "region", "product"]
DIMENSION_COLUMNS: dict[Dimension, str] = {
    "source": "d.source",
    "region": "d.region",
    "product": "d.product_line",
}


@dataclass(frozen=True)
class FunnelRow:
    furthest: int  # position of the furthest stage reached (len(open stages) = won)
    status: str
    deals: int
    amount: float


async def funnel_rows(
    db: Database, f: Filters, start: datetime, end: datetime, stages: list[str]
) -> list[FunnelRow]:
    """Deals created in [start, end), by the furthest stage each reached and their status.

    ``stages`` are the open stages in order followed by the won stage; the furthest stage is the
    highest of the stages in the deal's history and its current stage.
    """
    hist, hist_args = stage_ordinal("h.to_stage", stages)
    cur, cur_args = stage_ordinal("d.stage", stages)
    where, args = deal_clauses(f)
    rows = await db.fetch(
        f"""SELECT CASE WHEN hmax > cmax THEN hmax ELSE cmax END AS furthest, status,
                   COUNT(*) AS n, SUM(amount) AS amount FROM (
              SELECT d.id, COALESCE(MAX({hist}), 0) AS hmax, COALESCE(MAX({cur}), 0) AS cmax,
                     MAX(d.status) AS status, MAX(d.amount) AS amount
              FROM deals d LEFT JOIN stage_history h ON h.deal_id = d.id
              WHERE d.created_at >= ? AND d.created_at < ?{where}
              GROUP BY d.id) t
            GROUP BY 1, 2""",
        *hist_args,
        *cur_args,
        utc(start),
        utc(end),
        *args,
    )
    return [
        FunnelRow(int(r["furthest"]), str(r["status"]), int(r["n"]), number(r["amount"]))
        for r in rows
    ]


@dataclass(frozen=True)
class Won:
    """成单: deals won (closed as won) in the period, whenever they were created."""

    deals: int
    customers: int  # 成交客户: distinct clients of those deals (metrics.won_customer)
    amount: float


async def won_in(db: Database, f: Filters, start: datetime, end: datetime) -> Won:
    """Deals closed as won in [start, end): the definition /排行 and /预测 count by too."""
    where, args = deal_clauses(f)
    rows = await db.fetch(
        f"""SELECT COUNT(*) AS n, COUNT(DISTINCT d.client_id) AS clients, SUM(d.amount) AS amount
            FROM deals d WHERE d.status = 'won' AND d.closed_at >= ? AND d.closed_at < ?{where}""",
        utc(start),
        utc(end),
        *args,
    )
    r = rows[0]
    return Won(int(r["n"] or 0), int(r["clients"] or 0), number(r["amount"]))


@dataclass(frozen=True)
class ConversionRow:
    key: str | None
    deals: int
    won: int
    won_amount: float
    leads: int | None = None  # valid leads (clients) from this source, for the source dimension

    @property
    def rate(self) -> float:
        return self.won / self.deals if self.deals else 0.0


async def conversion(
    db: Database,
    f: Filters,
    start: datetime,
    end: datetime,
    dimension: Dimension,
    metrics: Metrics,
) -> list[ConversionRow]:
    """Deals created in [start, end) by source, region or product line: how many were won.

    By source, each row also has the valid leads (``metrics.valid_lead``) created in the period."""
    column = DIMENSION_COLUMNS[dimension]
    where, args = deal_clauses(f)
    rows = await db.fetch(
        f"""SELECT {column} AS k, COUNT(*) AS n,
                   SUM(CASE WHEN d.status = 'won' THEN 1 ELSE 0 END) AS won,
                   SUM(CASE WHEN d.status = 'won' THEN d.amount ELSE 0 END) AS amount
            FROM deals d WHERE d.created_at >= ? AND d.created_at < ?{where}
            GROUP BY {column} ORDER BY n DESC""",
        utc(start),
        utc(end),
        *args,
    )
    leads: dict[str | None, int] = {}
    if dimension == "source":
        found = await valid_leads(db, f, start, end, "c.source", metrics)
        leads = {r["k"]: int(r["n"]) for r in found}
    out = [
        ConversionRow(
            r["k"],
            int(r["n"]),
            int(r["won"] or 0),
            number(r["amount"]),
            leads.get(r["k"], 0) if dimension == "source" else None,
        )
        for r in rows
    ]
    return sorted(out, key=lambda r: (-r.deals, r.key or ""))


def valid_lead_clause(metrics: Metrics) -> str:
    phone = (
        "EXISTS (SELECT 1 FROM contacts k WHERE k.client_id = c.id "
        "AND k.phone IS NOT NULL AND k.phone <> '')"
    )
    followed = "EXISTS (SELECT 1 FROM followups u WHERE u.client_id = c.id)"
    if metrics.valid_lead == "phone":
        return phone
    if metrics.valid_lead == "any":
        return "1 = 1"
    return f"({phone} OR {followed})"


async def valid_leads(
    db: Database,
    f: Filters,
    start: datetime,
    end: datetime,
    group: str,
    metrics: Metrics,
) -> list[dict[str, Any]]:
    """Clients created in [start, end) that count as valid leads, grouped by ``group``.

    ``metrics`` is required: a default here once let a caller count by the built-in rule
    instead of the configured one."""
    where, args = deal_clauses(f, owner="c.owner_id", region="c.region", line="")
    rows = await db.fetch(
        f"""SELECT {group} AS k, COUNT(*) AS n FROM clients c
            WHERE c.created_at >= ? AND c.created_at < ?{where}
              AND {valid_lead_clause(metrics)}
            GROUP BY {group}""",
        utc(start),
        utc(end),
        *args,
    )
    return rows


@dataclass(frozen=True)
class DwellRow:
    stage: str
    moves: int  # how many times a deal left this stage in the period
    median_days: float
    p80_days: float


async def dwell(db: Database, f: Filters, start: datetime, end: datetime) -> list[DwellRow]:
    """Time spent in each stage, for stays that ended in [start, end): median and 80th percentile.

    Percentiles are nearest-rank: the smallest stay at or above the given share of stays.
    """
    where, args = deal_clauses(f)
    join = " JOIN deals d ON d.id = x.deal_id" if where else ""
    # A stay ends at the history row leaving the stage (its from_stage); it began at the deal's
    # previous row — one index seek on (deal_id, changed_at) per stay, no window over history.
    entered = (
        "(SELECT MAX(h.changed_at) FROM stage_history h "
        "WHERE h.deal_id = x.deal_id AND h.changed_at < x.changed_at)"
    )
    days = days_between(db.dialect, "x.changed_at", entered)
    rows = await db.fetch(
        f"""WITH dur AS (
              SELECT x.from_stage AS stage, {days} AS days
              FROM stage_history x{join}
              WHERE x.changed_at >= ? AND x.changed_at < ? AND x.from_stage IS NOT NULL{where}
            ), ranked AS (
              SELECT stage, days,
                     ROW_NUMBER() OVER (PARTITION BY stage ORDER BY days) AS rn,
                     COUNT(*) OVER (PARTITION BY stage) AS n
              FROM dur WHERE days IS NOT NULL
            )
            SELECT stage, MAX(n) AS n,
                   MIN(CASE WHEN rn >= 0.5 * n THEN days END) AS median,
                   MIN(CASE WHEN rn >= 0.8 * n THEN days END) AS p80
            FROM ranked GROUP BY stage""",
        utc(start),
        utc(end),
        *args,
    )
    return [
        DwellRow(str(r["stage"]), int(r["n"]), number(r["median"]), number(r["p80"])) for r in rows
    ]


LeaderMetric = Literal["won", "amount", "visits", "new_clients"]


@dataclass(frozen=True)
class LeaderRow:
    person_id: str
    name: str
    value: float
    amount: float = 0.0  # won amount next to the won count (and the count next to the amount)


async def leaderboard(
    db: Database,
    f: Filters,
    start: datetime,
    end: datetime,
    metric: LeaderMetric,
    metrics: Metrics,
) -> list[LeaderRow]:
    """Everyone in scope with a non-zero figure, best first (ties by name)."""
    if metric in ("won", "amount"):
        where, args = deal_clauses(f)
        rows = await db.fetch(
            f"""SELECT d.owner_id AS pid, COUNT(*) AS n, SUM(d.amount) AS amount
                FROM deals d WHERE d.status = 'won' AND d.closed_at >= ? AND d.closed_at < ?{where}
                GROUP BY d.owner_id""",
            utc(start),
            utc(end),
            *args,
        )
        if metric == "won":
            pairs = [(str(r["pid"]), float(r["n"]), number(r["amount"])) for r in rows]
        else:
            pairs = [(str(r["pid"]), number(r["amount"]), float(r["n"])) for r in rows]
    elif metric == "visits":
        where, args = deal_clauses(f, owner="u.rep_id", region="c.region", line="")
        join = " JOIN clients c ON c.id = u.client_id" if f.region is not None else ""
        visit = " AND u.client_id IS NOT NULL" if metrics.visit == "with_client" else ""
        rows = await db.fetch(
            f"""SELECT u.rep_id AS pid, COUNT(*) AS n FROM followups u{join}
                WHERE u.occurred_at >= ? AND u.occurred_at < ?{visit}{where}
                GROUP BY u.rep_id""",
            utc(start),
            utc(end),
            *args,
        )
        pairs = [(str(r["pid"]), float(r["n"]), 0.0) for r in rows]
    else:
        rows = await valid_leads(db, f, start, end, "c.owner_id", metrics)
        pairs = [(str(r["k"]), float(str(r["n"])), 0.0) for r in rows if r["k"] is not None]
    names = await person_names(db, [p for p, _, _ in pairs])
    out = [LeaderRow(p, names.get(p, p), v, a) for p, v, a in pairs if v > 0]
    return sorted(out, key=lambda r: (-r.value, -r.amount, r.name))


async def person_names(db: Database, ids: list[str]) -> dict[str, str]:
    if not ids:
        return {}
    clause, args = deal_clauses(Filters(owners=frozenset(ids)), owner="id")
    rows = await db.fetch(f"SELECT id, name FROM people WHERE 1 = 1{clause}", *args)
    return {str(r["id"]): str(r["name"]) for r in rows}


@dataclass(frozen=True)
class StalledDeal:
    deal_id: int
    client: str
    owner_id: str
    owner: str
    stage: str
    days: int
    limit: int
    amount: float | None


async def stalled(
    db: Database, f: Filters, now: datetime, limits: dict[str, int], limit: int | None
) -> tuple[int, list[StalledDeal]]:
    """Open deals longer in their stage than the stage allows: how many, and the longest stuck."""
    if not limits:
        return 0, []
    cond = " OR ".join("(d.stage = ? AND d.stage_entered_at < ?)" for _ in limits)
    cond_args: list[object] = []
    for stage, days in limits.items():
        cond_args += [stage, utc(now - timedelta(days=days))]
    where, args = deal_clauses(f)
    base = f"FROM deals d WHERE d.status = 'open' AND ({cond}){where}"
    count = await db.fetch(f"SELECT COUNT(*) AS n {base}", *cond_args, *args)
    rows = await db.fetch(
        f"""SELECT d.id, d.owner_id, d.stage, d.stage_entered_at, d.amount, c.name AS client,
                   p.name AS owner
            FROM deals d JOIN clients c ON c.id = d.client_id
            LEFT JOIN people p ON p.id = d.owner_id
            WHERE d.status = 'open' AND ({cond}){where}
            ORDER BY d.stage_entered_at, d.id{" LIMIT ?" if limit is not None else ""}""",
        *cond_args,
        *args,
        *([limit] if limit is not None else []),
    )
    out = []
    for r in rows:
        entered = r["stage_entered_at"]
        if isinstance(entered, str):  # SQLite hands raw SQL timestamps back as text
            entered = datetime.fromisoformat(entered)
        out.append(
            StalledDeal(
                int(r["id"]),
                str(r["client"]),
                str(r["owner_id"]),
                str(r["owner"] or r["owner_id"]),
                str(r["stage"]),
                (now - entered).days,
                limits[str(r["stage"])],
                number(r["amount"]) if r["amount"] is not None else None,
            )
        )
    return int(count[0]["n"]), out


@dataclass(frozen=True)
class CityCell:
    city: str
    source: str
    deals: int
    won: int


async def city_conversion(
    db: Database, f: Filters, start: datetime, end: datetime
) -> list[CityCell]:
    """Deals created in [start, end) by client city and lead source, with how many were won."""
    where, args = deal_clauses(f)
    rows = await db.fetch(
        f"""SELECT c.city AS city, d.source AS source, COUNT(*) AS n,
                   SUM(CASE WHEN d.status = 'won' THEN 1 ELSE 0 END) AS won
            FROM deals d JOIN clients c ON c.id = d.client_id
            WHERE d.created_at >= ? AND d.created_at < ?{where}
            GROUP BY c.city, d.source""",
        utc(start),
        utc(end),
        *args,
    )
    return [
        CityCell(
            str(r["city"] or "未知"), str(r["source"] or "未知"), int(r["n"]), int(r["won"] or 0)
        )
        for r in rows
    ]
