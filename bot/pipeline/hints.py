"""Who may have work: the keys (users, recipients) whose queues changed since the last look.

The inbox and outbox note a key when they store a row for it; the worker or sender takes the set
and claims those keys' heads by index seeks instead of scanning the queue.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


class Hints(Generic[K]):
    def __init__(self) -> None:
        self._keys: set[K] = set()

    def __bool__(self) -> bool:
        return bool(self._keys)

    def add(self, keys: Iterable[K]) -> None:
        self._keys.update(keys)

    def take(self) -> set[K]:
        """The keys noted since the last call (and forget them)."""
        keys, self._keys = self._keys, set()
        return keys
