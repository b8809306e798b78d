"""A follow-up record being confirmed: every field with where its value came from.

Nothing here touches the database; the draft travels in the confirm card's stored state.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

Source = Literal["spoken", "history", "suggested", "answered"]

FIELDS = ("client", "contact", "stage", "amount", "products", "next_action", "due")
REQUIRED = (
    "client",
    "stage",
    "next_action",
    "due",
)  # the extractor's REQUIRED_FIELDS, in ask order
LABELS = {
    "client": "客户",
    "contact": "联系人",
    "stage": "阶段",
    "amount": "金额",
    "products": "产品",
    "next_action": "下一步",
    "due": "截止",
    "competitors": "竞品",
}
SOURCE_LABELS = {"history": "历史", "suggested": "建议", "answered": "已确认"}


@dataclass
class FieldValue:
    value: Any
    source: Source


@dataclass
class ClientPick:
    """Which client the note is about, and how sure we are."""

    id: int | None = None  # None: a new client (or not yet known)
    name: str | None = None
    heard: str | None = None  # what the rep said, when it differs from the name
    kind: str = "none"  # exact|alias|fuzzy|pinyin|ambiguous|new|none|answered
    alternatives: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Draft:
    rep_id: str
    via: Literal["voice", "text"]
    text: str
    occurred_at: str  # ISO time of the first note
    updated_ms: int
    audio: list[int] = field(default_factory=list)  # Media ids, in order
    client: ClientPick = field(default_factory=ClientPick)
    fields: dict[str, FieldValue] = field(default_factory=dict)
    competitors: list[str] = field(default_factory=list)
    sentiment: str = "neutral"
    risks: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    asking: str | None = None
    choices: dict[str, list[list[str]]] = field(default_factory=dict)  # field -> [[label, value]]
    extracted: dict[str, Any] = field(default_factory=dict)  # the extractor's own answer

    def value(self, name: str) -> Any:
        fv = self.fields.get(name)
        return fv.value if fv is not None else None

    def source(self, name: str) -> Source | None:
        fv = self.fields.get(name)
        return fv.source if fv is not None else None

    def set(self, name: str, value: Any, source: Source) -> None:
        if value in (None, "", [], ()):
            self.fields.pop(name, None)
        else:
            self.fields[name] = FieldValue(value, source)

    @property
    def missing(self) -> list[str]:
        out = []
        for name in REQUIRED:
            if name == "client":
                if self.client.name is None or self.client.kind == "ambiguous":
                    out.append(name)
            elif self.value(name) in (None, "", []):
                out.append(name)
        return out

    @property
    def due_date(self) -> date | None:
        raw = self.value("due")
        return date.fromisoformat(raw[:10]) if raw else None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Draft:
        d = dict(data)
        d["client"] = ClientPick(
            **{
                **d.get("client", {}),
                "alternatives": [tuple(a) for a in d.get("client", {}).get("alternatives", [])],
            }
        )
        d["fields"] = {k: FieldValue(**v) for k, v in d.get("fields", {}).items()}
        return cls(**d)
