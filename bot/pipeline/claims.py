"""The claim statement the inbox and the outbox share: take selected rows that are still due.

Both queues mark a row taken with ``status = 1`` and a lease; a row is due while it is pending
(``status = 0``) and its ``available_at`` has come, or taken and its lease has lapsed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from storage.db import Step

PENDING, TAKEN = 0, 1


def take_step(
    dialect: str,
    table: str,
    ids_sql: str,
    ids_args: Sequence[Any],
    assign: str,
    assign_args: Sequence[Any],
    returned: Sequence[str],
    now: int,
) -> Step:
    """``UPDATE table SET status = 1, <assign>`` for the rows ``ids_sql`` selects, if still due.

    On PostgreSQL the selection is a CTE: evaluated once. As ``id IN (subquery)`` the planner
    may run a ``LIMIT … FOR UPDATE SKIP LOCKED`` subquery again for each row it updates — and
    each run skips the rows the last one locked, so it claims far more than the limit. The
    recheck is what makes a claim safe against a concurrent one there (a row another replica
    took in the meantime no longer qualifies). On SQLite an ``IN`` list is evaluated once, and
    the unary ``+`` keeps the planner from answering the recheck with the status index, which
    would read every pending row instead of looking up the few ids.
    """
    claim = f"SET status = {TAKEN}, {assign}, attempts = attempts + 1"
    if dialect == "postgres":
        sql = f"""
            WITH picked AS ({ids_sql})
            UPDATE {table} {claim} FROM picked
            WHERE {table}.id = picked.id
              AND (({table}.status = {PENDING} AND {table}.available_at <= ?)
                   OR ({table}.status = {TAKEN} AND {table}.lease_until < ?))
            RETURNING {", ".join(f"{table}.{c}" for c in returned)}"""
        return sql, [*ids_args, *assign_args, now, now]
    sql = f"""
        UPDATE {table} {claim}
        WHERE id IN ({ids_sql})
          AND ((+status = {PENDING} AND available_at <= ?)
               OR (+status = {TAKEN} AND lease_until < ?))
        RETURNING {", ".join(returned)}"""
    return sql, [*assign_args, *ids_args, now, now]
