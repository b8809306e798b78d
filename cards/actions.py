"""Typed card actions: what a button carries, packed small, decoded in one place.

A card action is a frozen dataclass with a registered prefix, the way aiogram's ``CallbackData``
works::

    class ApprovalTap(CardAction, prefix="ap"):
        op: str
        arg: str = ""

    Button("同意", ApprovalTap("ap-1f3a", 0, "approve").pack())

Packed: ``<prefix>:<card id>:<version>:<field>…``. Only what routes the tap travels on the card
(WeCom's button key is at most 1024 bytes); everything else is loaded from the database. The
version is the card version the button was drawn for: ``CardStore`` stamps it when it stores the
card, so a tap on a copy drawn before the latest change is recognised as stale.
"""

from __future__ import annotations

import re
from dataclasses import MISSING, dataclass, fields
from enum import StrEnum
from typing import Any, ClassVar, Self, dataclass_transform, get_type_hints

_PART = re.compile(r"^[A-Za-z0-9_.@-]*$")
_PREFIX = re.compile(r"^[a-z][a-z0-9]{0,7}$")
MAX_BYTES = 256
SEP = ":"


class ActionError(ValueError):
    """A card action that cannot be packed, or a class that cannot be one."""


@dataclass_transform(frozen_default=True)  # type checkers see subclasses as dataclasses too
@dataclass(frozen=True)
class CardAction:
    """Base of every typed card action. Subclasses declare ``prefix=`` and their own fields."""

    prefix: ClassVar[str] = ""
    card: str  # the stored card's id (cards.store)
    v: int  # the card version the button was drawn for; 0 until the store stamps it

    def __init_subclass__(cls, prefix: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not _PREFIX.match(prefix):
            raise ActionError(
                f"{cls.__name__}: prefix must match {_PREFIX.pattern}, got {prefix!r}"
            )
        cls.prefix = prefix
        dataclass(frozen=True)(cls)  # subclasses declare fields only, like aiogram's CallbackData

    def pack(self) -> str:
        parts = [self.prefix, self.card, str(self.v)]
        for f in fields(self)[2:]:
            value = getattr(self, f.name)
            parts.append(str(value.value if isinstance(value, StrEnum) else value))
        while (
            len(parts) > 3 + len(_required(type(self))) and parts[-1] == ""
        ):  # trailing empty optionals pack to nothing
            parts.pop()
        for p in parts:
            if not _PART.match(p):
                raise ActionError(f"payload part {p!r} has characters outside [A-Za-z0-9_.@-]")
        packed = SEP.join(parts)
        if len(packed.encode()) > MAX_BYTES:
            raise ActionError(f"payload longer than {MAX_BYTES} bytes")
        return packed

    @classmethod
    def unpack(cls, text: str) -> Self | None:
        """The action ``text`` packs, or None when it is not one of this class's."""
        parts = text.split(SEP)
        own = fields(cls)[2:]
        if len(parts) < 3 or parts[0] != cls.prefix or not parts[2].isdecimal():
            return None
        values = parts[3:]
        if not len(_required(cls)) <= len(values) <= len(own):
            return None
        if not all(_PART.match(p) for p in parts):
            return None
        hints = get_type_hints(cls)
        kwargs: dict[str, Any] = {}
        for f, raw in zip(own, values, strict=False):
            try:
                kwargs[f.name] = _convert(hints[f.name], raw)
            except (ValueError, TypeError):
                return None
        return cls(parts[1], int(parts[2]), **kwargs)

    def stamped(self, version: int) -> Self:
        return type(self)(self.card, version, *(getattr(self, f.name) for f in fields(self)[2:]))


def _required(cls: type[CardAction]) -> list[str]:
    return [
        f.name for f in fields(cls)[2:] if f.default is MISSING and f.default_factory is MISSING
    ]


def _convert(kind: Any, raw: str) -> Any:
    if kind is int:
        return int(raw)
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        return kind(raw)
    if kind is str:
        return raw
    raise TypeError(f"card action fields are str, int or StrEnum, not {kind!r}")


def split(payload: str) -> tuple[str, str, int] | None:
    """(prefix, card id, version) of any packed action; None when ``payload`` is not one."""
    parts = payload.split(SEP)
    if len(parts) < 3 or not parts[2].isdecimal() or not all(_PART.match(p) for p in parts[:3]):
        return None
    return parts[0], parts[1], int(parts[2])


def card_id_of(payload: str) -> str | None:
    """The card a packed action belongs to (channels check a tap against the card it came from)."""
    found = split(payload)
    return found[1] if found else None


def restamp(payload: str, card_id: str, version: int) -> str:
    """``payload`` with its version set to ``version`` when it belongs to ``card_id``."""
    found = split(payload)
    if found is None or found[1] != card_id:
        return payload
    parts = payload.split(SEP)
    parts[2] = str(version)
    return SEP.join(parts)


class ActionRegistry:
    """The prefixes in use in one app; a prefix claimed twice is refused at startup."""

    def __init__(self) -> None:
        self._by_prefix: dict[str, type[CardAction]] = {}

    def add(self, cls: type[CardAction]) -> None:
        other = self._by_prefix.get(cls.prefix)
        if other is not None and other is not cls:
            raise ActionError(
                f"card action prefix '{cls.prefix}' is used by both "
                f"{other.__module__}.{other.__name__} and {cls.__module__}.{cls.__name__}"
            )
        self._by_prefix[cls.prefix] = cls

    def get(self, prefix: str) -> type[CardAction] | None:
        return self._by_prefix.get(prefix)

    def decode(self, payload: str) -> CardAction | None:
        found = split(payload)
        cls = self._by_prefix.get(found[0]) if found else None
        return cls.unpack(payload) if cls is not None else None

    def __contains__(self, prefix: str) -> bool:
        return prefix in self._by_prefix

    @property
    def prefixes(self) -> frozenset[str]:
        """Every prefix in use (the access matrix has a row for each)."""
        return frozenset(self._by_prefix)
