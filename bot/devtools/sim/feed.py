"""What a simulated platform's users see, per user in order, and waiting for it to change.

The WeCom and DingTalk simulators keep their own item types; the bookkeeping and the waiting
(every change wakes every waiter, which re-checks its condition) are shared here.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable
from typing import Generic, TypeVar

ItemT = TypeVar("ItemT")
T = TypeVar("T")


class BaseFeed(Generic[ItemT]):
    def __init__(self) -> None:
        self._items: dict[str, list[ItemT]] = defaultdict(list)
        self._seq = 0
        self._waiters: set[asyncio.Event] = set()
        self.version = 0  # counts changes, so a watcher can ask "anything since version n?"

    def items(self, user: str) -> list[ItemT]:
        return list(self._items.get(user, []))

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def _append(self, user: str, item: ItemT) -> ItemT:
        self._items[user].append(item)
        self.changed()
        return item

    def changed(self) -> None:
        """Something arrived or a held card changed in place: wake every waiter."""
        self.version += 1
        for waiter in self._waiters:
            waiter.set()

    async def wait_changed(self, since: int, within: float) -> bool:
        """True once ``version`` differs from ``since`` (any user), False after ``within`` s."""
        if self.version != since:
            return True
        waiter = asyncio.Event()
        self._waiters.add(waiter)
        try:
            await asyncio.wait_for(waiter.wait(), within)
            return True
        except TimeoutError:
            return False
        finally:
            self._waiters.discard(waiter)

    async def wait_until(self, probe: Callable[[], T | None], within: float) -> T:
        """The first truthy ``probe()``, re-checked after every change, for up to ``within`` s."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            value = probe()
            if value:
                return value
            left = deadline - loop.time()
            if left <= 0:
                raise TimeoutError(f"condition not met within {within} s")
            # On a timeout, one last look follows, then the deadline check ends it.
            await self.wait_changed(self.version, left)

    async def wait_for(
        self, user: str, predicate: Callable[[ItemT], bool], within: float = 10.0
    ) -> ItemT:
        """The first item of ``user`` matching ``predicate``, waiting up to ``within`` s."""
        try:
            return await self.wait_until(
                lambda: next((i for i in self._items.get(user, []) if predicate(i)), None), within
            )
        except TimeoutError:
            raise TimeoutError(f"nothing matching arrived for {user} within {within} s") from None
