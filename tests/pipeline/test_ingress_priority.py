"""Ingress first: workers step back while callbacks pour in, then drain the inbox at full speed.

The pressure signal and the gate's clock are injected: the tests decide when ingress is hot and
when time has passed, and wait on what the workers did, never on wall-clock sleeps.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable

import pytest

from bot.app import create_app
from bot.events import TextEvent
from bot.pipeline.context import Context
from bot.pipeline.inbox import IngressPressure
from bot.pipeline.router import Router
from bot.pipeline.worker import IngressGate
from tests.support.harness import Harness, build_harness, make_config
from tests.support.waiting import eventually


async def _drained(h: Harness) -> bool:
    return await h.runtime.inbox.backlog() == 0


async def until(condition: Callable[[], bool], within: float = 10) -> None:
    """Wait for the workers to get somewhere (polling a condition, not sleeping a guess)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"not reached within {within} s")
        await asyncio.sleep(0.002)


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


# ------------------------------------------------------------------------------ the signal
def test_a_steady_stream_reads_as_its_rate_and_cools_off() -> None:
    clock = FakeClock()
    pressure = IngressPressure(hot_rate=200, half_life_s=0.1, now=clock)
    for _ in range(300):  # 1000 callbacks a second for 0.3 s
        clock.t += 0.001
        pressure.note()
    assert pressure.rate() == pytest.approx(1000, rel=0.15)
    assert pressure.hot()
    cools = pressure.cools_in()
    assert cools == pytest.approx(0.1 * math.log2(pressure.rate() / 200))
    clock.t += cools * 0.9
    assert pressure.hot()
    clock.t += cools * 0.2
    assert not pressure.hot() and pressure.cools_in() == 0.0


def test_a_trickle_never_counts_as_pressure() -> None:
    clock = FakeClock()
    pressure = IngressPressure(hot_rate=200, half_life_s=0.1, now=clock)
    for _ in range(100):  # 20 a second: a busy sales team, not a burst
        clock.t += 0.05
        pressure.note()
        assert not pressure.hot()


class FakePressure:
    """Hot or not as the test says; counts how often the workers look."""

    def __init__(self, hot: bool) -> None:
        self.is_hot = hot
        self.looks = 0
        self.cooling = 0.01  # look again soon: the test may cool it any time

    def note(self, n: int = 1) -> None:
        return None

    def rate(self) -> float:
        return 1e6 if self.is_hot else 0.0

    def hot(self) -> bool:
        return self.is_hot

    def cools_in(self) -> float:
        self.looks += 1
        return self.cooling if self.is_hot else 0.0


# ------------------------------------------------------------------------------ the gate
def test_the_gate_holds_background_work_to_its_share_only_while_hot() -> None:
    clock = FakeClock()
    pressure = FakePressure(hot=False)
    pressure.cooling = 99.0
    gate = IngressGate(pressure, share=0.1, max_rest_s=1.0, now=clock)  # type: ignore[arg-type]
    assert gate.slots(4) == 4
    gate.charge(0.05)
    assert gate.wait_s() == 0.0  # no pressure, no rest

    pressure.is_hot = True
    assert gate.slots(4) == 1
    gate.charge(0.005)  # 5 ms of work buys 45 ms of rest at a 10 % share
    assert gate.wait_s() == pytest.approx(0.045)
    clock.t += 0.04
    assert gate.wait_s() == pytest.approx(0.005)
    clock.t += 0.01
    assert gate.wait_s() == 0.0
    gate.charge(30.0)  # a long handler (a transcription) rests at most max_rest_s
    assert gate.wait_s() == pytest.approx(1.0)
    pressure.cooling = 0.2  # the rest ends early when the burst is expected to have cooled
    assert gate.wait_s() == pytest.approx(0.2)
    pressure.is_hot = False  # ... and at once when it has
    assert gate.wait_s() == 0.0 and gate.slots(4) == 4
    pressure.is_hot = True  # a new burst starts with a clean slate
    assert gate.wait_s() == 0.0


