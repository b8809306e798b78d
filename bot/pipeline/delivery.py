"""When to try a failed delivery again, when to give up, and when a platform looks down.

Plain rules over plain numbers (no I/O): the sender asks them and does the writing.

- Backoff grows exponentially with jitter, capped (``retry_cap_s``), never sooner than the
  platform asked for; a message is given up only after ``give_up_s`` of trying, not after a
  count — an outage of an hour loses nothing.
- A circuit per platform app: after ``threshold`` consecutive transient failures the platform is
  taken as down; then only one probe at a time goes out, at growing intervals, instead of every
  queued recipient hammering it. The first success closes it and releases everyone waiting.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

PROBE_FIRST_S = 5.0


@dataclass(frozen=True)
class RetryPolicy:
    give_up_s: float
    cap_s: float
    base_s: float = 1.0

    def delay_s(self, attempt: int, hint_s: float, rng: random.Random) -> float:
        """Seconds before attempt ``attempt + 1``: at least the platform's hint, jittered so
        recipients that failed together do not come back together."""
        exp = min(self.cap_s, self.base_s * 2.0 ** max(attempt - 1, 0))
        jittered = exp * rng.uniform(0.5, 1.0)
        return min(max(hint_s, jittered), max(self.cap_s, hint_s))

    def expired(self, queued_ms: int, now_ms: int) -> bool:
        return now_ms - queued_ms >= self.give_up_s * 1000


@dataclass
class Circuit:
    """One platform app's health as the sender sees it."""

    threshold: int
    cap_s: float
    failures: int = 0  # consecutive transient failures
    open_until: int | None = None  # ms; None: closed
    interval_s: float = PROBE_FIRST_S
    probing: bool = False
    reason: str = ""
    opened_at: int = 0

    @property
    def is_open(self) -> bool:
        return self.open_until is not None

    def admit(self, now_ms: int) -> int | None:
        """None: send now. Otherwise when (ms) to ask again."""
        if self.open_until is None:
            return None
        if now_ms >= self.open_until and not self.probing:
            self.probing = True  # this one send is the probe
            return None
        if self.probing:  # a probe is out: wait for its answer (closing releases everyone)
            return now_ms + int(self.interval_s * 1000)
        return self.open_until

    def succeeded(self) -> bool:
        """Returns True when this closed an open circuit."""
        was_open = self.open_until is not None
        self.failures, self.open_until, self.probing = 0, None, False
        self.interval_s = PROBE_FIRST_S
        return was_open

    def failed(self, now_ms: int, reason: str) -> bool:
        """Returns True when this opened the circuit (not when a probe failed again)."""
        self.failures += 1
        self.reason = reason
        if self.open_until is not None:
            if self.probing:  # the probe failed: wait longer before the next
                self.probing = False
                self.interval_s = min(self.interval_s * 2, self.cap_s)
                self.open_until = now_ms + int(self.interval_s * 1000)
            return False
        if self.failures < self.threshold:
            return False
        self.interval_s = PROBE_FIRST_S
        self.open_until = now_ms + int(self.interval_s * 1000)
        self.opened_at = now_ms
        return True


@dataclass
class Circuits:
    threshold: int
    cap_s: float
    by_key: dict[tuple[str, str], Circuit] = field(default_factory=dict)

    def get(self, key: tuple[str, str]) -> Circuit:
        circuit = self.by_key.get(key)
        if circuit is None:
            circuit = self.by_key[key] = Circuit(self.threshold, self.cap_s)
        return circuit
