"""Scoring of extractions against a labelled note set (used by the benchmark and tests)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from nlp.extract.entities import ProductRef
from nlp.extract.model import CONTRACT_KEYS, Catalog
from nlp.names import ClientRef

SET_FIELDS = frozenset({"products", "competitors", "missing"})


@dataclass(frozen=True)
class LabelledNote:
    id: str
    split: str
    text: str
    now: datetime
    rep: str | None
    expect: dict[str, Any]


def load_catalog(path: Path) -> Catalog:
    data = json.loads(path.read_text(encoding="utf-8"))
    clients = [ClientRef(**c) for c in data.get("clients", [])]
    products = [ProductRef(**p) for p in data.get("products", [])]
    return Catalog(clients=clients, products=products, competitors=data.get("competitors", []))


def load_notes(path: Path) -> Iterator[LabelledNote]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            yield LabelledNote(
                row["id"],
                row.get("split", "dev"),
                row["text"],
                datetime.fromisoformat(row["now"]),
                row.get("rep"),
                row["expect"],
            )


def field_ok(name: str, expected: Any, got: Any) -> bool:
    """next_action: null matches null, else one of the "|"-separated key phrases must occur."""
    if name in SET_FIELDS:
        return set(expected or []) == set(got or [])
    if name == "amount":
        return (expected is None) == (got is None) and (
            expected is None or abs(float(expected) - float(got)) < 0.5
        )
    if name == "next_action":
        if expected is None or got is None:
            return expected is None and got is None
        return any(key in got for key in expected.split("|"))
    return expected == got


def score(rows: Iterable[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, float]:
    hits = dict.fromkeys(CONTRACT_KEYS, 0)
    total = 0
    for expected, got in rows:
        total += 1
        for name in CONTRACT_KEYS:
            hits[name] += field_ok(name, expected[name], got[name])
    return {name: hits[name] / total for name in CONTRACT_KEYS} if total else {}
