"""Delegation: while someone is away, who may decide in their place on a given day."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from bot.config.approvals import Delegation


def active(delegation: Delegation, day: date) -> bool:
    return (delegation.since is None or delegation.since <= day) and day <= delegation.until


def delegates_of(person_id: str, delegations: Sequence[Delegation], day: date) -> tuple[str, ...]:
    """Everyone who may act for ``person_id`` on ``day``: their delegates, and the delegates'
    own delegates when those are away too (a loop stops the walk)."""
    out: dict[str, None] = {}
    todo = [person_id]
    while todo:
        current = todo.pop(0)
        for d in delegations:
            if d.from_ == current and active(d, day) and d.to != person_id and d.to not in out:
                out[d.to] = None
                todo.append(d.to)
    return tuple(out)


def actors(
    approvers: Iterable[str], delegations: Sequence[Delegation], day: date
) -> frozenset[str]:
    """Who may decide a step on ``day``: its approvers and their delegates."""
    ids = set(approvers)
    for approver in list(ids):
        ids.update(delegates_of(approver, delegations, day))
    return frozenset(ids)


def acting_for(
    person_id: str, approvers: Sequence[str], delegations: Sequence[Delegation], day: date
) -> str | None:
    """The approver ``person_id`` decides for: themselves, or the one they stand in for."""
    if person_id in approvers:
        return person_id
    return next((a for a in approvers if person_id in delegates_of(a, delegations, day)), None)
