"""The platform engine: DingTalk's own transcript when it sent one, local ASR otherwise."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from nlp.asr import AsrService
from nlp.settings_asr import AsrSettings

pytestmark = pytest.mark.asyncio(loop_scope="module")

AUDIO = Path(__file__).resolve().parent.parent / "data" / "audio"
NOTE = (AUDIO / "visit_quote.amr").read_bytes()
DINGTALK_TEXT = "我們報價九十萬元，客戶說明天給我們答覆。"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def trusting() -> AsyncIterator[AsrService]:
    settings = AsrSettings(engine="platform", executor="thread", platform_trust_alone=True)
    async with AsrService(settings) as service:
        yield service


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def double_checking() -> AsyncIterator[AsrService]:
    settings = AsrSettings(engine="platform", executor="thread", platform_trust_alone=False)
    async with AsrService(settings) as service:
        yield service


async def test_a_trusted_platform_transcript_is_used_alone(trusting: AsrService) -> None:
    transcript = await trusting.transcribe(NOTE, platform_text=DINGTALK_TEXT)
    assert transcript.engine == "platform"
    assert transcript.text == "我们报价九十万元，客户说明天给我们答复。"
    assert transcript.duration_s == pytest.approx(6.22)  # from the AMR frames, for the record
    assert transcript.alternatives == ()
    assert transcript.elapsed_s < 0.5  # no model ran


async def test_platform_text_survives_audio_we_cannot_read(trusting: AsrService) -> None:
    transcript = await trusting.transcribe(b"\x00garbage", platform_text="客户说明天答复")
    assert (transcript.engine, transcript.text, transcript.duration_s) == (
        "platform",
        "客户说明天答复",
        0.0,
    )


@pytest.mark.parametrize("given", [None, "   "])
async def test_no_platform_transcript_means_local_asr(
    trusting: AsrService, given: str | None
) -> None:
    transcript = await trusting.transcribe(NOTE, platform_text=given)
    assert transcript.engine == "faster-whisper"
    assert "明天" in transcript.text
    assert transcript.fallback_reason == "platform: no transcript from the platform"


async def test_untrusted_platform_text_is_kept_beside_ours(double_checking: AsrService) -> None:
    transcript = await double_checking.transcribe(NOTE, platform_text=DINGTALK_TEXT)
    assert transcript.engine == "faster-whisper"
    assert "明天" in transcript.text
    assert transcript.alternatives == ("我们报价九十万元，客户说明天给我们答复。",)


async def test_other_engines_keep_an_untrusted_platform_transcript_too() -> None:
    settings = AsrSettings(executor="thread", platform_trust_alone=False)  # faster-whisper
    async with AsrService(settings) as service:
        transcript = await service.transcribe(NOTE, platform_text=DINGTALK_TEXT)
    assert transcript.engine == "faster-whisper"
    assert transcript.alternatives == ("我们报价九十万元，客户说明天给我们答复。",)


async def test_untrusted_platform_text_still_beats_an_error(double_checking: AsrService) -> None:
    transcript = await double_checking.transcribe(
        (AUDIO / "silent.amr").read_bytes(), platform_text="客户说明天答复"
    )
    assert transcript.engine == "platform"
    assert transcript.text == "客户说明天答复"
    assert transcript.fallback_reason is not None and "silent" in transcript.fallback_reason
