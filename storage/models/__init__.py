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
from storage.models.incentives import CommissionLedger, IncentiveLedger
from storage.models.org import Identity, Person, Team
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
    "CommissionLedger",
    "Contact",
    "Deal",
    "FollowUp",
    "Identity",
    "InboxMessage",
    "IncentiveLedger",
    "JobRunState",
    "Media",
    "OutboxMessage",
    "Person",
    "PushRecord",
    "StageHistory",
    "Task",
    "Team",
]