# ------------------------------------------------------------------------------ the workers
class Probe:
    """A handler that records what it ran and how many ran at once."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.active = 0
        self.most = 0
        self.together = asyncio.Event()  # set when `expect` handlers are inside at once
        self.expect = 0

    def router(self) -> Router:
        router = Router("probe")

        @router.on(TextEvent)
        async def record(ctx: Context, event: TextEvent) -> None:
            self.calls.append((event.user_id, event.text))
            self.active += 1
            self.most = max(self.most, self.active)
            try:
                if event.text.startswith("together"):
                    if self.active >= self.expect:
                        self.together.set()
                    await asyncio.wait_for(self.together.wait(), 10)
                else:
                    await asyncio.sleep(0)
            finally:
                self.active -= 1

        return router


async def started(db_url: str, aiohttp_client, probe: Probe, pressure: FakePressure, clock):  # type: ignore[no-untyped-def]
    h: Harness = build_harness(make_config(db_url, workers=4), routers=[probe.router()])
    h.runtime.inbox.pressure = pressure  # type: ignore[assignment]
    h.runtime.workers.gate = IngressGate(
        pressure,  # type: ignore[arg-type]
        share=0.1,
        max_rest_s=60,
        now=clock,
    )
    h.client = await aiohttp_client(create_app(h.runtime.config, runtime=h.runtime))
    return h


async def looked_again(pressure: FakePressure, times: int = 3) -> None:
    """Wait until the workers have re-examined the gate ``times`` more times."""
    seen = pressure.looks
    await until(lambda: pressure.looks >= seen + times, within=10)


async def test_workers_step_back_while_hot_then_drain_at_full_speed(
    db_url: str, aiohttp_client
) -> None:
    clock = FakeClock()
    pressure = FakePressure(hot=True)
    probe = Probe()
    h = await started(db_url, aiohttp_client, probe, pressure, clock)
    users = ["u1", "u2", "u3", "u4"]
    for n in range(3):
        for u in users:
            await h.say(u, f"{u}-{n}", msg_id=f"{u}-{n}")

    # Hot: one handler, then a rest that the (frozen) clock never lets end.
    await until(lambda: len(probe.calls) == 1, within=10)
    await until(lambda: h.runtime.workers.gate.wait_s() > 0, within=10)
    await looked_again(pressure)
    assert len(probe.calls) == 1
    # The rest is over: exactly one more handler, then the next rest.
    clock.t += 60
    await until(lambda: len(probe.calls) == 2, within=10)
    await until(lambda: h.runtime.workers.gate.wait_s() > 0, within=10)
    await looked_again(pressure)
    assert len(probe.calls) == 2 and probe.most == 1

    # The burst is over: everything left is handled, each user's messages in order.
    pressure.is_hot = False
    await until(lambda: len(probe.calls) == 12, within=20)
    for u in users:
        assert [t for who, t in probe.calls if who == u] == [f"{u}-{n}" for n in range(3)]
    # A handler's call is recorded before its completion commits: wait for the last commits.
    await eventually(lambda: _drained(h), within=10)

    # ... at full concurrency again: four users' handlers run at the same time.
    probe.expect = 4
    for u in users:
        await h.say(u, f"together {u}", msg_id=f"together-{u}")
    await asyncio.wait_for(probe.together.wait(), 10)
    assert probe.most == 4


async def test_a_burst_that_never_ends_still_lets_handlers_through(
    db_url: str, aiohttp_client
) -> None:
    """No starvation: under constant pressure each rest ends, and a handler runs after it."""
    clock = FakeClock()
    pressure = FakePressure(hot=True)
    probe = Probe()
    h = await started(db_url, aiohttp_client, probe, pressure, clock)
    for n in range(5):
        await h.say("u1", f"m{n}", msg_id=f"m{n}")
    for done in range(1, 6):
        await until(lambda d=done: len(probe.calls) == d, within=10)
        await until(lambda: h.runtime.workers.gate.wait_s() > 0, within=10)
        clock.t += 60  # the rest (at most max_rest_s) is over
    assert [t for _, t in probe.calls] == [f"m{n}" for n in range(5)]
    assert probe.most == 1


async def test_every_stored_callback_raises_the_pressure(db_url: str, aiohttp_client) -> None:
    h = build_harness(make_config(db_url), routers=[Probe().router()])
    clock = FakeClock()
    h.runtime.inbox.pressure = IngressPressure(hot_rate=200, now=clock)
    h.client = await aiohttp_client(create_app(h.runtime.config, runtime=h.runtime))
    await asyncio.gather(*(h.say("u1", f"m{n}", msg_id=f"p{n}") for n in range(50)))
    assert h.runtime.inbox.pressure.rate() == pytest.approx(50 * math.log(2) / 0.1)
    assert h.runtime.inbox.pressure.hot()
