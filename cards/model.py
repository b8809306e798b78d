"""The neutral card: what a feature wants to show, before any platform's format."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Style = Literal["primary", "default", "danger", "link"]


@dataclass(frozen=True)
class Button:
    text: str
    payload: str  # cards.payload.pack(...)
    style: Style = "default"


@dataclass(frozen=True)
class Option:
    id: str
    text: str


@dataclass(frozen=True)
class Select:
    """A pick-one list (a stage, a contact, a missing field)."""

    key: str
    title: str
    options: tuple[Option, ...]
    selected: str | None = None


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    hint: str = ""  # e.g. where a field's value came from: 语音 / 历史 / 建议


@dataclass(frozen=True)
class Card:
    id: str
    title: str
    subtitle: str = ""
    rows: tuple[Row, ...] = ()
    note: str = ""
    buttons: tuple[Button, ...] = ()
    selects: tuple[Select, ...] = ()
    submit: Button | None = None  # the button that submits the selects
    closed: str | None = (
        None  # once decided: "已保存 · 张伟 · 14:02"; buttons are then shown greyed
    )
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Card:
        return cls(
            id=data["id"],
            title=data["title"],
            subtitle=data.get("subtitle", ""),
            rows=tuple(Row(**r) for r in data.get("rows", ())),
            note=data.get("note", ""),
            buttons=tuple(Button(**b) for b in data.get("buttons", ())),
            selects=tuple(
                Select(
                    s["key"],
                    s["title"],
                    tuple(Option(**o) for o in s["options"]),
                    s.get("selected"),
                )
                for s in data.get("selects", ())
            ),
            submit=Button(**data["submit"]) if data.get("submit") else None,
            closed=data.get("closed"),
            extra=data.get("extra", {}),
        )
