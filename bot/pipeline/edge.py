"""A per-user cap on what the inbox takes in, so one noisy sender cannot flood the others.

A token bucket per user (``per_minute`` refill, ``burst`` deep) over an injected clock. Far above
what a person types or taps (a script or a stuck client, not a rep, reaches it). Beyond it events
are acknowledged to the platform — WeCom would retry a non-200 and make it worse — but not stored;
the metric ``salesbot_callbacks_rejected{reason="rate_limited"}`` counts them. Handling is fair
anyway (a user's events run one at a time, oldest first); the cap protects the database and disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_TRACKED = 100_000  # users remembered at once; full buckets are forgotten first


@dataclass
class UserRateLimit:
    per_minute: float
    burst: float
    _buckets: dict[str, tuple[float, int]] = field(default_factory=dict)  # user → (tokens, ms)

    def allow(self, user: str, now_ms: int) -> bool:
        tokens, at = self._buckets.get(user, (self.burst, now_ms))
        tokens = min(self.burst, tokens + (now_ms - at) * self.per_minute / 60_000)
        if tokens < 1:
            self._buckets[user] = (tokens, now_ms)
            return False
        self._buckets[user] = (tokens - 1, now_ms)
        if len(self._buckets) > MAX_TRACKED:
            self._forget_full(now_ms)
        return True

    def _forget_full(self, now_ms: int) -> None:
        refill_ms = self.burst * 60_000 / self.per_minute
        self._buckets = {u: v for u, v in self._buckets.items() if now_ms - v[1] < refill_ms}
