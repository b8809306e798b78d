"""Is a text a visit note, a request, or chit-chat? (placeholder until the classifier lands)"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    note = "note"
    request = "request"
    chat = "chat"


class Topic(StrEnum):
    funnel = "funnel"
    conversion = "conversion"
    dwell = "dwell"
    ranking = "ranking"
    stall = "stall"
    forecast = "forecast"
    heatmap = "heatmap"
    export = "export"
    incentive = "incentive"
    brief = "brief"
    tasks = "tasks"
    approvals = "approvals"
    help = "help"
    status = "status"


UNSURE = 0.6


@dataclass(frozen=True)
class IntentGuess:
    kind: Kind
    topic: Topic | None
    confidence: float
    reasons: tuple[str, ...] = ()
    subject: str = ""


def classify(text: str, *, catalog: object | None = None) -> IntentGuess:
    if "漏斗" in text:
        return IntentGuess(Kind.request, Topic.funnel, 0.9, ("topic",))
    if text.startswith("帮我查"):
        return IntentGuess(Kind.request, Topic.brief, 0.9, ("topic",), text[3:].lstrip("下一"))
    return IntentGuess(Kind.note, None, 0.7)
