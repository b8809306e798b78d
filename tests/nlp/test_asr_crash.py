"""The ASR engine crashing on one file: that note fails with a reply for the rep, the pool is
replaced, and the notes after it are transcribed as usual."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nlp.asr.errors import AsrError
from nlp.asr.service import AsrService
from nlp.settings_asr import AsrSettings

AUDIO = Path(__file__).resolve().parents[1] / "data" / "audio"


async def test_a_worker_dying_mid_task_costs_one_note_only() -> None:
    note = (AUDIO / "visit_quote.amr").read_bytes()
    settings = AsrSettings(executor="process", workers=1, beam_size=1)
    async with AsrService(settings) as asr:
        first = await asr.transcribe(note)
        # The worker process dies while working, as a segfault or the OOM killer would end it.
        with pytest.raises(AsrError) as crashed:
            await asr._run(os._exit, 70)
        assert crashed.value.message_zh  # what the rep is told (with "原始语音已保存")
        after = [await asr.transcribe(note) for _ in range(2)]
    assert all(t.text == first.text for t in after)  # a fresh pool, the same answers
    print(f"\nASR worker killed mid-task: 1 note failed cleanly, {len(after)} after it transcribed")
