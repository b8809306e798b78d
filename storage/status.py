"""Status values as enums, with the transitions each may take — checked in one place.

The columns stay plain strings (readable in SQL, stable across migrations); every write that
changes a status goes through ``check`` so that, say, a saved card never becomes a draft again:
a row read first is checked with ``check(kind, row.status, new)``; a conditional UPDATE that
names the old status in its WHERE clause writes ``moved(kind, old, new)`` (no row is read, the
WHERE keeps other rows out). A row created with its first status is not a change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum


class CardStatus(StrEnum):
    open = "open"  # a card anyone allowed may act on (approvals, reminders)
    draft = "draft"  # a follow-up confirm card still being edited
    saved = "saved"
    discarded = "discarded"
    closed = "closed"  # decided, withdrawn or expired: shown greyed, taps refused


class TaskStatus(StrEnum):
    open = "open"
    done = "done"
    cancelled = "cancelled"


class ApprovalStatus(StrEnum):
    draft = "draft"  # still collecting fields or attachments
    pending = "pending"  # waiting at step n
    approved = "approved"
    rejected = "rejected"
    withdrawn = "withdrawn"


class StepStatus(StrEnum):
    waiting = "waiting"  # a later step, not yet reached
    pending = "pending"  # the current step
    approved = "approved"
    rejected = "rejected"
    skipped = "skipped"  # the request ended (rejected, withdrawn) before this step
    cc = "cc"  # a copied person's row: sees the card, never decides


TRANSITIONS: Mapping[type[StrEnum], Mapping[str, frozenset[str]]] = {
    CardStatus: {
        "open": frozenset({"closed"}),
        "draft": frozenset({"saved", "discarded"}),
        "saved": frozenset(),
        "discarded": frozenset(),
        "closed": frozenset(),
    },
    TaskStatus: {
        "open": frozenset({"done", "cancelled"}),
        "done": frozenset({"open"}),  # 完成 tapped by mistake: reopened by the rep
        "cancelled": frozenset(),
    },
    ApprovalStatus: {
        "draft": frozenset({"pending", "withdrawn"}),
        "pending": frozenset({"approved", "rejected", "withdrawn"}),
        "approved": frozenset(),
        "rejected": frozenset(),
        "withdrawn": frozenset(),
    },
    StepStatus: {
        "waiting": frozenset({"pending", "skipped"}),
        "pending": frozenset({"approved", "rejected", "skipped"}),
        "approved": frozenset(),
        "rejected": frozenset(),
        "skipped": frozenset(),
        "cc": frozenset(),
    },
}


class InvalidTransition(ValueError):
    """A status change the workflow does not allow."""


def allowed(kind: type[StrEnum], old: str, new: str) -> bool:
    """May a value of ``kind`` go from ``old`` to ``new``? Staying put is always allowed."""
    return old == new or new in TRANSITIONS[kind].get(kind(old).value, frozenset())


def check(kind: type[StrEnum], old: str, new: str) -> None:
    if not allowed(kind, old, new):
        raise InvalidTransition(f"{kind.__name__}: {old} → {new} is not allowed")


def moved(kind: type[StrEnum], old: str | Iterable[str], new: str) -> str:
    """``new`` as stored, once ``old`` (each of them) → ``new`` is allowed: the value for
    ``Model.filter(..., status=old).update(status=moved(kind, old, new))``."""
    for each in (old,) if isinstance(old, str) else old:
        check(kind, each, new)
    return kind(new).value


def is_final(kind: type[StrEnum], status: str) -> bool:
    """No way out: a closed card, a finished approval."""
    return not TRANSITIONS[kind].get(kind(status).value)
