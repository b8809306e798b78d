"""Tell the admins, in chat, about messages the bot gave up delivering.

One summary per ``every_s`` at most (an outage can bury hundreds of rows; the admins want one
note, not hundreds), queued through the outbox like any reply. Notes about messages to an admin
are not sent to that admin (it could not reach them either); the metric and /状态 still count them.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.clock import Clock
from bot.pipeline.outbox import Address, Outbox, OutgoingMessage
from bot.replies import Text

log = logging.getLogger(__name__)

REASON_CHARS = 80
# What to do about given-up messages: said the same way here and in /状态.
RETRY_HINT = "修复原因后运行 salesbot outbox retry 重新发送"


def notice_text(lost: Counter[tuple[str, str]]) -> str:
    total = sum(lost.values())
    lines = [f"有 {total} 条消息已放弃发送（对方收不到）："]
    for (platform, reason), n in lost.most_common(5):
        short = reason if len(reason) <= REASON_CHARS else reason[:REASON_CHARS] + "…"
        lines.append(f"- {platform}：{n} 条，原因：{short}")
    lines.append(f"{RETRY_HINT}；/状态 可查看数量。")
    return "\n".join(lines)


@dataclass
class GiveUpNotices:
    outbox: Outbox
    clock: Clock
    # Asked each time: admins can arrive with an org sync after startup.
    admins_now: Callable[[], Sequence[Address]]
    every_s: float = 600.0
    _lost: Counter[tuple[str, str]] = field(default_factory=Counter)
    _next_ms: int = 0

    def record(self, address: Address, reason: str) -> None:
        if address in self.admins_now():
            return
        self._lost[(address.platform, reason)] += 1

    async def flush(self) -> bool:
        """Queue the summary if one is due; returns True if it did."""
        now = self.clock.ms()
        if not self._lost or now < self._next_ms:  # asked on every sender pass: keep it cheap
            return False
        admins = self.admins_now()
        if not admins:
            return False
        text = notice_text(self._lost)
        self._lost = Counter()
        self._next_ms = now + int(self.every_s * 1000)
        await self.outbox.add(
            [
                OutgoingMessage(
                    a, Text(text), f"undeliverable:{now}:{a.platform}:{a.app}:{a.recipient}"
                )
                for a in admins
            ]
        )
        log.warning("admins told about undeliverable messages", extra={"admins": len(admins)})
        return True
