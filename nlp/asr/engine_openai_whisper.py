"""openai-whisper (the PyTorch reference implementation), an optional extra: ``salesbot[whisper]``."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from nlp.asr.bundled import default_cache_dir
from nlp.asr.errors import AsrError
from nlp.asr.guard import (
    COMPRESSION_RATIO_THRESHOLD,
    LOG_PROB_THRESHOLD,
    NO_SPEECH_THRESHOLD,
    TEMPERATURES,
    max_new_tokens,
)
from nlp.asr.types import Segment
from nlp.settings_asr import AsrSettings

log = logging.getLogger(__name__)


class OpenAIWhisperEngine:
    """Loads a checkpoint by official name (fetched to the cache dir) or by ``.pt`` path."""

    name = "openai-whisper"

    def __init__(self, settings: AsrSettings, cpu_threads: int, seed: int = 0) -> None:
        try:
            import torch
            import whisper
        except ImportError as exc:
            raise AsrError(
                "未安装 openai-whisper，请安装 salesbot[whisper] 或改用 faster-whisper 引擎。",
                detail=repr(exc),
            ) from exc
        torch.set_num_threads(max(1, cpu_threads))
        # Temperature fallback samples; a fixed seed makes a note transcribe the same each run.
        torch.manual_seed(seed)
        self._settings = settings
        device = "cpu" if settings.device == "auto" else settings.device
        name = settings.model
        path = Path(name).expanduser()
        if path.is_file():
            name = str(path)
        elif name not in whisper.available_models():
            raise AsrError(
                "找不到配置的 openai-whisper 模型，请检查 asr.model。",
                detail=f"{name!r} is neither a checkpoint file nor an official model name",
            )
        download_root = (settings.cache_dir or default_cache_dir()) / "openai-whisper"
        try:
            self._model = whisper.load_model(name, device=device, download_root=str(download_root))
        except (OSError, RuntimeError, KeyError, TypeError, ValueError) as exc:
            raise AsrError(
                "openai-whisper 模型加载失败，请联系管理员检查 asr.model 配置。",
                detail=f"whisper.load_model({name!r}): {exc!r}",
            ) from exc
        self._tokenizer = whisper.tokenizer.get_tokenizer(
            self._model.is_multilingual,
            num_languages=self._model.num_languages,
            language=settings.language,
            task="transcribe",
        )

    def count_tokens(self, text: str) -> int:
        return len(self._tokenizer.encode(text))

    def transcribe(self, samples: np.ndarray, prompt: str | None) -> tuple[list[Segment], str]:
        import whisper

        prompt_tokens = self.count_tokens(prompt) if prompt else 0
        try:
            result = whisper.transcribe(
                self._model,
                samples,
                verbose=None,
                language=self._settings.language,
                task="transcribe",
                temperature=TEMPERATURES,
                compression_ratio_threshold=COMPRESSION_RATIO_THRESHOLD,
                logprob_threshold=LOG_PROB_THRESHOLD,
                no_speech_threshold=NO_SPEECH_THRESHOLD,
                condition_on_previous_text=False,
                initial_prompt=prompt or None,
                # Like faster-whisper's ``hotwords``: every 30 s window sees the names.
                carry_initial_prompt=bool(prompt),
                fp16=False,
                beam_size=self._settings.beam_size,
                sample_len=max_new_tokens(samples.size / 16_000, prompt_tokens),
            )
        except (RuntimeError, ValueError, IndexError) as exc:
            raise AsrError(
                "语音识别失败，请稍后重试。", detail=f"openai-whisper failed: {exc!r}"
            ) from exc
        segments = [
            Segment(start=float(s["start"]), end=float(s["end"]), text=str(s["text"]))
            for s in result.get("segments", [])
        ]
        return segments, str(result.get("language") or self._settings.language)
