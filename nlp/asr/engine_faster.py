"""faster-whisper (CTranslate2) engine: the default, runs inside an ASR worker."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from nlp.asr.bundled import BUNDLED_MODEL_NAME, default_cache_dir, ensure_bundled_model
from nlp.asr.errors import AsrError
from nlp.asr.guard import faster_whisper_options
from nlp.asr.types import Segment
from nlp.settings_asr import AsrSettings

log = logging.getLogger(__name__)


def resolve_model(settings: AsrSettings) -> str:
    """A path or a size name for ``WhisperModel``; assembles the bundled model when asked to."""
    if settings.model == BUNDLED_MODEL_NAME:
        return str(ensure_bundled_model(settings.cache_dir))
    path = Path(settings.model).expanduser()
    if path.is_dir():
        return str(path)
    if settings.model.startswith(("/", "~", "./", "../")):
        raise AsrError(
            "找不到配置的语音识别模型，请检查 asr.model。",
            detail=f"model directory {path} does not exist",
        )
    # A size name ("small") or a hub id ("Systran/faster-whisper-small"): faster-whisper fetches
    # it when the hub is reachable and fails (reported at start) when it is not.
    return settings.model


class FasterWhisperEngine:
    """One loaded ``WhisperModel``; not shared between threads (one engine per worker)."""

    name = "faster-whisper"

    def __init__(self, settings: AsrSettings, cpu_threads: int) -> None:
        from faster_whisper import WhisperModel

        self._settings = settings
        model_ref = resolve_model(settings)
        download_root = (settings.cache_dir or default_cache_dir()) / "faster-whisper"
        try:
            self._model = WhisperModel(
                model_ref,
                device=settings.device,
                compute_type=settings.compute_type,
                cpu_threads=cpu_threads,
                num_workers=1,
                download_root=str(download_root),
            )
        except (OSError, RuntimeError, ValueError) as exc:
            raise AsrError(
                "语音识别模型加载失败，请联系管理员检查 asr.model 配置。",
                detail=f"WhisperModel({model_ref!r}): {exc!r}",
            ) from exc

    def count_tokens(self, text: str) -> int:
        return len(self._model.hf_tokenizer.encode(text, add_special_tokens=False).ids)

    def transcribe(self, samples: np.ndarray, prompt: str | None) -> tuple[list[Segment], str]:
        options = faster_whisper_options(
            language=self._settings.language,
            beam_size=self._settings.beam_size,
            vad=self._settings.vad,
            duration_s=samples.size / 16_000,
            prompt=prompt,
            prompt_tokens=self.count_tokens(prompt) if prompt else 0,
        )
        try:
            segments, info = self._model.transcribe(samples, **options)
            # ``segments`` is lazy: the decoding happens while we iterate.
            result = [Segment(start=s.start, end=s.end, text=s.text) for s in segments]
        except (RuntimeError, ValueError) as exc:
            raise AsrError(
                "语音识别失败，请稍后重试。", detail=f"faster-whisper failed: {exc!r}"
            ) from exc
        return result, info.language
