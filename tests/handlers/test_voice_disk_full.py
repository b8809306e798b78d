"""Disk full while writing a voice note: the note is not lost. While the disk stays full the
message is retried (the platform copy is still there); once there is space it is handled
normally; if the disk stays full the rep is told after the last try."""

from __future__ import annotations

import errno
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

import storage.media
from bot.clock import ManualClock
from bot.pipeline.worker import FAILED_REPLY
from bot.replies import CardMessage, Text
from storage.models import InboxMessage, Media
from tests.handlers.test_voice_notes import bot as voice_bot  # noqa: F401  (fixture)
from tests.handlers.test_voice_notes import send_voice
from tests.support.harness import Harness
from tests.support.waiting import eventually

real_write = storage.media._write_atomically


@pytest.fixture
def disk(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[dict[str, int]]:
    """The write boundary of the media store, with a disk that is full for ``full`` writes."""
    state = {"full": 0, "refused": 0, "written": 0}

    def write(path: Path, data: bytes) -> None:
        if state["full"] > 0:
            state["full"] -= 1
            state["refused"] += 1
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(path, data)
        state["written"] += 1

    monkeypatch.setattr(storage.media, "_write_atomically", write)
    yield state  # type: ignore[misc]


async def retried(bot: Harness, msg_id: str, attempts: int) -> None:
    """Wait for the row's ``attempts``-th failure, then let its backoff pass."""

    async def failed() -> bool:
        row = await InboxMessage.get(dedupe_key=msg_id)
        return row.attempts >= attempts and row.status == 0

    await eventually(failed, within=30)
    clock = bot.runtime.clock
    assert isinstance(clock, ManualClock)
    clock.advance(120)
    bot.runtime.workers.notify()


async def test_a_full_disk_delays_the_note_but_loses_nothing(
    voice_bot: Harness,  # noqa: F811
    disk: dict[str, int],
) -> None:
    bot = voice_bot
    disk["full"] = 2
    await send_voice(bot, "zhang.wei", "visit_budget.amr", "df1")
    await retried(bot, "df1", 1)
    await retried(bot, "df1", 2)
    receipt, card = await bot.next_sent(2, within=90)
    assert isinstance(receipt.reply, Text) and "正在识别" in receipt.reply.text
    assert isinstance(card.reply, CardMessage)
    assert await Media.all().count() == 1 and disk == {"full": 0, "refused": 2, "written": 1}
    print(f"\ndisk full for {disk['refused']} writes: note stored on try 3, card sent, 0 lost")


async def test_a_disk_that_stays_full_ends_in_an_apology_not_silence(
    voice_bot: Harness,  # noqa: F811
    disk: dict[str, int],
) -> None:
    bot = voice_bot
    disk["full"] = 100
    await send_voice(bot, "zhang.wei", "visit_budget.amr", "df2")
    max_attempts = bot.runtime.config.pipeline.max_attempts
    for n in range(1, max_attempts):
        await retried(bot, "df2", n)
    (reply,) = await bot.next_sent(1, within=30)
    assert isinstance(reply.reply, Text) and reply.reply.text == FAILED_REPLY
    assert await Media.all().count() == 0 and disk["refused"] == max_attempts
