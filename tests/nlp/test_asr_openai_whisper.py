"""openai-whisper engine plumbing with a tiny, randomly initialised checkpoint.

The checkpoint is written in openai-whisper's own format (``dims`` + ``model_state_dict`` via
``torch.save``), so ``whisper.load_model(path)`` takes the same path as a real one. Its output is
noise; what is tested is loading, decoding options, prompt passing and the Transcript it yields.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

whisper = pytest.importorskip("whisper")
torch = pytest.importorskip("torch")

from nlp.asr import AsrError, AsrService, Segment  # noqa: E402
from nlp.settings_asr import AsrSettings  # noqa: E402
from nlp.textconv import ChineseConverter  # noqa: E402

pytestmark = [
    pytest.mark.asyncio(loop_scope="module"),
    # openai-whisper hands torch tensors to numpy functions; numpy 2 warns about torch's wrapper.
    pytest.mark.filterwarnings("ignore:__array_wrap__ must accept context:DeprecationWarning"),
]

AUDIO = Path(__file__).resolve().parent.parent / "data" / "audio"


def write_tiny_checkpoint(path: Path) -> Path:
    from whisper.model import ModelDimensions, Whisper

    dims = ModelDimensions(
        n_mels=80,
        n_audio_ctx=1500,
        n_audio_state=64,
        n_audio_head=2,
        n_audio_layer=1,
        n_vocab=51865,  # the multilingual vocabulary, so language="zh" is accepted
        n_text_ctx=448,
        n_text_state=64,
        n_text_head=2,
        n_text_layer=1,
    )
    torch.manual_seed(0)
    model = Whisper(dims)
    # The decoder's positional embedding is torch.empty(): give every weight real values.
    for parameter in model.parameters():
        torch.nn.init.normal_(parameter, std=0.02)
    torch.save({"dims": dims.__dict__, "model_state_dict": model.state_dict()}, path)
    return path


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def tiny(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[AsrService]:
    checkpoint = write_tiny_checkpoint(tmp_path_factory.mktemp("whisper") / "tiny.pt")
    settings = AsrSettings(
        engine="openai-whisper", model=str(checkpoint), executor="thread", beam_size=1
    )
    async with AsrService(settings) as service:
        yield service


async def test_tiny_checkpoint_transcribes_through_the_service(tiny: AsrService) -> None:
    note = (AUDIO / "visit_quote.amr").read_bytes()
    transcript = await tiny.transcribe(note, hotwords=["华东机械", "王经理"])
    assert transcript.engine == "openai-whisper"
    assert transcript.language == "zh"
    assert transcript.duration_s == pytest.approx(6.22)
    assert transcript.text  # noise, but decoded, joined and converted
    assert ChineseConverter().to_simplified(transcript.text) == transcript.text
    assert all(isinstance(segment, Segment) for segment in transcript.segments)
    # The token budget for a 6 s note bounds even a random model's output.
    assert len(transcript.text) < 600


async def test_a_missing_checkpoint_is_reported_at_start(tmp_path: Path) -> None:
    settings = AsrSettings(
        engine="openai-whisper", model=str(tmp_path / "nope.pt"), executor="thread"
    )
    with pytest.raises(AsrError) as caught:
        await AsrService(settings).start()
    assert "asr.model" in caught.value.message_zh
