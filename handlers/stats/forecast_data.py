"""What the forecast needs from the database, each one aggregate statement, and the assembly.

The past-month rates are the organisation's (not the viewer's scope) and change slowly: they are
kept per day in ``ForecastRates`` so only the first forecast of a day pays for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config.metrics import ForecastSettings
from handlers.stats.forecast import PipelineCell, Trial
from handlers.stats.periods import Period, period_of
from handlers.stats.sql import Filters, deal_clauses, in_list, number, utc
from storage.db import Database


async def open_pipeline(db: Database, f: Filters, stages: list[str]) -> list[PipelineCell]:
    """Open deals now in the open ``stages``, by stage and region."""
    where, args = deal_clauses(f)
    # Naming the stages lets SQLite seek (status, stage) instead of walking the region index.
    in_stages, stage_args = in_list("d.stage", stages)
    rows = await db.fetch(
        f"""SELECT d.stage AS stage, d.region AS region, COUNT(*) AS n,
                   SUM(COALESCE(d.amount, 0)) AS s1,
                   SUM(COALESCE(d.amount, 0) * COALESCE(d.amount, 0)) AS s2
            FROM deals d WHERE d.status = 'open' AND {in_stages}{where}
            GROUP BY d.stage, d.region""",
        *stage_args,
        *args,
    )
    return [
        PipelineCell(str(r["stage"]), r["region"], int(r["n"]), number(r["s1"]), number(r["s2"]))
        for r in rows
    ]


_AT = """(SELECT h.to_stage FROM stage_history h WHERE h.deal_id = d.id AND h.changed_at <= ?
          ORDER BY h.changed_at DESC, h.id DESC LIMIT 1)"""


async def pipeline_at(db: Database, f: Filters, at: datetime) -> list[PipelineCell]:
    """Deals open at a past moment, by the stage they were in then (for the backtest)."""
    where, args = deal_clauses(f)
    rows = await db.fetch(
        f"""SELECT stage, region, COUNT(*) AS n, SUM(a) AS s1, SUM(a * a) AS s2 FROM (
              SELECT {_AT} AS stage, d.region AS region, COALESCE(d.amount, 0) AS a
              FROM deals d WHERE d.created_at <= ? AND (d.closed_at IS NULL OR d.closed_at > ?){where}
            ) t WHERE stage IS NOT NULL GROUP BY stage, region""",
        utc(at),
        utc(at),
        utc(at),
        *args,
    )
    return [
        PipelineCell(str(r["stage"]), r["region"], int(r["n"]), number(r["s1"]), number(r["s2"]))
        for r in rows
    ]


async def trials_at(db: Database, at: datetime, end: datetime) -> list[Trial]:
    """Deals open at ``at`` by stage and region, and how many of them were won before ``end``."""
    rows = await db.fetch(
        f"""SELECT stage, region, COUNT(*) AS n,
                   SUM(CASE WHEN status = 'won' AND closed_at < ? THEN 1 ELSE 0 END) AS wins,
                   SUM(a) AS amount,
                   SUM(CASE WHEN status = 'won' AND closed_at < ? THEN a ELSE 0 END) AS won_amount
            FROM (SELECT {_AT} AS stage, d.region AS region, d.status AS status,
                         d.closed_at AS closed_at, COALESCE(d.amount, 0) AS a
                  FROM deals d WHERE d.created_at <= ? AND (d.closed_at IS NULL OR d.closed_at > ?)
            ) t WHERE stage IS NOT NULL GROUP BY stage, region""",
        utc(end),
        utc(end),
        utc(at),
        utc(at),
        utc(at),
    )
    return [
        Trial(
            str(r["stage"]),
            r["region"],
            int(r["n"]),
            int(r["wins"] or 0),
            number(r["amount"]),
            number(r["won_amount"]),
        )
        for r in rows
    ]


async def won_between(
    db: Database, f: Filters, start: datetime, end: datetime, created_from: datetime | None = None
) -> float:
    """Won amount closed in [start, end); only deals created at or after ``created_from`` if set."""
    where, args = deal_clauses(f)
    created = " AND d.created_at >= ?" if created_from is not None else ""
    rows = await db.fetch(
        f"""SELECT SUM(d.amount) AS s FROM deals d
            WHERE d.status = 'won' AND d.closed_at >= ? AND d.closed_at < ?{created}{where}""",
        utc(start),
        utc(end),
        *([utc(created_from)] if created_from is not None else []),
        *args,
    )
    return number(rows[0]["s"])


async def won_after_snapshots(
    db: Database, f: Filters, snapshots: list[tuple[datetime, datetime]]
) -> list[float]:
    """For each (at, end): won amount closed in [at, end) by deals created at or after ``at``.

    One pass over the won deals of the whole window, one CASE column per snapshot.
    """
    if not snapshots:
        return []
    where, args = deal_clauses(f)
    columns = ", ".join(
        f"SUM(CASE WHEN d.closed_at >= ? AND d.closed_at < ? AND d.created_at >= ? "
        f"THEN d.amount ELSE 0 END) AS m{i}"
        for i in range(len(snapshots))
    )
    case_args = [utc(x) for at, end in snapshots for x in (at, end, at)]
    rows = await db.fetch(
        f"""SELECT {columns} FROM deals d
            WHERE d.status = 'won' AND d.closed_at >= ? AND d.closed_at < ?{where}""",
        *case_args,
        utc(min(at for at, _ in snapshots)),
        utc(max(end for _, end in snapshots)),
        *args,
    )
    return [number(rows[0][f"m{i}"]) for i in range(len(snapshots))]


def past_snapshots(
    month: Period, now: datetime, tz: ZoneInfo, count: int
) -> list[tuple[datetime, datetime]]:
    """The same moment of each of the ``count`` months before ``month``, with each month's end."""
    offset = now - month.start
    out: list[tuple[datetime, datetime]] = []
    cursor = month.start
    for _ in range(count):
        past = period_of("month", cursor - timedelta(days=1), tz)
        at = min(past.start + offset, past.end - timedelta(seconds=1))
        out.append((at, past.end))
        cursor = past.start
    return out


@dataclass(frozen=True)
class History:
    by_month: list[list[Trial]]  # newest month first

    @property
    def trials(self) -> list[Trial]:
        return [t for month in self.by_month for t in month]

    @property
    def months(self) -> int:
        return len(self.by_month)


class ForecastRates:
    """Past-month stage rates per day, computed at the day's first forecast, kept in memory."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._cache: dict[tuple[str, int], History] = {}

    async def history(
        self, month: Period, now: datetime, tz: ZoneInfo, settings: ForecastSettings
    ) -> History:
        # One computation a day: the snapshots of the day's first forecast serve until midnight
        # (hours later in the day move the past-month snapshots by hours, not by days).
        key = (now.astimezone(tz).date().isoformat(), settings.history_days)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        snapshots = past_snapshots(month, now, tz, max(1, settings.history_days // 30))
        found = History([await trials_at(self.db, at, end) for at, end in snapshots])
        if len(self._cache) > 8:
            self._cache.clear()
        self._cache[key] = found
        return found
