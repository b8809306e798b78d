"""Tortoise models, one module per area; this package is the single tortoise app ``models``."""

from storage.models.approvals import (
    Approval,
    ApprovalAttachment,
    ApprovalDelegation,
    ApprovalStep,
)
from storage.models.audit import AuditLog
from storage.models.cards import CardDelivery, CardInstance
from storage.models.crm import Client, Contact, Deal, FollowUp, Media, StageHistory, Task
from storage.models.incentives import LedgerEntry
from storage.models.org import Identity, Person, Team
from storage.models.payments import Payment
from storage.models.pipeline import InboxMessage, OutboxMessage
from storage.models.scheduler import JobRunState, PushRecord

__all__ = [
    "Approval",
    "ApprovalAttachment",
    "ApprovalDelegation",
    "ApprovalStep",
    "AuditLog",
    "CardDelivery",
    "CardInstance",
    "Client",
    "Contact",
    "Deal",
    "FollowUp",
    "Identity",
    "InboxMessage",
    "JobRunState",
    "LedgerEntry",
    "Media",
    "OutboxMessage",
    "Payment",
    "Person",
    "PushRecord",
    "StageHistory",
    "Task",
    "Team",
]
