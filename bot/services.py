"""A small typed registry of the app's long-lived services, handed to handlers by type."""

from __future__ import annotations

from typing import Any, TypeVar, cast

T = TypeVar("T")


class Services:
    def __init__(self) -> None:
        self._items: dict[type, Any] = {}

    def add(self, obj: object, as_type: type | None = None) -> None:
        self._items[as_type or type(obj)] = obj

    def get(self, kind: type[T]) -> T:
        try:
            return cast(T, self._items[kind])
        except KeyError:
            raise LookupError(f"service {kind.__name__} is not available") from None

    def find(self, kind: type[T]) -> T | None:
        return cast(T | None, self._items.get(kind))

    def __contains__(self, kind: type) -> bool:
        return kind in self._items
