"""The decoding guards: an oversized, repetitive hotword list must not make Whisper loop or crawl.

Measured with a naive setup (the list as a comma-joined ``initial_prompt``, faster-whisper's
default options) on visit_budget.amr: 26 s and an echoed name list instead of 1 s and the note.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from nlp.asr import AsrService
from nlp.asr.guard import collapse_repeats, looks_looped, max_new_tokens
from nlp.hotwords import echoes_prompt, render_prompt
from nlp.settings_asr import AsrSettings

pytestmark = pytest.mark.asyncio(loop_scope="module")

AUDIO = Path(__file__).resolve().parent.parent / "data" / "audio"
# 40 look-alike company names, three times over: the shape of list that made Whisper base loop.
PATHOLOGICAL = [
    f"{city}{kind}"
    for city in ("华东", "华南", "宏达", "恒信", "东方", "金桥", "鼎盛", "新世纪")
    for kind in ("机械", "科技", "物流", "集团", "贸易")
] * 3


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def permissive() -> AsyncIterator[AsrService]:
    # An admin who raised the hotword budget to the maximum the settings allow.
    settings = AsrSettings(executor="thread", hotwords={"max_chars": 200, "max_tokens": 200})
    async with AsrService(settings) as service:
        yield service


async def test_guard_helpers() -> None:
    assert collapse_repeats("客户拜访，客户拜访，客户拜访，客户拜访，") == "客户拜访，"
    assert collapse_repeats("对对对，好的") == "对对对，好的"
    assert looks_looped("鲜鲜鲜鲜鲜鲜鲜鲜鲜鲜")
    assert not looks_looped("今天拜访了客户，合同金额六十万")
    # A 3 s note may not produce a 30 s window's worth of tokens …
    assert max_new_tokens(3.0, prompt_tokens=0) == 60
    # … and a long prompt leaves room only up to Whisper's 448-token context.
    assert max_new_tokens(30.0, prompt_tokens=400) == 448 - 4 - 1 - 400


async def test_pathological_hotwords_stay_bounded(
    permissive: AsrService, caplog: pytest.LogCaptureFixture
) -> None:
    name = "visit_budget.amr"
    data = (AUDIO / name).read_bytes()
    started = time.perf_counter()
    plain = await permissive.transcribe(data)
    plain_s = time.perf_counter() - started

    started = time.perf_counter()
    with caplog.at_level(logging.INFO, logger="nlp.asr.worker"):
        biased = await permissive.transcribe(data, hotwords=PATHOLOGICAL)
    biased_s = time.perf_counter() - started
    print(
        f"{name}: plain {plain_s:.2f} s {plain.text!r}; 120 hotwords {biased_s:.2f} s {biased.text!r}"
    )

    # Mandarin runs at ~5 characters a second; a loop produces far more.
    assert len(biased.text) <= 8 * biased.duration_s + 10
    assert not looks_looped(biased.text)
    assert not echoes_prompt(biased.text, PATHOLOGICAL[:40])
    assert render_prompt(PATHOLOGICAL[:3]) not in biased.text
    # At worst one extra decode (the retry without the prompt), never an unbounded run.
    assert biased_s <= 4 * plain_s + 2.0
    # On this note the model copied the list; the guard noticed and decoded it again.
    assert "echoed the hotword prompt or looped" in caplog.text
    assert "50万" in biased.text or "五十万" in biased.text
