"""Scoring of the intent classifier over a labelled set (shared by the benchmark and tests)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from nlp.intent import IntentGuess, Kind


@dataclass(frozen=True)
class LabelledIntent:
    text: str
    label: str  # note | request | chat
    topic: str | None
    who: str
    split: str  # dev | holdout
    source: str


@dataclass(frozen=True)
class IntentScores:
    note_precision: float | None  # of texts classified as notes, how many are notes
    note_recall: float | None  # of notes, how many are classified as notes
    notes_lost: int  # notes classified as a confident request or chat: nobody asks
    request_recall: float | None
    topic_accuracy: float | None  # over requests classified as requests
    chat_recall: float | None
    asked: int  # texts whose confidence is below UNSURE


def load_intents(path: Path) -> list[LabelledIntent]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            rows.append(
                LabelledIntent(
                    d["text"], d["label"], d["topic"], d["who"], d["split"], d.get("source", "")
                )
            )
    return rows


def _ratio(hit: int, total: int) -> float | None:
    return hit / total if total else None


def note_scores(pairs: Sequence[tuple[LabelledIntent, IntentGuess]], unsure: float) -> IntentScores:
    notes = [g for r, g in pairs if r.label == "note"]
    predicted = [r for r, g in pairs if g.kind is Kind.note]
    requests = [(r, g) for r, g in pairs if r.label == "request"]
    found = [(r, g) for r, g in requests if g.kind is Kind.request]
    chats = [g for r, g in pairs if r.label == "chat"]
    return IntentScores(
        note_precision=_ratio(sum(r.label == "note" for r in predicted), len(predicted)),
        note_recall=_ratio(sum(g.kind is Kind.note for g in notes), len(notes)),
        notes_lost=sum(g.kind is not Kind.note and g.confidence >= unsure for g in notes),
        request_recall=_ratio(len(found), len(requests)),
        topic_accuracy=_ratio(
            sum(g.topic is not None and g.topic.value == r.topic for r, g in found), len(found)
        ),
        chat_recall=_ratio(sum(g.kind is Kind.chat for g in chats), len(chats)),
        asked=sum(g.confidence < unsure for _, g in pairs),
    )
